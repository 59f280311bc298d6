package fi.palvelurinki.signaling;

import static fi.palvelurinki.signaling.CallFlowTest.signal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.palvelurinki.broker.CallEndReason;
import fi.palvelurinki.broker.Notification;
import fi.palvelurinki.broker.Recipient;
import fi.palvelurinki.signaling.auth.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The relay of a call of three or four (docs/protocol.md, "Calls of three or four"), its parties told by the
 * broker's notifications. Here those of a third party are delivered to the server as the broker would, so that
 * the relay's rules are tested on their own: who may signal whom, {@code to}, {@code fromParty}, leaving.
 */
class MultiPartyRelayTest extends ServerTestBase {
    private static final Notification.CallMember ANNA =
            new Notification.CallMember(Recipient.advisor("anna"), "advisor", "Anna Virtanen", null);
    private static final Notification.CallMember EEVA =
            new Notification.CallMember(Recipient.expert("e1"), "expert", "Eeva Salonen", null);
    private static final Notification.CallMember TUULA =
            new Notification.CallMember(Recipient.expert("e3"), "interpreter", "Tuula Jokinen", "ar");

    /** e3 joins the call as the broker tells it: party_joined to those in it, call_joined to the newcomer. */
    private void joins(long callId) {
        var sessions = f.server.sessions();
        sessions.deliver(new Notification.PartyJoined(Recipient.advisor("anna"), callId, TUULA));
        sessions.deliver(new Notification.PartyJoined(Recipient.expert("e1"), callId, TUULA));
        sessions.deliver(new Notification.CallJoined(Recipient.expert("e3"), callId, 99, "kela", "interpreter", "ar",
                "mikkeli", "Mikkelin Asiointipiste", List.of(ANNA, EEVA)));
    }

    static ObjectNode to(ObjectNode signal, String party) {
        signal.put("to", party);
        return signal;
    }

    @Test
    void aCallOfTwoSaysWhoIsWhoAndNeedsNoAddressee() throws Exception {
        Call call = connectedCall("anna", "e1");
        JsonNode atAdvisor = call.advisor().awaitType("call_connected");
        assertThat(atAdvisor.path("party").asText()).isEqualTo("advisor:anna");
        assertThat(atAdvisor.path("members").size()).isEqualTo(1);
        assertThat(atAdvisor.path("members").get(0).path("party").asText()).isEqualTo("expert:e1");
        assertThat(atAdvisor.path("members").get(0).path("role").asText()).isEqualTo("expert");
        assertThat(atAdvisor.path("members").get(0).path("name").asText()).isEqualTo("Eeva Salonen");
        JsonNode atExpert = call.expert().awaitType("call_connected");
        assertThat(atExpert.path("party").asText()).isEqualTo("expert:e1");
        assertThat(atExpert.path("members").get(0).path("party").asText()).isEqualTo("advisor:anna");
        assertThat(atExpert.path("members").get(0).path("name").asText()).isEqualTo("Anna Virtanen");

        call.advisor().send(signal(call.advisor(), call.callId(), "offer", "v=0 two"));
        JsonNode got = call.expert().awaitType("signal");
        assertThat(got.path("from").asText()).isEqualTo("advisor");
        assertThat(got.path("fromParty").asText()).isEqualTo("advisor:anna");
        // Naming the other party in a call of two is as good as not naming them.
        call.expert().send(to(signal(call.expert(), call.callId(), "answer", "v=0 answer"), "advisor:anna"));
        assertThat(call.advisor().awaitType("signal").path("fromParty").asText()).isEqualTo("expert:e1");
    }

