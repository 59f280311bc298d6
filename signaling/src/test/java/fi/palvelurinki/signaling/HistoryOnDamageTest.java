package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fi.palvelurinki.broker.journal.JournalBytes;
import fi.palvelurinki.signaling.auth.Role;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The History view on a journal damaged under the running server: it reads around the damage and names it. */
class HistoryOnDamageTest extends ServerTestBase {
    static final String DAY = HistoryApiTest.DAY;
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void historyAndWhatIfNameWhatTheyCouldNotRead() throws Exception {
        HistoryApiTest.driveCalls(f, 3);
        long events = f.server.broker().health().durableSeq();

        // A byte goes bad in the middle of the live journal (the server keeps writing after it).
        Path seg = JournalBytes.segments(data.resolve("journal")).get(0);
        List<JournalBytes.Group> groups = JournalBytes.groups(seg);
        JournalBytes.Group g = groups.get(groups.size() / 2);
        JournalBytes.xor(seg, g.recordsAt() + 20, 0x20);

        HttpResponse<String> r = get("from=" + DAY + "&to=" + DAY);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode h = json(r);
        assertThat(h.path("events").asLong()).isEqualTo(events - g.count());
        JsonNode u = h.path("unread").get(0);
        assertThat(h.path("unread")).hasSize(1);
        assertThat(u.path("segment").asText()).isEqualTo("00000000000000000001.journal");
        assertThat(u.path("offset").asLong()).isEqualTo(g.recordsAt());
        assertThat(u.path("fromSeq").asLong()).isEqualTo(g.firstSeq());
        assertThat(u.path("toSeq").asLong()).isEqualTo(g.lastSeq());
        assertThat(u.path("reason").asText()).startsWith("checksum mismatch in the record of seq " + g.firstSeq());
        assertThat(u.path("text").asText()).startsWith("seq " + g.firstSeq()).doesNotContain("start");

        HttpResponse<String> w = whatIf("{\"from\":\"" + DAY + "\",\"to\":\"" + DAY + "\",\"rings\":[\"kela\"],\"experts\":\"1\"}");
        assertThat(w.statusCode()).as(w.body()).isEqualTo(200);
        assertThat(json(w).path("unread").get(0).path("fromSeq").asLong()).isEqualTo(g.firstSeq());
        assertThat(f.server.broker().health().healthy()).as("the server runs on").isTrue();
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(f.http(path)).header("Authorization", "Bearer " + f.token(Role.OPERATOR, "olli"))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String query) throws Exception {
        return call("GET", "/api/history?" + query, null);
    }

    private HttpResponse<String> whatIf(String body) throws Exception {
        return call("POST", "/api/whatif", body);
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return WsClient.JSON.readTree(r.body());
    }
}
