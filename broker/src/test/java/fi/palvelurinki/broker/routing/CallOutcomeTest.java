package fi.palvelurinki.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.ErrorCode;
import fi.palvelurinki.broker.Party;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.ring.Language;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The expert's outcome of a call: recorded once, after the call, by the expert who answered it; it outlives a restart. */
class CallOutcomeTest {

    @Test
    void theExpertRecordsTheOutcomeOfTheirEndedCallOnce() {
        Harness h = new Harness().standard();
        h.expert("e1", Set.of("kela"), Language.FI);
        h.expert("e2", Set.of("kela"), Language.FI);
        h.available("e1");
        Reply.Queued r = h.call("anna", "kela", "pension", Language.FI);
        Reply.CallConnected c = h.accept("e1", r.requestId());

        h.refuse(new Command.RecordCallOutcome("e1", c.callId(), "resolved"), ErrorCode.ILLEGAL_TRANSITION);
        h.hangup(Party.ADVISOR, "anna", c.callId());
        h.refuse(new Command.RecordCallOutcome("e2", c.callId(), "resolved"), ErrorCode.NOT_A_PARTY);
        h.refuse(new Command.RecordCallOutcome("e1", 999, "resolved"), ErrorCode.UNKNOWN_CALL);
        h.refuse(new Command.RecordCallOutcome("e1", c.callId(), "not an id!"), ErrorCode.INVALID_ARGUMENT);
        h.clear();

        h.run(new Command.RecordCallOutcome("e1", c.callId(), "resolved"));
        assertThat(h.events(DomainEvent.CallOutcomeRecorded.class)).singleElement().satisfies(e -> {
            assertThat(e.callId()).isEqualTo(c.callId());
            assertThat(e.requestId()).isEqualTo(r.requestId());
            assertThat(e.expertId()).isEqualTo("e1");
            assertThat(e.ringId()).isEqualTo("kela");
            assertThat(e.pointId()).isEqualTo("mikkeli");
            assertThat(e.topic()).isEqualTo("pension");
            assertThat(e.outcome()).isEqualTo("resolved");
        });
        h.refuse(new Command.RecordCallOutcome("e1", c.callId(), "referred"), ErrorCode.ILLEGAL_TRANSITION);

        // A broker rebuilt from the journal knows the outcome is recorded.
        Harness after = new Harness();
        for (var entry : Harness.numbered(h.journal)) {
            after.engine.replay(entry);
        }
        after.clock.set(h.clock.instant());
        assertThatThrownBy(() -> after.engine.handle(new Command.RecordCallOutcome("e1", c.callId(), "referred")))
                .isInstanceOfSatisfying(BrokerException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ILLEGAL_TRANSITION));
    }
}
