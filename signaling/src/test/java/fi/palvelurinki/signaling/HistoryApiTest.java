package fi.palvelurinki.signaling;

import static fi.palvelurinki.signaling.CallFlowTest.available;
import static fi.palvelurinki.signaling.CallFlowTest.requestCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.palvelurinki.broker.analytics.Erlang;
import fi.palvelurinki.broker.analytics.Workload;
import fi.palvelurinki.signaling.auth.Role;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The History view's routes over a journal written by the real broker: calls driven over WebSocket with
 * the manual clock (Tuesday 24 November 2026, from 10:00 Finnish time), so every figure is known.
 */
class HistoryApiTest extends ServerTestBase {
    static final Duration TALK = Duration.ofMinutes(4);
    static final String DAY = "2026-11-24";

    final HttpClient http = HttpClient.newHttpClient();

    /**
     * Kalle (e2, Kela) answers {@code calls} Kela requests from Anna one after another, each with 4 min of
     * talk and the ring's 30 s of wrap-up: each handle time is 270 s and nobody waits.
     */
    static void driveCalls(ServerFixture f, int calls) throws Exception {
        WsClient expert = f.connect(Role.EXPERT, "e2");
        available(expert);
        WsClient advisor = f.connect(Role.ADVISOR, "anna");
        for (int i = 1; i <= calls; i++) {
            long id = requestCall(advisor, "kela", "pension", "fi", "").path("requestId").asLong();
            expert.awaitMessage(n -> n.path("type").asText().equals("offer") && n.path("requestId").asLong() == id);
            ObjectNode accept = expert.msg("accept_offer");
            accept.put("requestId", id);
            expert.request(accept);
            long callId = advisor.awaitType("call_connected", i).path("callId").asLong();
            f.advance(TALK);
            ObjectNode hangup = advisor.msg("hangup");
            hangup.put("callId", callId);
            advisor.request(hangup);
            expert.awaitType("call_ended", i);
            f.advance(Duration.ofSeconds(30));
        }
        await().until(() -> f.server.broker().health().durableSeq() == f.server.broker().health().appendedSeq());
    }

    HttpResponse<String> call(Role role, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(f.http(path))
                .header("Authorization", "Bearer " + f.token(role, role == Role.OPERATOR ? "olli" : "anna"));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String query) throws Exception {
        return call(Role.OPERATOR, "GET", "/api/history?" + query, null);
    }

    HttpResponse<String> whatIf(String body) throws Exception {
        return call(Role.OPERATOR, "POST", "/api/whatif", body);
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return WsClient.JSON.readTree(r.body());
    }

