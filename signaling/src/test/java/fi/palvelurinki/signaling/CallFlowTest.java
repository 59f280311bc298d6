package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.JournalReader;
import fi.palvelurinki.signaling.auth.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Advisors and experts driving calls over real WebSockets, as docs/protocol.md describes. */
class CallFlowTest extends ServerTestBase {

    static JsonNode available(WsClient expert) {
        ObjectNode m = expert.msg("set_presence");
        m.put("presence", "available");
        JsonNode r = expert.request(m);
        assertThat(r.path("type").asText()).as(r.toString()).isEqualTo("ok");
        return r;
    }

    static JsonNode requestCall(WsClient advisor, String ring, String topic, String language, String note) {
        ObjectNode m = advisor.msg("request_call");
        m.put("ring", ring);
        m.put("topic", topic);
        m.put("language", language);
        m.put("note", note);
        return advisor.request(m);
    }

    @Test
    void aCompleteInstantCallWithMediaSignallingRelayedOnlyBetweenItsParties() throws Exception {
        WsClient expert = f.connect(Role.EXPERT, "e1");
        assertThat(expert.welcome.path("state").path("presence").asText()).isEqualTo("offline");
        available(expert);
        WsClient advisor = f.connect(Role.ADVISOR, "anna");
        WsClient bystander = f.connect(Role.ADVISOR, "bo");
        assertThat(advisor.welcome.path("pointName").asText()).isEqualTo("Mikkelin Asiointipiste");

        JsonNode rings = advisor.request(advisor.msg("list_rings"));
        assertThat(rings.path("rings").findValuesAsText("id")).as("in configuration order").containsExactly("kela", "dvv");
        JsonNode kela = rings.path("rings").get(0);
        assertThat(kela.path("open").asBoolean()).isTrue();
        assertThat(kela.path("staffed").asInt()).isEqualTo(1);

        JsonNode queued = requestCall(advisor, "kela", "pension", "fi", "Eläkehakemus, liitteet tarkistettu");
        assertThat(queued.path("type").asText()).isEqualTo("queued");
        long requestId = queued.path("requestId").asLong();

        JsonNode offer = expert.awaitType("offer");
        assertThat(offer.path("requestId").asLong()).isEqualTo(requestId);
        assertThat(offer.path("pointName").asText()).isEqualTo("Mikkelin Asiointipiste");
        assertThat(offer.path("topic").asText()).isEqualTo("pension");
        assertThat(offer.path("language").asText()).isEqualTo("fi");
        assertThat(offer.path("note").asText()).isEqualTo("Eläkehakemus, liitteet tarkistettu");
        assertThat(offer.path("expiresInMs").asLong()).isEqualTo(20_000);
        assertThat(advisor.awaitType("ringing").path("ringing").asBoolean()).isTrue();

        ObjectNode accept = expert.msg("accept_offer");
        accept.put("requestId", requestId);
        assertThat(expert.request(accept).path("type").asText()).isEqualTo("ok");
        JsonNode atAdvisor = advisor.awaitType("call_connected");
        JsonNode atExpert = expert.awaitType("call_connected");
        long callId = atAdvisor.path("callId").asLong();
        assertThat(atExpert.path("callId").asLong()).isEqualTo(callId);
        assertThat(atAdvisor.path("initiator").asBoolean()).isTrue();
        assertThat(atExpert.path("initiator").asBoolean()).isFalse();
        assertThat(atAdvisor.path("expert").path("name").asText()).isEqualTo("Eeva Salonen");

        String sdpOffer = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n" + "a=x\r\n".repeat(500);
        advisor.send(signal(advisor, callId, "offer", sdpOffer));
        JsonNode relayed = expert.awaitType("signal");
        assertThat(relayed.path("from").asText()).isEqualTo("advisor");
        assertThat(relayed.path("sdp").path("type").asText()).isEqualTo("offer");
        assertThat(relayed.path("sdp").path("sdp").asText()).isEqualTo(sdpOffer);

        expert.send(signal(expert, callId, "answer", "v=0\r\nanswer"));
        assertThat(advisor.awaitType("signal").path("sdp").path("sdp").asText()).isEqualTo("v=0\r\nanswer");
        ObjectNode cand = advisor.msg("signal");
        cand.put("callId", callId);
        ObjectNode c = cand.putObject("candidate");
        c.put("candidate", "candidate:1 1 udp 2122260223 127.0.0.1 54400 typ host");
        c.put("sdpMid", "0");
        c.put("sdpMLineIndex", 0);
        advisor.send(cand);
        JsonNode gotCandidate = expert.awaitType("signal", 2);
        assertThat(gotCandidate.path("candidate").path("candidate").asText()).contains("typ host");
        ObjectNode end = expert.msg("signal");
        end.put("callId", callId);
        end.put("endOfCandidates", true);
        expert.send(end);
        assertThat(advisor.awaitType("signal", 2).path("endOfCandidates").asBoolean()).isTrue();

        // Nobody else hears the call's signalling, and a non-party cannot inject into it.
        JsonNode intrusion = bystander.request(signal(bystander, callId, "offer", "v=0"));
        assertThat(intrusion.path("code").asText()).isEqualTo("not_in_call");
        assertThat(bystander.all("signal")).isEmpty();

        ObjectNode hangup = advisor.msg("hangup");
        hangup.put("callId", callId);
        assertThat(advisor.request(hangup).path("type").asText()).isEqualTo("ok");
        assertThat(advisor.awaitType("call_ended").path("reason").asText()).isEqualTo("advisor_hung_up");
        JsonNode ended = expert.awaitType("call_ended");
        assertThat(ended.has("wrapUpUntil")).isTrue();
        JsonNode afterCall = expert.request(signal(expert, callId, "offer", "v=0"));
        assertThat(afterCall.path("code").asText()).as("relay ends with the call").isEqualTo("not_in_call");

        // Sequence numbers grow by one per message on each connection.
        List<Long> seqs = advisor.received.stream().map(n -> n.path("seq").asLong()).toList();
        for (int i = 1; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).isEqualTo(seqs.get(i - 1) + 1);
        }

