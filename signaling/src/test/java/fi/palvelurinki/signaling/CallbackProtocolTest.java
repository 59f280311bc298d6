package fi.palvelurinki.signaling;

import static fi.palvelurinki.signaling.CallFlowTest.available;
import static fi.palvelurinki.signaling.CallFlowTest.requestCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.signaling.auth.Role;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Call-backs over real WebSockets (docs/protocol.md, "Call-backs"). */
class CallbackProtocolTest extends ServerTestBase {

    private String requestState(long id) throws Exception {
        return ((Reply.RequestStatus) f.server.broker().submit(new Command.GetRequest(id)).get()).state();
    }

    private static JsonNode withId(WsClient c, String type, long requestId) {
        ObjectNode m = c.msg(type);
        m.put("requestId", requestId);
        return c.request(m);
    }

    @Test
    void aCallbackSurvivesSignOutAndRestartAndRingsThePointWhenTheExpertAccepts() throws Exception {
        WsClient anna = f.connect(Role.ADVISOR, "anna");
        long id = requestCall(anna, "kela", "pension", "fi", "Asumistuki, liitteet puuttuvat").path("requestId").asLong();
        JsonNode converted = withId(anna, "request_callback", id);
        assertThat(converted.path("type").asText()).as(converted.toString()).isEqualTo("queued");
        assertThat(converted.path("position").asInt()).isEqualTo(1);

        // Anna signs out; past the grace period the call-back is still there, and after a restart too.
        anna.close();
        await().until(() -> f.server.sessions().connections(Role.ADVISOR) == 0);
        f.advance(Duration.ofSeconds(31));
        fi.palvelurinki.broker.testing.Settle.settle(f.server.broker());
        assertThat(requestState(id)).isEqualTo("WAITING");
        f.restart();
        f.advance(Duration.ofSeconds(31));
        fi.palvelurinki.broker.testing.Settle.settle(f.server.broker());
        assertThat(requestState(id)).isEqualTo("WAITING");

        WsClient annaAgain = f.connect(Role.ADVISOR, "anna");
        WsClient maria = f.connect(Role.ADVISOR, "maria");
        JsonNode mine = annaAgain.welcome.path("state").path("requests");
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0).path("requestId").asLong()).isEqualTo(id);
        assertThat(mine.get(0).path("state").asText()).isEqualTo("waiting");
        assertThat(mine.get(0).path("callback").path("attempts").asInt()).isZero();

        WsClient expert = f.connect(Role.EXPERT, "e1");
        available(expert);
        JsonNode offer = expert.awaitType("offer");
        assertThat(offer.path("callback").asBoolean()).isTrue();
        assertThat(offer.path("note").asText()).isEqualTo("Asumistuki, liitteet puuttuvat");
        JsonNode calling = withId(expert, "accept_offer", id);
        assertThat(calling.path("type").asText()).as(calling.toString()).isEqualTo("calling_point");
        assertThat(calling.path("point").path("name").asText()).isEqualTo("Mikkelin Asiointipiste");
        assertThat(calling.path("attempt").asInt()).isEqualTo(1);

        JsonNode ring = annaAgain.awaitType("callback_ringing");
        assertThat(ring.path("requestId").asLong()).isEqualTo(id);
        assertThat(ring.path("expert").path("name").asText()).isEqualTo("Eeva Salonen");
        assertThat(ring.path("ringsForMs").asLong()).isEqualTo(45_000);
        maria.awaitType("callback_ringing");

        JsonNode answered = withId(maria, "answer_callback", id);
        assertThat(answered.path("type").asText()).as(answered.toString()).isEqualTo("ok");
        JsonNode atMaria = maria.awaitType("call_connected");
        assertThat(atMaria.path("initiator").asBoolean()).isTrue();
        assertThat(expert.awaitType("call_connected").path("callId").asLong()).isEqualTo(atMaria.path("callId").asLong());
        assertThat(annaAgain.awaitType("callback_ring_ended").path("outcome").asText()).isEqualTo("answered");
        assertThat(withId(annaAgain, "answer_callback", id).path("code").asText()).isEqualTo("no_such_offer");
        assertThat(annaAgain.all("call_connected")).isEmpty();
    }

    @Test
    void anUnansweredCallbackReleasesTheExpertAndIsRetriedThenCancelled() throws Exception {
        WsClient anna = f.connect(Role.ADVISOR, "anna");
        long id = requestCall(anna, "kela", "pension", "fi", "").path("requestId").asLong();
        withId(anna, "request_callback", id);
        WsClient expert = f.connect(Role.EXPERT, "e1");
        available(expert);
        expert.awaitType("offer");
        withId(expert, "accept_offer", id);
        anna.awaitType("callback_ringing");
        assertThat(withId(expert, "decline_offer", id).path("code").asText()).isEqualTo("illegal_transition");

        f.advance(Duration.ofSeconds(45));
        assertThat(expert.awaitType("offer_revoked").path("reason").asText()).isEqualTo("point_did_not_answer");
        assertThat(anna.awaitType("callback_ring_ended").path("outcome").asText()).isEqualTo("unanswered");
        JsonNode retry = anna.awaitType("callback_retry");
        assertThat(retry.path("attempts").asInt()).isEqualTo(1);
        assertThat(retry.path("maxAttempts").asInt()).isEqualTo(3);
        assertThat(retry.path("retryAt").asText()).isEqualTo(f.clock.instant().plus(Duration.ofMinutes(3)).toString());

        f.advance(Duration.ofMinutes(3));
        assertThat(expert.awaitType("offer", 2).path("callback").asBoolean()).isTrue();
        assertThat(withId(anna, "cancel_request", id).path("type").asText()).isEqualTo("ok");
        assertThat(expert.awaitType("offer_revoked", 2).path("reason").asText()).isEqualTo("cancelled");
        assertThat(requestState(id)).isEqualTo("ABANDONED");
    }
}
