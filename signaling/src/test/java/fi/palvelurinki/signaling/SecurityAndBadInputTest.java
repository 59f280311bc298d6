package fi.palvelurinki.signaling;

import static fi.palvelurinki.signaling.CallFlowTest.signal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.palvelurinki.signaling.auth.Principal;
import fi.palvelurinki.signaling.auth.Role;
import fi.palvelurinki.signaling.auth.TokenService;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Authentication before the upgrade, roles per message, and a specific error for every bad input. */
class SecurityAndBadInputTest extends ServerTestBase {

    /** Status and body of a refused upgrade. */
    String[] refused(String token) {
        var e = org.assertj.core.api.Assertions.catchThrowable(() -> WsClient.open(f.ws(), token));
        Throwable t = e;
        while (t != null && !(t instanceof WebSocketHandshakeException)) {
            t = t.getCause();
        }
        assertThat(t).as("the upgrade is refused: " + e).isInstanceOf(WebSocketHandshakeException.class);
        HttpResponse<?> r = ((WebSocketHandshakeException) t).getResponse();
        return new String[] {Integer.toString(r.statusCode()), String.valueOf(r.body())};
    }

    @Test
    void everyAuthenticationFailureLooksTheSame() {
        TokenService other = new TokenService("another-secret-another-secret-another-secret".getBytes(), f.clock);
        TokenService ours = f.server.tokens();
        List<String> bad = new ArrayList<>();
        bad.add("");
        bad.add("not-a-token");
        bad.add(other.issue("anna", Role.ADVISOR, "mikkeli", List.of(), Duration.ofHours(1)));
        bad.add(ours.issue(new Principal("anna", Role.ADVISOR, "mikkeli", List.of(),
                f.clock.instant().minus(TokenService.CLOCK_SKEW).minusSeconds(1))));
        bad.add(ours.issue("nobody", Role.ADVISOR, "mikkeli", List.of(), Duration.ofHours(1)));
        bad.add(ours.issue("anna", Role.ADVISOR, "parainen", List.of(), Duration.ofHours(1)));
        bad.add(ours.issue("e3", Role.EXPERT, null, List.of("kela"), Duration.ofHours(1)));
        bad.add(ours.issue("anna", Role.OPERATOR, null, List.of(), Duration.ofHours(1)));
        String good = f.token(Role.ADVISOR, "anna");
        bad.add(good.substring(0, good.length() - 2) + (good.endsWith("A") ? "BB" : "AA"));
        String[] first = refused(bad.get(0));
        assertThat(first[0]).isEqualTo("401");
        for (String token : bad) {
            String[] r = refused(token);
            assertThat(r).as("token " + token).containsExactly(first);
        }
    }

    @Test
    void browsersMaySendTheTokenAsASubprotocol() throws Exception {
        WsClient c = WsClient.openWithSubprotocol(f.ws(), f.token(Role.EXPERT, "e2"));
        assertThat(c.ws.getSubprotocol()).isEqualTo(PalvelurinkiServer.SUBPROTOCOL);
        assertThat(c.hello().path("user").asText()).isEqualTo("e2");
    }