        // The journal records the call.
        await().until(() -> f.server.broker().health().durableSeq() == f.server.broker().health().appendedSeq());
        List<DomainEvent> events = new ArrayList<>();
        JournalReader.read(data.resolve("journal"), e -> events.add(e.event()));
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(DomainEvent.CallStarted.class,
                s -> assertThat(s.callId()).isEqualTo(callId)));
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(DomainEvent.CallEnded.class,
                s -> assertThat(s.callId()).isEqualTo(callId)));
    }

    static ObjectNode signal(WsClient from, long callId, String type, String sdp) {
        ObjectNode m = from.msg("signal");
        m.put("callId", callId);
        ObjectNode s = m.putObject("sdp");
        s.put("type", type);
        s.put("sdp", sdp);
        return m;
    }

    @Test
    void declineAndOfferTimeoutMoveTheCallToAnotherExpert() throws Exception {
        WsClient e1 = f.connect(Role.EXPERT, "e1");
        available(e1);
        f.advance(Duration.ofSeconds(5));
        WsClient e2 = f.connect(Role.EXPERT, "e2");
        available(e2);
        WsClient advisor = f.connect(Role.ADVISOR, "anna");
        long requestId = requestCall(advisor, "kela", "housing", "fi", "").path("requestId").asLong();

        assertThat(e1.awaitType("offer").path("requestId").asLong()).as("e1 idle longest").isEqualTo(requestId);
        ObjectNode decline = e1.msg("decline_offer");
        decline.put("requestId", requestId);
        assertThat(e1.request(decline).path("type").asText()).isEqualTo("ok");
        assertThat(e2.awaitType("offer").path("requestId").asLong()).isEqualTo(requestId);

        f.advance(Duration.ofSeconds(19));
        f.settle(e2);
        assertThat(e2.all("offer_revoked")).as("not a second before the 20 s offer timeout").isEmpty();
        f.advance(Duration.ofSeconds(1));
        assertThat(e2.awaitType("offer_revoked").path("reason").asText()).isEqualTo("timed_out");
        f.advance(Duration.ofSeconds(40));
        JsonNode again = e1.awaitType("offer", 2);
        assertThat(again.path("requestId").asLong()).as("e1's cooldown over, e2 cooling down").isEqualTo(requestId);
    }

    @Test
    void waitingAdvisorsSeeTheirQueuePositionMove() throws Exception {
        WsClient anna = f.connect(Role.ADVISOR, "anna");
        WsClient maria = f.connect(Role.ADVISOR, "maria");
        WsClient bo = f.connect(Role.ADVISOR, "bo");
        JsonNode first = requestCall(anna, "kela", "pension", "fi", "");
        JsonNode second = requestCall(bo, "kela", "pension", "sv", "");
        JsonNode third = requestCall(maria, "kela", "housing", "fi", "");
        assertThat(first.path("position").asInt()).isEqualTo(1);
        assertThat(second.path("position").asInt()).isEqualTo(2);
        assertThat(third.path("position").asInt()).isEqualTo(3);
        assertThat(first.path("estimatedWaitSeconds").isNull()).as("nobody signed in").isTrue();

        WsClient expert = f.connect(Role.EXPERT, "e2");
        available(expert);
        assertThat(expert.awaitType("offer").path("requestId").asLong()).isEqualTo(first.path("requestId").asLong());
        JsonNode boUpdate = bo.awaitMessage(n -> n.path("type").asText().equals("queue_update")
                && n.path("position").asInt() == 1);
        assertThat(boUpdate.path("estimatedWaitSeconds").asLong()).as("1 × 6 min / 1 expert").isEqualTo(360);
        JsonNode mariaUpdate = maria.awaitMessage(n -> n.path("type").asText().equals("queue_update")
                && n.path("position").asInt() == 2);
        assertThat(mariaUpdate.path("estimatedWaitSeconds").asLong()).isEqualTo(720);

        ObjectNode cancel = bo.msg("cancel_request");
        cancel.put("requestId", second.path("requestId").asLong());
        assertThat(bo.request(cancel).path("type").asText()).isEqualTo("ok");
        maria.awaitMessage(n -> n.path("type").asText().equals("queue_update") && n.path("position").asInt() == 1);
    }
}
