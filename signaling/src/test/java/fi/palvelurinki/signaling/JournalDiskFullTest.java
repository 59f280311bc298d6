package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.journal.FileJournal;
import fi.palvelurinki.broker.testing.Tmpfs;
import fi.palvelurinki.signaling.auth.Role;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The server's journal on a real tmpfs that fills up under a wave of requests over WebSocket and bookings
 * over HTTP: everything in flight is answered ({@code unavailable}, 503), {@code /healthz} says why, and a
 * restart after space returns has everything that was acknowledged.
 */
class JournalDiskFullTest {
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everythingInFlightWhenTheJournalFailsIsAnsweredAndARestartKeepsWhatWasAcknowledged() throws Exception {
        try (Tmpfs fs = Tmpfs.mount(16L << 20)) {
            ServerFixture f = new ServerFixture(fs.path().resolve("data"));
            List<Long> acknowledged = new ArrayList<>();
            List<Long> booked = new ArrayList<>();
            try {
                JsonNode healthy = json(get(f, "/healthz"));
                assertThat(healthy.path("journalWritable").asBoolean()).isTrue();
                assertThat(healthy.path("journalFreeBytes").asLong()).isPositive();
                List<WsClient> advisors = List.of(f.connect(Role.ADVISOR, "anna"), f.connect(Role.ADVISOR, "maria"),
                        f.connect(Role.ADVISOR, "bo"));
                fs.fillLeaving(8 * 1024);
                // Room for these, acknowledged one by one before the wave:
                for (WsClient a : advisors) {
                    JsonNode q = CallFlowTest.requestCall(a, "kela", "pension", "fi", "before the wave");
                    assertThat(q.path("type").asText()).as(q.toString()).isEqualTo("queued");
                    acknowledged.add(q.path("requestId").asLong());
                }
                long waveSent = System.nanoTime();

                // One wave, all sent before any reply: 45 request_calls over three WebSockets (each with a long
                // note, so that the wave needs far more than the room left), 5 bookings over HTTP.
                String note = "asiakas tarvitsee apua asumistuen hakemisessa; liitteet mukana. ".repeat(7);
                Map<String, WsClient> sent = new ConcurrentHashMap<>(); // by "advisor/message id"
                for (int i = 0; i < 15; i++) {
                    for (WsClient a : advisors) {
                        ObjectNode m = a.msg("request_call");
                        m.put("ring", "kela").put("topic", "pension").put("language", "fi").put("note", note + i);
                        sent.put(a.welcome.path("user").asText() + "/" + m.get("id").asText(), a);
                        a.send(m);
                    }
                }
                List<CompletableFuture<HttpResponse<String>>> bookings = new ArrayList<>();
                for (int k = 0; k < 5; k++) {
                    bookings.add(post(f, "anna", "/api/bookings", BookingApiTest.booking(
                            BookingApiTest.at("2026-11-24T1" + (2 + k) + ":00"))));
                }
                await("a reply to every request_call").atMost(Duration.ofSeconds(20)).until(() -> sent.entrySet().stream()
                        .allMatch(e -> reply(e.getValue(), e.getKey()) != null));
                await("an answer to every booking").atMost(Duration.ofSeconds(20))
                        .until(() -> bookings.stream().allMatch(CompletableFuture::isDone));

                long answered = System.nanoTime();
                int unavailable = 0;
                for (Map.Entry<String, WsClient> e : sent.entrySet()) {
                    JsonNode r = reply(e.getValue(), e.getKey());
                    if (r.path("type").asText().equals("queued")) {
                        acknowledged.add(r.path("requestId").asLong());
                    } else {
                        assertThat(r.path("type").asText()).isEqualTo("error");
                        assertThat(r.path("code").asText()).as(r.toString()).isEqualTo("unavailable");
                        assertThat(r.path("reason").asText()).contains("No space left on device");
                        unavailable++;
                    }
                }
                for (CompletableFuture<HttpResponse<String>> b : bookings) {
                    HttpResponse<String> r = b.join();
                    if (r.statusCode() == 201) {
                        booked.add(json(r).path("booking").path("id").asLong());
                    } else {
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                        assertThat(json(r).path("code").asText()).isEqualTo("unavailable");
                        unavailable++;
                    }
                }
                assertThat(unavailable).as("the wave met the full disk").isPositive();

                HttpResponse<String> health = get(f, "/healthz");
                assertThat(health.statusCode()).isEqualTo(503);
                assertThat(json(health).path("journalWritable").asBoolean()).isFalse();
                assertThat(json(health).path("problem").asText()).contains("No space left on device");
                HttpResponse<String> later = post(f, "anna", "/api/bookings",
                        BookingApiTest.booking(BookingApiTest.at("2026-11-24T17:00"))).get(10, TimeUnit.SECONDS);
                assertThat(later.statusCode()).isEqualTo(503);
                System.out.printf("disk full over the network: %d requests and %d of 5 bookings acknowledged, %d of 50"
                        + " answered unavailable, all answered %d ms after the wave was sent%n", acknowledged.size(),
                        booked.size(), unavailable, (answered - waveSent) / 1_000_000);
            } finally {
                f.close();
            }

            fs.free();
            f.start();
            try {
                for (long id : acknowledged) {
                    Reply.RequestStatus s = (Reply.RequestStatus) f.server.broker().submit(new Command.GetRequest(id))
                            .get(10, TimeUnit.SECONDS);
                    assertThat(s.state()).as("request " + id).isEqualTo("WAITING");
                }
                for (long id : booked) {
                    HttpResponse<String> b = http.send(HttpRequest.newBuilder(f.http("/api/bookings/" + id))
                            .header("Authorization", "Bearer " + f.token(Role.ADVISOR, "anna")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(b.statusCode()).as("booking " + id).isEqualTo(200);
                }
                assertThat(get(f, "/healthz").statusCode()).isEqualTo(200);
            } finally {
                f.close();
            }
        }
    }

    @Test
    void aServerRestartedOnAFullDiskAnswers503FromHealthzUntilSpaceReturns() throws Exception {
        try (Tmpfs fs = Tmpfs.mount(16L << 20)) {
            ServerFixture f = new ServerFixture(fs.path().resolve("data"));
            f.close();
            fs.fill();
            f.start();
            try {
                HttpResponse<String> health = get(f, "/healthz");
                assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
                JsonNode h = json(health);
                assertThat(h.path("journalWritable").asBoolean()).isFalse();
                assertThat(h.path("journalFreeBytes").asLong()).isLessThan(FileJournal.MIN_FREE_BYTES);
                assertThat(h.path("problem").asText()).contains("bytes free, less than 1048576");
                fs.free();
                assertThat(get(f, "/healthz").statusCode()).as("space is back").isEqualTo(200);
            } finally {
                f.close();
            }
        }
    }

    @Test
    void aServerThatCannotWriteItsJournalAtStartSaysSoInOneLine() throws Exception {
        try (Tmpfs fs = Tmpfs.mount(1L << 20)) {
            fs.fill();
            assertThatThrownBy(() -> new ServerFixture(fs.path().resolve("data")))
                    .isInstanceOf(IOException.class)
                    .hasMessage("the journal cannot be written: No space left on device; the server cannot start without it");
        }
    }

    private static JsonNode reply(WsClient c, String key) {
        String id = key.substring(key.indexOf('/') + 1);
        for (JsonNode n : c.received) {
            if (id.equals(n.path("re").asText(null))) {
                return n;
            }
        }
        return null;
    }

    private HttpResponse<String> get(ServerFixture f, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(f.http(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> post(ServerFixture f, String user, String path, String body) {
        return http.sendAsync(HttpRequest.newBuilder(f.http(path)).header("Authorization", "Bearer " + f.token(Role.ADVISOR, user))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return WsClient.JSON.readTree(r.body());
    }
}