    @Test
    void theOperatorApiWantsAnOperator() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> none = http.send(HttpRequest.newBuilder(f.http("/api/rings")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(f.http("/api/rings"))
                .header("Authorization", "Bearer v1.e30.AAAA").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.body()).isEqualTo(none.body());
        HttpResponse<String> expert = http.send(HttpRequest.newBuilder(f.http("/api/rings"))
                .header("Authorization", "Bearer " + f.token(Role.EXPERT, "e1")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(expert.statusCode()).isEqualTo(403);
        HttpResponse<String> operator = http.send(HttpRequest.newBuilder(f.http("/api/rings"))
                .header("Authorization", "Bearer " + f.token(Role.OPERATOR, "olli")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(operator.statusCode()).isEqualTo(200);
    }

    record Case(String name, String message, String code) {}

    @Test
    void everyClassOfBadMessageGetsASpecificErrorAndChangesNothing() throws Exception {
        WsClient advisor = f.connect(Role.ADVISOR, "anna");
        WsClient expert = f.connect(Role.EXPERT, "e1");
        long seqBefore = f.server.broker().health().appendedSeq();
        List<Case> cases = List.of(
                new Case("not JSON", "{type: hello", "bad_json"),
                new Case("not an object", "[1,2]", "bad_json"),
                new Case("no id", "{\"type\":\"ping\"}", "missing_field"),
                new Case("numeric id", "{\"type\":\"ping\",\"id\":7}", "invalid_field"),
                new Case("numeric type", "{\"type\":7,\"id\":\"a\"}", "invalid_field"),
                new Case("null id", "{\"type\":\"ping\",\"id\":null}", "missing_field"),
                new Case("id too long", "{\"type\":\"ping\",\"id\":\"" + "x".repeat(65) + "\"}", "invalid_field"),
                new Case("no type", "{\"id\":\"a\"}", "missing_field"),
                new Case("unknown type", "{\"type\":\"teleport\",\"id\":\"a\"}", "unknown_type"),
                new Case("unknown field", "{\"type\":\"ping\",\"id\":\"a\",\"extra\":1}", "unknown_field"),
                new Case("duplicate key", "{\"type\":\"ping\",\"id\":\"a\",\"id\":\"b\"}", "bad_json"),
                new Case("too deep", "{\"type\":\"ping\",\"id\":\"a\",\"x\":[[[[[[[1]]]]]]]}", "bad_json"),
                new Case("wrong field type", "{\"type\":\"cancel_request\",\"id\":\"a\",\"requestId\":\"7\"}", "invalid_field"),
                new Case("missing field", "{\"type\":\"request_call\",\"id\":\"a\",\"ring\":\"kela\",\"language\":\"fi\"}",
                        "missing_field"),
                new Case("bad language", "{\"type\":\"request_call\",\"id\":\"a\",\"ring\":\"kela\",\"topic\":\"pension\","
                        + "\"language\":\"klingon\"}", "invalid_field"),
                new Case("note too long", "{\"type\":\"request_call\",\"id\":\"a\",\"ring\":\"kela\",\"topic\":\"pension\","
                        + "\"language\":\"fi\",\"note\":\"" + "n".repeat(1001) + "\"}", "invalid_field"),
                new Case("unknown ring", "{\"type\":\"request_call\",\"id\":\"a\",\"ring\":\"nasa\",\"topic\":\"pension\","
                        + "\"language\":\"fi\"}", "unknown_ring"),
                new Case("topic not served", "{\"type\":\"request_call\",\"id\":\"a\",\"ring\":\"kela\",\"topic\":\"weddings\","
                        + "\"language\":\"fi\"}", "topic_not_offered"),
                new Case("not the advisor's to send", "{\"type\":\"accept_offer\",\"id\":\"a\",\"requestId\":1}", "forbidden"),
                new Case("operators only", "{\"type\":\"watch_rings\",\"id\":\"a\"}", "forbidden"),
                new Case("hello twice", "{\"type\":\"hello\",\"id\":\"a\"}", "already_hello"),
                new Case("no such request", "{\"type\":\"cancel_request\",\"id\":\"a\",\"requestId\":999}", "unknown_request"),
                new Case("signal without payload", "{\"type\":\"signal\",\"id\":\"a\",\"callId\":1}", "invalid_field"),
                new Case("signal to no call", "{\"type\":\"signal\",\"id\":\"a\",\"callId\":1,\"endOfCandidates\":true}",
                        "not_in_call"));
        for (Case c : cases) {
            int before = advisor.all("error").size();
            advisor.sendRaw(c.message());
            await().until(() -> advisor.all("error").size() > before);
            JsonNode err = advisor.all("error").get(before);
            assertThat(err.path("code").asText()).as(c.name() + ": " + err).isEqualTo(c.code());
            assertThat(err.path("reason").asText()).as(c.name()).isNotBlank();
        }
        JsonNode outOfState = expert.request(offerAnswer(expert, "accept_offer", 1));
        assertThat(outOfState.path("code").asText()).isEqualTo("no_such_offer");
        ObjectNode p = expert.msg("set_presence");
        p.put("presence", "in_call");
        assertThat(expert.request(p).path("code").asText()).isEqualTo("invalid_field");
        assertThat(expert.request(expert.msg("end_wrap_up")).path("code").asText()).isEqualTo("illegal_transition");
        assertThat(f.server.broker().health().appendedSeq()).as("no bad message changed any state").isEqualTo(seqBefore);
        assertThat(advisor.request(advisor.msg("ping")).path("type").asText()).as("the connection still works").isEqualTo("pong");
    }

    static ObjectNode offerAnswer(WsClient c, String type, long requestId) {
        ObjectNode m = c.msg(type);
        m.put("requestId", requestId);
        return m;
    }

    @Test
    void messagesBeforeHelloAreRefusedOutsideAnySession() throws Exception {
        WsClient c = WsClient.open(f.ws(), f.token(Role.ADVISOR, "anna"));
        c.send(c.msg("list_rings"));
        JsonNode err = c.awaitType("error");
        assertThat(err.path("code").asText()).isEqualTo("hello_required");
        assertThat(err.path("seq").asLong()).isZero();
    }

    @Test
    void signallingLimitsAreEnforced() throws Exception {
        Call call = connectedCall("anna", "e1");
        WsClient advisor = call.advisor();
        WsClient expert = call.expert();
        long callId = call.callId();

        JsonNode big = advisor.request(signal(advisor, callId, "offer", "a".repeat(32_769)));
        assertThat(big.path("code").asText()).isEqualTo("sdp_too_large");
        for (int i = 0; i < 20; i++) {
            ObjectNode m = advisor.msg("signal");
            m.put("callId", callId);
            m.putObject("candidate").put("candidate", "candidate:" + i + " 1 udp 1 127.0.0.1 " + (5000 + i) + " typ host");
            advisor.send(m);
        }
        ObjectNode one = advisor.msg("signal");
        one.put("callId", callId);
        one.putObject("candidate").put("candidate", "candidate:99 1 udp 1 127.0.0.1 6000 typ host");
        assertThat(advisor.request(one).path("code").asText()).isEqualTo("too_many_candidates");
        await().until(() -> expert.all("signal").size() == 20);
    }

    @Test
    void anOversizedFrameClosesTheConnection() throws Exception {
        WsClient c = f.connect(Role.ADVISOR, "anna");
        c.ws.sendText("{\"type\":\"ping\",\"id\":\"" + "x".repeat(70_000) + "\"}", true);
        assertThat(c.closed.get(10, TimeUnit.SECONDS)[0]).as("1009: message too big").isEqualTo(1009);
    }

    @Test
    void aFloodIsRateLimited() throws Exception {
        f.close();
        f = new ServerFixture(data, f.clock, c -> c.withLimits(10, 20, 3));
        WsClient c = f.connect(Role.ADVISOR, "anna");
        for (int i = 0; i < 100; i++) {
            c.send(c.msg("ping"));
        }
        await().until(() -> c.all("pong").size() + c.all("error").size() >= 100);
        // The server's clock stands still: exactly the burst of 20 passes (hello took one), the rest is refused.
        assertThat(c.all("pong")).hasSize(19);
        assertThat(c.all("error")).hasSize(81)
                .allSatisfy(e -> assertThat(e.path("code").asText()).isEqualTo("rate_limited"));
        assertThat(c.all("error").get(0).path("re").isMissingNode()).as("refused before it was read").isTrue();

        // Half a second refills 5 at 10 per second: five more pass, the sixth is refused.
        f.clock.advance(java.time.Duration.ofMillis(500));
        for (int i = 0; i < 6; i++) {
            c.send(c.msg("ping"));
        }
        await().until(() -> c.all("pong").size() + c.all("error").size() >= 106);
        assertThat(c.all("pong")).hasSize(24);
        assertThat(c.all("error")).hasSize(82);
    }

    @Test
    void aUserMayHoldOnlySoManyConnections() throws Exception {
        String token = f.token(Role.EXPERT, "e2");
        WsClient a = WsClient.open(f.ws(), token);
        WsClient b = WsClient.open(f.ws(), token);
        WsClient c = WsClient.open(f.ws(), token);
        WsClient d = WsClient.open(f.ws(), token);
        assertThat(d.closed.get(10, TimeUnit.SECONDS)[0]).as("policy violation").isEqualTo(1008);
        assertThat(a.hello().path("type").asText()).isEqualTo("welcome");
        assertThat(b.closed.isDone() || c.closed.isDone()).isFalse();
    }

    @Test
    void aClientThatStopsReadingIsDisconnected() throws Exception {
        Call call = connectedCall("anna", "e1");
        WsClient advisor = call.advisor();
        WsClient expert = call.expert();
        long callId = call.callId();
        expert.stopReading();
        String sdp = "s".repeat(30_000);
        // Socket buffers hold a few megabytes; past them the server's queue of 16 frames fills.
        for (int i = 0; i < 3000 && f.server.sessions().connections(Role.EXPERT) > 0; i++) {
            advisor.send(signal(advisor, callId, "offer", sdp));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> f.server.sessions().connections(Role.EXPERT) == 0);
        assertThat(f.server.metrics().scrape()).contains("palvelurinki_slow_consumer_disconnects_total 1.0");
    }

    @Test
    void tokensCarryWhatTheyName() {
        TokenService t = f.server.tokens();
        Instant exp = f.clock.instant().plusSeconds(60);
        Principal p = t.verify(t.issue(new Principal("e1", Role.EXPERT, null, List.of("kela"), exp))).orElseThrow();
        assertThat(p).isEqualTo(new Principal("e1", Role.EXPERT, null, List.of("kela"), exp.minusNanos(exp.getNano())));
        assertThatThrownBy(() -> new TokenService(new byte[16], f.clock)).hasMessageContaining("at least 32 bytes");
        assertThat(t.verify("v1." + "a".repeat(5000))).isEmpty();
    }

    @Test
    void binaryFramesAreRefusedNotDropped() throws Exception {
        WsClient c = f.connect(Role.ADVISOR, "anna");
        c.ws.sendBinary(java.nio.ByteBuffer.wrap("{\"type\":\"ping\",\"id\":\"b1\"}".getBytes()), true).join();
        JsonNode err = c.awaitType("error");
        assertThat(err.path("code").asText()).isEqualTo("bad_json");
        assertThat(err.path("reason").asText()).contains("binary frames are refused");
        assertThat(c.all("pong")).as("the binary message was not acted on").isEmpty();
        assertThat(c.request(c.msg("ping")).path("type").asText()).as("the connection still works").isEqualTo("pong");
    }

    @Test
    void anOptionalFieldSentAsNullIsTheSameAsOneLeftOut() throws Exception {
        WsClient expert = f.connect(Role.EXPERT, "e1");
        CallFlowTest.available(expert);
        WsClient advisor = f.connect(Role.ADVISOR, "anna");
        ObjectNode m = advisor.msg("request_call");
        m.put("ring", "kela").put("topic", "pension").put("language", "fi").putNull("note").putNull("fallbackConsent");
        assertThat(advisor.request(m).path("type").asText()).isEqualTo("queued");
        assertThat(expert.awaitType("offer").path("note").asText()).as("no note, as if none was sent").isEmpty();
        ObjectNode required = advisor.msg("request_call");
        required.put("ring", "kela").putNull("topic").put("language", "fi");
        assertThat(advisor.request(required).path("code").asText()).as("a required field as null is missing")
                .isEqualTo("missing_field");
    }

    @Test
    void theRefusedUpgradeAnswersJsonLikeTheApi() throws Exception {
        String[] ws = refused("not-a-token");
        HttpResponse<String> api = HttpClient.newHttpClient().send(HttpRequest.newBuilder(f.http("/api/rings"))
                .header("Authorization", "Bearer not-a-token").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ws[0]).isEqualTo("401");
        assertThat(ws[1]).isEqualTo(api.body())
                .isEqualTo("{\"code\":\"unauthorized\",\"reason\":\"a valid bearer token is required\"}");
    }

    /** A token signed with the server's secret but otherwise made by hand: {@code alg} HS256 or HS512. */
    private static String handMade(com.nimbusds.jose.JWSAlgorithm alg, String claimsJson) throws Exception {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String signed = b64.encodeToString(("{\"alg\":\"" + alg.getName() + "\",\"typ\":\"JWT\"}").getBytes())
                + "." + b64.encodeToString(claimsJson.getBytes());
        String mac = alg.equals(com.nimbusds.jose.JWSAlgorithm.HS256) ? "HmacSHA256" : "HmacSHA512";
        javax.crypto.Mac hmac = javax.crypto.Mac.getInstance(mac);
        hmac.init(new javax.crypto.spec.SecretKeySpec(ServerFixture.SECRET, mac));
        return signed + "." + b64.encodeToString(hmac.doFinal(signed.getBytes()));
    }

    @Test
    void tokensMustPassTheStandardChecksOfTimeAndType() throws Exception {
        TokenService t = f.server.tokens();
        long now = f.clock.instant().getEpochSecond();
        String claims = "{\"sub\":\"anna\",\"role\":\"advisor\",\"point\":\"mikkeli\",\"iat\":%s,\"exp\":%s}";
        var hs256 = com.nimbusds.jose.JWSAlgorithm.HS256;
        assertThat(t.verify(handMade(hs256, String.format(claims, now, now + 600)))).as("a good one").isPresent();
        assertThat(t.verify(handMade(hs256, String.format(claims, now + 3600, now + 7200)))).as("iat in the future")
                .isEmpty();
        assertThat(t.verify(handMade(hs256, String.format(claims, now, "\"" + (now + 600) + "\"")))).as("exp as a string")
                .isEmpty();
        assertThat(t.verify(handMade(hs256, String.format(claims, "\"" + now + "\"", now + 600)))).as("iat as a string")
                .isEmpty();
        assertThat(t.verify(handMade(hs256, "{\"sub\":\"anna\",\"role\":\"advisor\",\"point\":\"mikkeli\",\"iat\":"
                + now + ",\"exp\":" + (now + 600) + ",\"nbf\":" + (now + 3600) + "}"))).as("not valid before").isEmpty();
        assertThat(t.verify(handMade(hs256, "{\"sub\":\"anna\",\"role\":\"advisor\",\"point\":\"mikkeli\",\"iat\":"
                + now + "}"))).as("no exp").isEmpty();
        assertThat(t.verify(handMade(hs256, String.format(claims.replace("\"mikkeli\"", "7"), now, now + 600))))
                .as("a point that is not a string").isEmpty();
        assertThat(t.verify(handMade(com.nimbusds.jose.JWSAlgorithm.HS512, String.format(claims, now, now + 600))))
                .as("another algorithm than HS256").isEmpty();
        String unsigned = new com.nimbusds.jwt.PlainJWT(com.nimbusds.jwt.JWTClaimsSet.parse(
                String.format(claims, now, now + 600))).serialize();
        assertThat(t.verify(unsigned)).as("alg none").isEmpty();
        // A little skew between clocks is allowed, no more.
        assertThat(t.verify(handMade(hs256, String.format(claims, now - 600, now - 10)))).isPresent();
        assertThat(t.verify(handMade(hs256, String.format(claims, now - 600, now - 31)))).isEmpty();
        // Refused at the door too, as every other bad token.
        assertThat(refused(handMade(hs256, String.format(claims, now + 3600, now + 7200)))[0]).isEqualTo("401");
    }

    static ObjectNode mediaReport(WsClient c, long callId, long millis) {
        ObjectNode m = c.msg("media_report");
        m.put("callId", callId);
        m.put("timeToVideoMs", millis);
        return m;
    }

    @Test
    void aTimeToVideoCountsOnlyFromAPartyOnceAndWithinBounds() throws Exception {
        Call call = connectedCall("anna", "e1");
        long callId = call.callId();
        WsClient otherAdvisor = f.connect(Role.ADVISOR, "maria");
        WsClient otherExpert = f.connect(Role.EXPERT, "e2");
        assertThat(otherAdvisor.request(mediaReport(otherAdvisor, callId, 900)).path("code").asText())
                .as("another advisor of the same point").isEqualTo("not_in_call");
        assertThat(otherExpert.request(mediaReport(otherExpert, callId, 900)).path("code").asText()).isEqualTo("not_in_call");
        assertThat(call.advisor().request(mediaReport(call.advisor(), callId, 4_000_000_000_000L)).path("code").asText())
                .as("4e12 ms is no time to video").isEqualTo("invalid_field");
        JsonNode tooLong = call.expert().request(mediaReport(call.expert(), callId, 120_000));
        assertThat(tooLong.path("code").asText()).as("the call connected just now").isEqualTo("invalid_field");
        assertThat(tooLong.path("reason").asText()).contains("the call connected 0 s ago");

        f.advance(Duration.ofMinutes(2));
        assertThat(call.expert().request(mediaReport(call.expert(), callId, 120_000)).path("type").asText()).isEqualTo("ok");
        assertThat(call.advisor().request(mediaReport(call.advisor(), callId, 850)).path("type").asText()).isEqualTo("ok");
        assertThat(call.advisor().request(mediaReport(call.advisor(), callId, 850)).path("code").asText())
                .as("once per party").isEqualTo("already_reported");
        assertThat(call.expert().request(mediaReport(call.expert(), callId, 1000)).path("code").asText())
                .isEqualTo("already_reported");

        String metrics = f.server.metrics().scrape();
        assertThat(metrics).contains("palvelurinki_time_to_video_seconds_count{role=\"advisor\"} 1")
                .contains("palvelurinki_time_to_video_seconds_sum{role=\"advisor\"} 0.85")
                .contains("palvelurinki_time_to_video_seconds_count{role=\"expert\"} 1")
                .contains("palvelurinki_time_to_video_seconds_sum{role=\"expert\"} 120.0");
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
