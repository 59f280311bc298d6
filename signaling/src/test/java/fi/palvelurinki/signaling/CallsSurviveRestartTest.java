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

/**
 * A call in progress goes on through a server restart (the video is peer-to-peer): its parties come back,
 * their signaling is relayed again, and it ends once — when they hang up, or when one does not come back
 * within the resume grace.
 */
class CallsSurviveRestartTest extends ServerTestBase {

    private List<DomainEvent> journal() throws Exception {
        List<DomainEvent> all = new ArrayList<>();
        JournalReader.readAround(data.resolve("journal"), e -> all.add(e.event()), JournalReader.Progress.NONE);
        return all;
    }

    @Test
    void theCallGoesOnAfterARestartAndEndsOnceWhenHungUp() throws Exception {
        long callId = connectedCall("anna", "e1").callId();
        f.restart();

        WsClient anna = f.connect(Role.ADVISOR, "anna");
        WsClient expert = f.connect(Role.EXPERT, "e1");
        JsonNode mine = anna.welcome.path("state").path("requests");
        assertThat(mine.get(0).path("state").asText()).isEqualTo("connected");
        assertThat(mine.get(0).path("callId").asLong()).isEqualTo(callId);
        assertThat(expert.welcome.path("state").path("presence").asText()).isEqualTo("in_call");
        assertThat(expert.welcome.path("state").path("callId").asLong()).isEqualTo(callId);

        // An ICE restart after the restart still reaches the other party.
        ObjectNode signal = anna.msg("signal");
        signal.put("callId", callId);
        signal.putObject("candidate").put("candidate", "candidate:1 1 udp 1 127.0.0.1 5000 typ host");
        anna.send(signal);
        await().until(() -> expert.all("signal").size() == 1);

        f.advance(Duration.ofSeconds(31)); // past the resume grace: both are back, nothing ends
        ObjectNode hangup = anna.msg("hangup");
        hangup.put("callId", callId);
        assertThat(anna.request(hangup).path("type").asText()).isEqualTo("ok");
        assertThat(expert.awaitType("call_ended").path("reason").asText()).isEqualTo("advisor_hung_up");
        await().until(() -> f.server.broker().health().durableSeq() == f.server.broker().health().appendedSeq());
        List<DomainEvent> events = journal();
        assertThat(events.stream().filter(DomainEvent.CallStarted.class::isInstance)).hasSize(1);
        assertThat(events.stream().filter(DomainEvent.CallEnded.class::isInstance).map(e -> ((DomainEvent.CallEnded) e).reason()))
                .as("one call, ended once").containsExactly(fi.palvelurinki.broker.CallEndReason.ADVISOR_HUNG_UP);
    }

    @Test
    void aPartyThatDoesNotComeBackWithinTheGraceEndsTheCall() throws Exception {
        long callId = connectedCall("anna", "e1").callId();
        f.restart();

        WsClient anna = f.connect(Role.ADVISOR, "anna");
        f.advance(Duration.ofSeconds(29));
        fi.palvelurinki.broker.testing.Settle.settle(f.server.broker());
        assertThat(anna.all("call_ended")).as("within the grace").isEmpty();
        f.advance(Duration.ofSeconds(2));
        JsonNode ended = anna.awaitType("call_ended");
        assertThat(ended.path("callId").asLong()).isEqualTo(callId);
        assertThat(ended.path("reason").asText()).isEqualTo("expert_disconnected");
    }
}
