package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.broker.testing.ManualClock;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load generator's baseline endpoints exist only with the benchmark flag (default off). */
class BenchRelayFlagTest {
    @TempDir
    Path data;

    private static int post(ServerFixture f, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(f.http(path)).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void offByDefault() throws Exception {
        try (ServerFixture f = new ServerFixture(data)) {
            assertThat(f.server.options().signaling().benchRelay()).isFalse();
            assertThat(post(f, "/bench/gc")).isEqualTo(404);
        }
    }

    @Test
    void onWithTheFlag() throws Exception {
        try (ServerFixture f = new ServerFixture(data, ManualClock.tuesdayMorning(), c -> c.withBenchRelay(true))) {
            assertThat(post(f, "/bench/gc")).isEqualTo(200);
        }
    }
}
