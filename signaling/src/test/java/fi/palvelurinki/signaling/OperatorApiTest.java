package fi.palvelurinki.signaling;

import static fi.palvelurinki.signaling.CallFlowTest.available;
import static fi.palvelurinki.signaling.CallFlowTest.requestCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.JournalReader;
import fi.palvelurinki.signaling.auth.Role;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Operators: live ring figures by push, ring settings and membership through the REST API, journaled. */
class OperatorApiTest extends ServerTestBase {
    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(f.http(path))
                .header("Authorization", "Bearer " + f.token(Role.OPERATOR, "olli"));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return WsClient.JSON.readTree(r.body());
    }

    @Test
    void operatorsWatchRingsLive() throws Exception {
        WsClient operator = f.connect(Role.OPERATOR, "olli");
        JsonNode snapshot = operator.request(operator.msg("watch_rings"));
        assertThat(snapshot.path("type").asText()).isEqualTo("ring_statuses");
        assertThat(snapshot.path("rings").findValuesAsText("id")).contains("kela", "dvv");

        WsClient expert = f.connect(Role.EXPERT, "e2");
        available(expert);
        WsClient advisor = f.connect(Role.ADVISOR, "anna");
        requestCall(advisor, "kela", "pension", "fi", "");
        requestCall(advisor, "kela", "pension", "fi", "");
        JsonNode kela = operator.awaitMessage(n -> n.path("type").asText().equals("ring_status")
                && n.path("ring").path("id").asText().equals("kela") && n.path("ring").path("waiting").asInt() == 1
                && n.path("ring").path("offersPending").asInt() == 1).path("ring");
        assertThat(kela.path("experts").path("offered").asInt()).isEqualTo(1);
        assertThat(kela.path("queuedToday").asInt()).isEqualTo(2);
    }

    @Test
    void ringSettingsChangeThroughTheApiAndAreJournaled() throws Exception {
        HttpResponse<String> list = call("GET", "/api/rings", null);
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode kela = json(list).path("rings").get(0);
        assertThat(kela.path("config").path("offerTimeout").asText()).isEqualTo("20s");
        assertThat(kela.path("status").path("waiting").asInt()).isZero();

        HttpResponse<String> changed = call("PATCH", "/api/rings/kela", "{\"offerTimeout\":\"45s\",\"wrapUp\":\"2m\","
                + "\"overflow\":{\"ring\":\"dvv\",\"after\":\"5m\"}}");
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(json(changed).path("offerTimeout").asText()).isEqualTo("45s");
        assertThat(json(changed).path("overflow").path("ring").asText()).isEqualTo("dvv");
        assertThat(json(call("GET", "/api/rings/kela", null)).path("config").path("wrapUp").asText()).isEqualTo("2m");

        HttpResponse<String> bad = call("PATCH", "/api/rings/kela", "{\"offerTimeout\":\"1s\",\"wrapUp\":\"5m\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).path("code").asText()).isEqualTo("invalid_argument");
        assertThat(json(bad).path("reason").asText()).contains("offer timeout");
        assertThat(json(call("GET", "/api/rings/kela", null)).path("config").path("wrapUp").asText())
                .as("a refused change changes nothing").isEqualTo("2m");
        assertThat(call("PATCH", "/api/rings/kela", "{\"offerTimout\":\"30s\"}").statusCode()).isEqualTo(400);
        assertThat(call("PATCH", "/api/rings/nasa", "{\"wrapUp\":\"30s\"}").statusCode()).isEqualTo(404);
        assertThat(call("PATCH", "/api/rings/kela", "not json").statusCode()).isEqualTo(400);
        assertThat(call("DELETE", "/api/rings/kela", null).statusCode()).isEqualTo(404);

        await().until(() -> f.server.broker().health().durableSeq() == f.server.broker().health().appendedSeq());
        List<DomainEvent.RingConfigured> configured = new ArrayList<>();
        JournalReader.read(data.resolve("journal"), e -> {
            if (e.event() instanceof DomainEvent.RingConfigured r) {
                configured.add(r);
            }
        });
        DomainEvent.RingConfigured last = configured.get(configured.size() - 1);
        assertThat(last.actor()).isEqualTo("operator:olli");
        assertThat(last.ring().offerTimeout()).isEqualTo(Duration.ofSeconds(45));

        // The operator's change outlives a restart although the file says otherwise.
        f.restart();
        assertThat(json(call("GET", "/api/rings/kela", null)).path("config").path("offerTimeout").asText()).isEqualTo("45s");
    }

    @Test
    void membershipChangesThroughTheApi() throws Exception {
        HttpResponse<String> put = call("PUT", "/api/experts/e3", "{\"name\":\"Tuula Jokinen\",\"rings\":[\"dvv\",\"kela\"],"
                + "\"languages\":[\"fi\"]}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        JsonNode experts = json(call("GET", "/api/experts", null)).path("experts");
        JsonNode e3 = null;
        for (JsonNode e : experts) {
            if (e.path("id").asText().equals("e3")) {
                e3 = e;
            }
        }
        assertThat(e3.path("rings").toString()).isEqualTo("[\"dvv\",\"kela\"]");
        assertThat(e3.path("presence").asText()).isEqualTo("offline");
        // Now e3 answers Kela calls too.
        WsClient expert = f.connect(Role.EXPERT, "e3");
        available(expert);
        WsClient advisor = f.connect(Role.ADVISOR, "anna");
        requestCall(advisor, "kela", "pension", "fi", "");
        assertThat(expert.awaitType("offer").path("ring").asText()).isEqualTo("kela");
    }

    @Test
    void anUnknownRingInTheBodyIsABadValueAndOneInThePathIsNotFound() throws Exception {
        HttpResponse<String> member = call("PUT", "/api/experts/e4", "{\"name\":\"X\",\"rings\":[\"nasa\"],"
                + "\"languages\":[\"fi\"]}");
        assertThat(member.statusCode()).isEqualTo(400);
        assertThat(json(member).path("code").asText()).isEqualTo("unknown_ring");
        HttpResponse<String> overflow = call("PATCH", "/api/rings/kela", "{\"overflow\":{\"ring\":\"nasa\",\"after\":\"5m\"}}");
        assertThat(overflow.statusCode()).isEqualTo(400);
        assertThat(json(overflow).path("reason").asText()).contains("nasa");
        assertThat(call("GET", "/api/rings/nasa", null).statusCode()).isEqualTo(404);
        assertThat(call("PATCH", "/api/rings/nasa", "{\"wrapUp\":\"30s\"}").statusCode()).isEqualTo(404);
        assertThat(json(call("GET", "/api/experts", null)).path("experts").findValuesAsText("id")).doesNotContain("e4");
        assertThat(json(call("GET", "/api/rings/kela", null)).path("config").path("overflow").isNull()).isTrue();
    }

    @Test
    void anExpertCannotTakeTheIdOfAnAdvisorOrOperator() throws Exception {
        long seq = f.server.broker().health().appendedSeq();
        HttpResponse<String> anna = call("PUT", "/api/experts/anna", "{\"name\":\"Anna\",\"rings\":[\"kela\"],"
                + "\"languages\":[\"fi\"]}");
        assertThat(anna.statusCode()).isEqualTo(409);
        assertThat(json(anna).path("code").asText()).isEqualTo("id_taken");
        assertThat(json(anna).path("reason").asText()).isEqualTo("'anna' is an advisor's id; user ids are unique across"
                + " advisors, experts and operators");
        assertThat(call("PUT", "/api/experts/olli", "{\"name\":\"Olli\",\"rings\":[\"kela\"],\"languages\":[\"fi\"]}")
                .statusCode()).isEqualTo(409);
        assertThat(f.server.broker().health().appendedSeq()).as("nothing was journaled").isEqualTo(seq);
        // So no expert token for anna is ever admitted.
        String expertAnna = f.server.tokens().issue("anna", Role.EXPERT, null, List.of("kela"), Duration.ofHours(1));
        var refused = org.assertj.core.api.Assertions.catchThrowable(() -> WsClient.open(f.ws(), expertAnna));
        assertThat(refused).isNotNull();
    }

    @Test
    void healthAndMetricsAreServed() throws Exception {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(f.http("/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health).path("status").asText()).isEqualTo("ok");

        WsClient expert = f.connect(Role.EXPERT, "e1");
        available(expert);
        WsClient advisor = f.connect(Role.ADVISOR, "anna");
        requestCall(advisor, "kela", "pension", "fi", "");
        expert.awaitType("offer");
        await().until(() -> http.send(HttpRequest.newBuilder(f.http("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body().contains("palvelurinki_offers_total{outcome=\"made\"} 1.0"));
        String metrics = http.send(HttpRequest.newBuilder(f.http("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("palvelurinki_queue_length{ring=\"kela\"}")
                .contains("palvelurinki_experts{presence=\"offered\",ring=\"kela\"} 1.0")
                .contains("palvelurinki_connections{role=\"advisor\"} 1.0")
                .contains("palvelurinki_journal_fsync_seconds_bucket")
                .contains("palvelurinki_broker_command_seconds_count")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void theGrafanaDashboardQueriesOnlyMetricsThatExist() throws Exception {
        Call call = connectedCall("anna", "e1");
        WsClient advisor = call.advisor();
        long callId = call.callId();
        advisor.send(CallFlowTest.signal(advisor, callId, "offer", "v=0"));
        ObjectNode report = advisor.msg("media_report");
        report.put("callId", callId);
        report.put("timeToVideoMs", 850);
        advisor.request(report);
        advisor.request(advisor.msg("watch_rings"));
        String metrics = f.server.metrics().scrape();
        String dashboard = java.nio.file.Files.readString(Path.of("../docs/grafana-dashboard.json"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(palvelurinki_[a-z_]+|jvm_[a-z_]+)").matcher(dashboard);
        int checked = 0;
        while (m.find()) {
            assertThat(metrics).as("dashboard uses " + m.group(1)).contains(m.group(1));
            checked++;
        }
        assertThat(checked).isGreaterThan(10);
        assertThat(metrics).contains("palvelurinki_time_to_video_seconds_count{role=\"advisor\"} 1");
    }

    @Test
    void theApiDocsShowEveryRingSettingTheApiHas() throws Exception {
        String docs = java.nio.file.Files.readString(Path.of("../docs/api.md"));
        int at = docs.indexOf("```json", docs.indexOf("`GET /api/rings`"));
        JsonNode example = WsClient.JSON.readTree(docs.substring(docs.indexOf('\n', at), docs.indexOf("```", at + 7)));
        JsonNode served = json(call("GET", "/api/rings", null)).path("rings").get(0);
        List<String> documented = new ArrayList<>();
        example.path("rings").get(0).path("config").fieldNames().forEachRemaining(documented::add);
        List<String> actual = new ArrayList<>();
        served.path("config").fieldNames().forEachRemaining(actual::add);
        assertThat(documented).isEqualTo(actual);
        String patch = docs.substring(docs.indexOf("`PATCH /api/rings/{id}`"), docs.indexOf("```sh", docs.indexOf("`PATCH /api/rings/{id}`")));
        for (String setting : actual) {
            if (!setting.equals("id") && !setting.equals("authority")) {
                assertThat(patch).as("PATCH lists " + setting).contains("`" + setting + "`");
            }
        }
    }

    @Test
    void everyLiveSeriesTheDocsNameIsServed() throws Exception {
        Call call = connectedCall("anna", "e1");
        WsClient advisor = call.advisor();
        advisor.send(CallFlowTest.signal(advisor, call.callId(), "offer", "v=0"));
        advisor.request(SecurityAndBadInputTest.mediaReport(advisor, call.callId(), 850));
        advisor.sendRaw("{not json");
        advisor.awaitType("error");
        await().until(() -> f.server.metrics().scrape().contains("palvelurinki_messages_relayed_total 1.0"));
        String metrics = f.server.metrics().scrape();
        String docs = java.nio.file.Files.readString(Path.of("../docs/metrics.md"));
        String live = docs.substring(docs.indexOf("## Live metrics"), docs.indexOf("## Efficiency figures"));
        java.util.regex.Matcher row = java.util.regex.Pattern.compile("(?m)^\\| `([a-z_]+)(\\{([a-z_]+)=\"([a-z_]+)\")?")
                .matcher(live);
        int checked = 0;
        while (row.find()) {
            String series = row.group(1);
            String label = row.group(2) == null ? "" : row.group(3) + "=\"" + row.group(4) + "\"";
            assertThat(metrics).as("docs/metrics.md names " + row.group(0).substring(2))
                    .containsPattern("(?m)^" + series + "(_bucket|_count)?(\\{[^}]*" + java.util.regex.Pattern.quote(label)
                            + "[^}]*})? ");
            checked++;
        }
        assertThat(checked).isGreaterThan(15);
    }

    @Test
    void whenTheBrokerHasStoppedTheHealthCheckFails() throws Exception {
        f.server.broker().close();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(f.http("/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(503);
    }
}