    @Test
    void historyHasTheChartsAndARecommendationThatErlangConfirms() throws Exception {
        driveCalls(f, 3);
        HttpResponse<String> r = get("from=" + DAY + "&to=" + DAY);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode h = json(r);
        assertThat(h.path("summary").path("offered").asLong()).isEqualTo(3);
        assertThat(h.path("summary").path("answered").asLong()).isEqualTo(3);
        assertThat(h.path("summary").path("abandoned").asLong()).isZero();
        assertThat(h.path("summary").path("serviceLevel").asDouble()).as("nobody waited").isEqualTo(1.0);
        assertThat(h.path("summary").path("ahtSeconds").asDouble()).as("4 min talk + 30 s wrap-up").isEqualTo(270.0);
        assertThat(h.path("cached").asBoolean()).isFalse();
        String charts = h.path("chartsHtml").asText();
        assertThat(charts).contains("id=\"chart-waits\"", "id=\"chart-hours\"", "id=\"chart-occupancy\"", "id=\"chart-sl\"",
                "id=\"booking-waste\"", "<title>Wait-time distribution</title>");

        JsonNode rec = h.path("recommendations").get(0);
        assertThat(rec.path("ring").asText()).isEqualTo("kela");
        assertThat(rec.path("day").asInt()).as("Tuesday").isEqualTo(2);
        assertThat(rec.path("hour").asInt()).as("10-11 Finnish time").isEqualTo(10);
        assertThat(rec.path("arrivals").asLong()).isEqualTo(3);
        assertThat(rec.path("ahtSeconds").asDouble()).as("too few calls for the hour's own: the ring's").isEqualTo(270.0);
        // The journal covers 10:00 to the last wrap-up's end, 3 × 4.5 min = 13.5 min = 0.225 h: 3 requests of
        // 270 s in 810 s are a load of 1 erlang. Erlang C, 60 s threshold: 2 experts give P(wait) 1/3 and
        // SL 1 − 1/3·e^(−60/270) = 73 %, short of 80 %; 3 give P(wait) 1/11 and SL 1 − 1/11·e^(−120/270) = 94 %.
        assertThat(rec.path("hoursObserved").asDouble()).isCloseTo(0.225, within(1e-9));
        assertThat(rec.path("thresholdSeconds").asDouble()).isEqualTo(60.0);
        int erlang = Erlang.minimumAgents(Workload.withoutAbandonment(3 / 810.0, 270), 60, 0.8).agents();
        assertThat(rec.path("recommended").asInt()).isEqualTo(erlang).isEqualTo(3);
        assertThat(rec.path("expectedServiceLevel").asDouble()).isCloseTo(1 - Math.exp(-120 / 270.0) / 11, within(1e-6));
        assertThat(rec.path("sentence").asText()).startsWith("Kela, Tuesdays 10–11: 3 experts for 80 % in 60 s; you had ");

        JsonNode again = json(get("from=" + DAY + "&to=" + DAY));
        assertThat(again.path("cached").asBoolean()).as("same period, options and journal length").isTrue();
        assertThat(json(get("from=" + DAY + "&to=" + DAY + "&ring=dvv")).path("recommendations").size())
                .as("DVV had no requests").isZero();
        assertThat(json(get("from=2026-11-25&to=2026-11-25")).path("empty").asBoolean()).isTrue();
    }

