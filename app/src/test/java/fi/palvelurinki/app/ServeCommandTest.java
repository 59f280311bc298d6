package fi.palvelurinki.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fi.palvelurinki.signaling.auth.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What "serve" puts together: the pages, the STUN service in the ICE servers, and the demo sign-in only with --demo. */
class ServeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path data;

    private ServeCommand.Running serve(String... deployment) throws Exception {
        ServeCommand cmd = new ServeCommand();
        String[] common = {"--data", data.toString(), "--host", "127.0.0.1", "--port", "0", "--stun-port", "0"};
        String[] args = new String[common.length + deployment.length];
        System.arraycopy(common, 0, args, 0, common.length);
        System.arraycopy(deployment, 0, args, common.length, deployment.length);
        new CommandLine(cmd).parseArgs(args);
        return cmd.start();
    }

    private HttpResponse<String> get(ServeCommand.Running r, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.server().port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theDemoServesThePagesTheDemoSignInAndItsStunServiceToBrowsers() throws Exception {
        try (ServeCommand.Running r = serve("--demo")) {
            HttpResponse<String> advisor = get(r, "/advisor");
            assertThat(advisor.statusCode()).isEqualTo(200);
            assertThat(advisor.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(advisor.body()).contains("/assets/js/advisor.js");
            assertThat(get(r, "/assets/js/protocol.js").statusCode()).isEqualTo(200);

            HttpResponse<String> users = get(r, "/demo/users");
            assertThat(users.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(users.body()).path("advisors").findValuesAsText("id")).contains("anna", "bo");
            HttpResponse<String> token = demoToken(r);
            assertThat(token.statusCode()).isEqualTo(200);
            assertThat(r.server().tokens().verify(JSON.readTree(token.body()).path("token").asText()))
                    .hasValueSatisfying(p -> assertThat(p.role()).isEqualTo(Role.EXPERT));

            int stunPort = r.media().stun().localAddress().getPort();
            JsonNode welcome = hello(r, r.server().tokenFor(Role.ADVISOR, "anna", Duration.ofMinutes(5)));
            assertThat(welcome.path("iceServers").toString())
                    .isEqualTo("[{\"urls\":[\"stun:127.0.0.1:" + stunPort + "\"]}]");

            // Something to book on the advisor's page, and the Kela service needs no notice, so that a
            // booked call can be tried at once (README).
            HttpResponse<String> services = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + r.server().port() + "/api/services"))
                    .header("Authorization", "Bearer " + r.server().tokenFor(Role.ADVISOR, "anna", Duration.ofMinutes(5)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(services.statusCode()).isEqualTo(200);
            JsonNode list = JSON.readTree(services.body()).path("services");
            assertThat(list.findValuesAsText("ring")).contains("kela", "dvv", "te", "vero");
            assertThat(list.get(0).path("id").asText()).isEqualTo("kela-appointment");
            assertThat(list.get(0).path("notice").asText()).isEqualTo("0s");
            assertThat(list.get(0).path("experts").findValuesAsText("id")).contains("eeva");
        }
    }

    @Test
    void withoutDemoThereIsNoDemoSignIn() throws Exception {
        try (ServeCommand.Running r = serve("--config", "../config/example.yaml")) {
            assertThat(get(r, "/expert").statusCode()).isEqualTo(200);
            assertThat(get(r, "/demo/users").statusCode()).isEqualTo(404);
            assertThat(demoToken(r).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aSecondServerOnTheSameDataIsRefusedAtOnceInOneLineNamingTheHolder() throws Exception {
        try (ServeCommand.Running first = serve("--demo")) {
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            java.io.PrintStream saved = System.err;
            int exit;
            try (java.io.PrintStream capture = new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8)) {
                System.setErr(capture);
                CommandLine cl = Main.commandLine();
                cl.setErr(new java.io.PrintWriter(capture, true));
                // Even the first server's own HTTP port: the lock is checked before any port is taken.
                exit = cl.execute("serve", "--demo", "--data", data.toString(), "--host", "127.0.0.1", "--port",
                        Integer.toString(first.server().port()), "--stun-port", "0");
            } finally {
                System.setErr(saved);
            }
            assertThat(exit).isEqualTo(1);
            String message = err.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(message.lines()).containsExactly("serve: the journal " + data.resolve("journal").toAbsolutePath()
                    + " is in use by pid " + ProcessHandle.current().pid() + " on host " + java.nio.file.Files.readString(
                    Path.of("/proc/sys/kernel/hostname")).trim() + " since "
                    + message.substring(message.indexOf(" since ") + 7, message.indexOf("; one writer"))
                    + "; one writer at a time: stop that one first (report and journal check can read it meanwhile)");
            assertThat(get(first, "/healthz").statusCode()).as("the first one runs on").isEqualTo(200);
        }
    }

    private HttpResponse<String> demoToken(ServeCommand.Running r) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.server().port() + "/demo/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"role\":\"expert\",\"user\":\"eeva\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Says hello over a WebSocket the way a browser does (subprotocols) and returns the welcome. */
    private JsonNode hello(ServeCommand.Running r, String token) throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        StringBuilder text = new StringBuilder();
        WebSocket ws = http.newWebSocketBuilder().subprotocols("palvelurinki.v1", "bearer." + token)
                .buildAsync(URI.create("ws://127.0.0.1:" + r.server().port() + "/ws"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            first.complete(text.toString());
                        }
                        w.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        ws.sendText("{\"type\":\"hello\",\"id\":\"h1\"}", true);
        JsonNode welcome = JSON.readTree(first.get(10, TimeUnit.SECONDS));
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        return welcome;
    }

    @Test
    void withACertificateAndKeyItServesHttpsAndRedirectsPlainHttp() throws Exception {
        io.netty.handler.ssl.util.SelfSignedCertificate cert = new io.netty.handler.ssl.util.SelfSignedCertificate("localhost");
        try (ServeCommand.Running r = serve("--demo", "--tls-cert", cert.certificate().getPath(), "--tls-key",
                cert.privateKey().getPath())) {
            assertThat(r.server().options().transport().tls()).isTrue();
            HttpResponse<String> plain = get(r, "/advisor");
            assertThat(plain.statusCode()).isEqualTo(308);
            assertThat(plain.headers().firstValue("Location")).hasValue("https://127.0.0.1:" + r.server().port() + "/advisor");
        } finally {
            cert.delete();
        }
        ServeCommand half = new ServeCommand();
        new CommandLine(half).parseArgs("--demo", "--data", data.toString(), "--tls-cert", "cert.pem");
        org.assertj.core.api.Assertions.assertThatThrownBy(half::start)
                .isInstanceOf(picocli.CommandLine.ParameterException.class)
                .hasMessage("give both --tls-cert and --tls-key");
    }
}