    @Test
    void inACallOfThreeASignalReachesOnlyItsAddresseeAndSaysWhoSentIt() throws Exception {
        Call call = connectedCall("anna", "e1");
        WsClient anna = call.advisor();
        WsClient eeva = call.expert();
        WsClient tuula = f.connect(Role.EXPERT, "e3");
        WsClient bystander = f.connect(Role.EXPERT, "e2");
        long callId = call.callId();
        joins(callId);

        JsonNode joined = anna.awaitType("party_joined");
        assertThat(joined.path("callId").asLong()).isEqualTo(callId);
        assertThat(joined.path("member").path("party").asText()).isEqualTo("expert:e3");
        assertThat(joined.path("member").path("role").asText()).isEqualTo("interpreter");
        assertThat(joined.path("member").path("language").asText()).isEqualTo("ar");
        eeva.awaitType("party_joined");
        JsonNode callJoined = tuula.awaitType("call_joined");
        assertThat(callJoined.path("party").asText()).isEqualTo("expert:e3");
        assertThat(callJoined.path("role").asText()).isEqualTo("interpreter");
        assertThat(callJoined.path("point").path("name").asText()).isEqualTo("Mikkelin Asiointipiste");
        assertThat(callJoined.path("members").findValuesAsText("party")).containsExactly("advisor:anna", "expert:e1");

        // The newcomer offers to each member; each answers; only the addressee hears it.
        tuula.send(to(signal(tuula, callId, "offer", "v=0 to anna"), "advisor:anna"));
        tuula.send(to(signal(tuula, callId, "offer", "v=0 to eeva"), "expert:e1"));
        JsonNode atAnna = anna.awaitType("signal");
        assertThat(atAnna.path("fromParty").asText()).isEqualTo("expert:e3");
        assertThat(atAnna.path("from").asText()).as("the side, as before").isEqualTo("expert");
        assertThat(atAnna.path("sdp").path("sdp").asText()).isEqualTo("v=0 to anna");
        JsonNode atEeva = eeva.awaitType("signal");
        assertThat(atEeva.path("sdp").path("sdp").asText()).isEqualTo("v=0 to eeva");
        anna.send(to(signal(anna, callId, "answer", "v=0 anna answers"), "expert:e3"));
        assertThat(tuula.awaitType("signal").path("fromParty").asText()).isEqualTo("advisor:anna");
        f.settle(anna);
        f.settle(eeva);
        assertThat(anna.all("signal")).hasSize(1);
        assertThat(eeva.all("signal")).hasSize(1);
        assertThat(tuula.all("signal")).hasSize(1);

        // Without an addressee, or to nobody of the call, nothing is relayed.
        JsonNode noTo = anna.request(signal(anna, callId, "offer", "v=0"));
        assertThat(noTo.path("code").asText()).isEqualTo("invalid_field");
        assertThat(noTo.path("reason").asText()).contains("3 parties").contains("\"to\"");
        assertThat(anna.request(to(signal(anna, callId, "offer", "v=0"), "expert:e2")).path("code").asText())
                .isEqualTo("not_a_party");
        assertThat(anna.request(to(signal(anna, callId, "offer", "v=0"), "advisor:anna")).path("code").asText())
                .as("not to oneself").isEqualTo("not_a_party");
        assertThat(anna.request(to(signal(anna, callId, "offer", "v=0"), "e1")).path("code").asText())
                .as("a party key has its side").isEqualTo("not_a_party");
        assertThat(bystander.request(to(signal(bystander, callId, "offer", "v=0"), "advisor:anna")).path("code").asText())
                .isEqualTo("not_in_call");
        f.settle(eeva);
        f.settle(tuula);
        assertThat(eeva.all("signal")).hasSize(1);
        assertThat(tuula.all("signal")).hasSize(1);
        assertThat(bystander.all("signal")).isEmpty();

        // Any party reports on the call's media.
        ObjectNode report = tuula.msg("media_report");
        report.put("callId", callId);
        report.put("timeToVideoMs", 1800);
        assertThat(tuula.request(report).path("type").asText()).isEqualTo("ok");
        ObjectNode lost = tuula.msg("media_state");
        lost.put("callId", callId);
        lost.put("state", "restored");
        assertThat(tuula.request(lost).path("type").asText()).isEqualTo("ok");
    }

    @Test
    void iceCandidatesAreLimitedPerPeerConnection() throws Exception {
        Call call = connectedCall("anna", "e1");
        WsClient anna = call.advisor();
        WsClient tuula = f.connect(Role.EXPERT, "e3");
        long callId = call.callId();
        joins(callId);
        tuula.awaitType("call_joined");
        for (int i = 0; i < 20; i++) {
            anna.send(to(candidate(anna, callId, i), "expert:e1"));
        }
        assertThat(anna.request(to(candidate(anna, callId, 20), "expert:e1")).path("code").asText())
                .isEqualTo("too_many_candidates");
        anna.send(to(candidate(anna, callId, 21), "expert:e3"));
        assertThat(tuula.awaitType("signal").path("candidate").path("candidate").asText()).contains("candidate:21");
        await().until(() -> call.expert().all("signal").size() == 20);
    }

    private static ObjectNode candidate(WsClient from, long callId, int i) {
        ObjectNode m = from.msg("signal");
        m.put("callId", callId);
        m.putObject("candidate").put("candidate", "candidate:" + i + " 1 udp 1 127.0.0.1 " + (5000 + i) + " typ host");
        return m;
    }

    @Test
    void aPartyWhoLeftCanNoLongerSignalAndTheOthersAreTwoAgain() throws Exception {
        Call call = connectedCall("anna", "e1");
        WsClient anna = call.advisor();
        WsClient eeva = call.expert();
        WsClient tuula = f.connect(Role.EXPERT, "e3");
        long callId = call.callId();
        joins(callId);
        tuula.awaitType("call_joined");

        var sessions = f.server.sessions();
        sessions.deliver(new Notification.PartyLeft(Recipient.advisor("anna"), callId, Recipient.expert("e3"), "hung_up"));
        sessions.deliver(new Notification.PartyLeft(Recipient.expert("e1"), callId, Recipient.expert("e3"), "hung_up"));
        sessions.deliver(new Notification.CallEnded(Recipient.expert("e3"), callId, CallEndReason.EXPERT_HUNG_UP, null));
        JsonNode left = anna.awaitType("party_left");
        assertThat(left.path("party").asText()).isEqualTo("expert:e3");
        assertThat(left.path("reason").asText()).isEqualTo("hung_up");
        assertThat(tuula.awaitType("call_ended").path("reason").asText()).isEqualTo("expert_hung_up");

        assertThat(tuula.request(to(signal(tuula, callId, "offer", "v=0"), "advisor:anna")).path("code").asText())
                .isEqualTo("not_in_call");
        assertThat(anna.request(to(signal(anna, callId, "offer", "v=0"), "expert:e3")).path("code").asText())
                .isEqualTo("not_a_party");
        anna.send(signal(anna, callId, "offer", "v=0 just us"));
        assertThat(eeva.awaitType("signal").path("sdp").path("sdp").asText()).isEqualTo("v=0 just us");

        // Their call ending ends the relay for all.
        ObjectNode hangup = anna.msg("hangup");
        hangup.put("callId", callId);
        assertThat(anna.request(hangup).path("type").asText()).isEqualTo("ok");
        eeva.awaitType("call_ended");
        assertThat(f.server.sessions().call(callId)).isNull();
    }
}