    @Test
    void aRecordTheBrokerIsStillWritingIsLeftAlone() throws Exception {
        driveCalls(f, 3);
        Path segment;
        try (Stream<Path> files = Files.list(data.resolve("journal"))) {
            segment = files.filter(p -> p.toString().endsWith(".journal")).max(Comparator.naturalOrder()).orElseThrow();
        }
        // What the reader sees in the middle of a write: a record header promising 100 bytes, 10 of them there.
        ByteBuffer half = ByteBuffer.allocate(18).putInt(100).putInt(0x12345678).put(new byte[10]).flip();
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.APPEND)) {
            ch.write(half);
        }
        long size = Files.size(segment);

        HttpResponse<String> r = get("from=" + DAY + "&to=" + DAY);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).path("summary").path("answered").asLong()).isEqualTo(3);
        assertThat(whatIf("{\"from\":\"" + DAY + "\",\"to\":\"" + DAY + "\",\"rings\":[\"kela\"],\"experts\":\"1\"}")
                .statusCode()).isEqualTo(200);
        assertThat(Files.size(segment)).as("the live file is not cut, only skipped in the reader's view").isEqualTo(size);
    }

    @Test
    void whatIfReplaysTheRecordedRequestsAgainstAnotherStaffing() throws Exception {
        driveCalls(f, 3);
        HttpResponse<String> r = whatIf("{\"from\":\"" + DAY + "\",\"to\":\"" + DAY + "\",\"rings\":[\"kela\"],"
                + "\"experts\":\"8-16=2\",\"seed\":7}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode w = json(r);
        assertThat(w.path("requests").asInt()).isEqualTo(3);
        assertThat(w.path("recorded").path("answered").asInt()).isEqualTo(3);
        assertThat(w.path("recorded").path("occupancy").isNull()).as("not known of the recorded experts").isTrue();
        assertThat(w.path("simulated").path("customers").asInt()).isEqualTo(3);
        assertThat(w.path("simulated").path("answered").asInt()).isEqualTo(3);
        assertThat(w.path("simulated").path("p_wait").asDouble()).as("each came after the last had left").isZero();
        assertThat(w.path("simulated").path("service_levels").path("60").asDouble()).isEqualTo(1.0);

        JsonNode none = json(whatIf("{\"from\":\"" + DAY + "\",\"to\":\"" + DAY + "\",\"rings\":[\"kela\",\"dvv\"],"
                + "\"experts\":\"0\"}"));
        assertThat(none.path("simulated").path("answered").asInt()).as("nobody to answer").isZero();
        assertThat(none.path("simulated").path("still_waiting").asInt()).isEqualTo(3);
    }

    @Test
    void badInputIsRefusedWithASpecificReason() throws Exception {
        String d = "from=" + DAY + "&to=" + DAY;
        assertBad(get("from=2026-11-31&to=" + DAY), "'from' must be a date YYYY-MM-DD");
        assertBad(get("from=" + DAY), "query parameter 'to' is required");
        assertBad(get("from=2026-11-25&to=" + DAY), "the period is empty");
        assertBad(get("from=2026-01-01&to=2026-12-31"), "at most 93");
        assertBad(get(d + "&ring=nasa"), "unknown ring 'nasa'");
        assertBad(get(d + "&threshold=soon"), "'threshold'");
        assertBad(get(d + "&target=1.5"), "'target' must be a share between 0 and 1");
        assertBad(get(d + "&rings=kela"), "unknown query parameter 'rings'");

        String p = "\"from\":\"" + DAY + "\",\"to\":\"" + DAY + "\",";
        assertBad(whatIf("{" + p + "\"rings\":[\"kela\"],\"experts\":\"8-12\"}"), "\"experts\": cannot read experts '8-12'");
        assertBad(whatIf("{" + p + "\"rings\":[\"kela\"],\"experts\":\"8-12=100001\"}"), "experts must be 0-100000");
        assertBad(whatIf("{" + p + "\"rings\":[\"kela\"],\"experts\":\"16-8=2\"}"), "must run forward");
        assertBad(whatIf("{" + p + "\"rings\":[\"nasa\"],\"experts\":\"2\"}"), "unknown ring 'nasa'");
        assertBad(whatIf("{" + p + "\"rings\":[],\"experts\":\"2\"}"), "\"rings\" must be a non-empty list");
        assertBad(whatIf("{" + p + "\"rings\":[\"kela\"],\"experts\":\"2\",\"bookedToInstant\":1.5}"),
                "\"bookedToInstant\" must be a share from 0 to 1");
        assertBad(whatIf("{" + p + "\"rings\":[\"kela\"],\"experts\":\"2\",\"seed\":\"x\"}"), "\"seed\" must be a whole number");
        assertBad(whatIf("{" + p + "\"rings\":[\"kela\"],\"experts\":\"2\",\"staff\":3}"), "unknown what-if field 'staff'");
        assertBad(whatIf("{\"from\":\"24.11.2026\",\"to\":\"" + DAY + "\",\"rings\":[\"kela\"],\"experts\":\"2\"}"),
                "'from' must be a date");
        assertBad(whatIf("{" + p + "\"rings\":[\"kela\"],\"experts\":\"2\"}"), "ring kela had no requests in the period");
        assertThat(whatIf("[1]").statusCode()).isEqualTo(400);
        assertThat(whatIf("not json").statusCode()).isEqualTo(400);
        assertThat(call(Role.OPERATOR, "DELETE", "/api/history", null).statusCode()).isEqualTo(404);
    }

    @Test
    void onlyOperatorsSeeHistory() throws Exception {
        HttpResponse<String> h = call(Role.ADVISOR, "GET", "/api/history?from=" + DAY + "&to=" + DAY, null);
        assertThat(h.statusCode()).isEqualTo(403);
        assertThat(json(h).path("code").asText()).isEqualTo("forbidden");
        assertThat(call(Role.ADVISOR, "POST", "/api/whatif", "{}").statusCode()).isEqualTo(403);
    }

    private static void assertBad(HttpResponse<String> r, String reason) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).path("code").asText()).isEqualTo("invalid_argument");
        assertThat(json(r).path("reason").asText()).contains(reason);
    }
}
