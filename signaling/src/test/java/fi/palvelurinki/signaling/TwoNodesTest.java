package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fi.palvelurinki.broker.BrokerConfig;
import fi.palvelurinki.broker.ScheduledTimerService;
import fi.palvelurinki.broker.testing.PostgresCluster;
import fi.palvelurinki.signaling.auth.Role;
import fi.palvelurinki.signaling.config.ConfigFile;
import fi.palvelurinki.signaling.node.PalvelurinkiNode;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two serve nodes on one PostgreSQL journal: the second stands by, answering where the active one is,
 * and takes over — state and port — when the active one stops.
 */
class TwoNodesTest {
    @TempDir
    Path data;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private PalvelurinkiNode node(String url, int port, ScheduledTimerService timers) throws Exception {
        ConfigFile.Deployment d;
        try (InputStream in = ServerFixture.class.getResourceAsStream("/test-deployment.yaml")) {
            d = ConfigFile.parse(in, "test-deployment.yaml");
        }
        BrokerConfig broker = d.broker().toBrokerConfig(data.resolve("n" + port))
                .withPostgres(new BrokerConfig.Postgres(url, "http://127.0.0.1:" + port, Duration.ofSeconds(1)));
        return PalvelurinkiNode.start(new PalvelurinkiServer.Options(d.signaling().withPort(port).withHost("127.0.0.1"),
                broker, d, ServerFixture.SECRET, InstantSource.system(), timers, false, null, null), s -> { });
    }

    @Test
    void theStandbySaysWhereTheActiveIsAndTakesOverWhenItStops() throws Exception {
        String url = PostgresCluster.shared().newDatabase();
        int portA = freePort();
        int portB = freePort();
        ObjectMapper json = new ObjectMapper();
        try (ScheduledTimerService timers = new ScheduledTimerService(InstantSource.system())) {
            PalvelurinkiNode a = node(url, portA, timers);
            try (PalvelurinkiNode b = node(url, portB, timers)) {
                assertThat(a.active()).isTrue();
                assertThat(b.active()).isFalse();
                String token = a.server().tokenFor(Role.ADVISOR, "anna", Duration.ofHours(1));

                await().atMost(Duration.ofSeconds(5)).until(() -> get(portB, "/healthz").body().contains("\"active\""));
                HttpResponse<String> standby = get(portB, "/healthz");
                assertThat(standby.statusCode()).isEqualTo(503);
                JsonNode h = json.readTree(standby.body());
                assertThat(h.path("status").asText()).isEqualTo("standby");
                assertThat(h.path("active").asText()).isEqualTo("http://127.0.0.1:" + portA);
                HttpResponse<String> ws = get(portB, "/ws");
                assertThat(ws.statusCode()).isEqualTo(503);
                assertThat(ws.headers().firstValue("X-Palvelurinki-Active")).contains("http://127.0.0.1:" + portA);
                assertThat(get(portB, "/advisor").headers().firstValue("Location"))
                        .contains("http://127.0.0.1:" + portA + "/advisor");
                assertThat(json.readTree(get(portA, "/healthz").body()).path("role").asText()).isEqualTo("active");

                // The advisor is welcomed by the active node; then that node stops.
                WsClient first = WsClient.open(URI.create("ws://127.0.0.1:" + portA + "/ws"), token);
                assertThat(first.hello().path("type").asText()).isEqualTo("welcome");
                first.close();
                long start = System.nanoTime();
                a.close();
                await("the standby takes over").atMost(Duration.ofSeconds(5)).until(b::active);
                assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5000);
                HttpResponse<String> ok = get(portB, "/healthz");
                assertThat(ok.statusCode()).isEqualTo(200);
                assertThat(json.readTree(ok.body()).path("role").asText()).isEqualTo("active");
                // The same token works on the new active node: same secret, same directory, same journal.
                WsClient again = WsClient.open(URI.create("ws://127.0.0.1:" + portB + "/ws"), token);
                assertThat(again.hello().path("type").asText()).isEqualTo("welcome");
                again.close();
            } finally {
                a.close();
            }
        }
    }
}
