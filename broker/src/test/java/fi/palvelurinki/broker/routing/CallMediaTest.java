package fi.palvelurinki.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.CallEndReason;
import fi.palvelurinki.broker.CallQuality;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.ErrorCode;
import fi.palvelurinki.broker.Notification;
import fi.palvelurinki.broker.Party;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.ring.Language;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the broker does with the pages' media: quality reports journaled, calls lost to the network ended. */
class CallMediaTest {
    private static final CallQuality GOOD = new CallQuality(40, 0, 1500, 290, 10_000);

    private static Reply.CallConnected call(Harness h) {
        h.expert("e1", Set.of("kela"), Language.FI);
        h.available("e1");
        Reply.Queued r = h.call("anna", "kela", "pension", Language.FI);
        Reply.CallConnected c = h.accept("e1", r.requestId());
        h.clear();
        return c;
    }

    @Test
    void aQualityReportOfACallInProgressIsJournaledWithItsRingAndPoint() {
        Harness h = new Harness().standard();
        Reply.CallConnected c = call(h);
        h.run(new Command.ReportCallQuality(c.callId(), Party.ADVISOR, GOOD));
        assertThat(h.events(DomainEvent.CallQualityReported.class)).singleElement().satisfies(e -> {
            assertThat(e.callId()).isEqualTo(c.callId());
            assertThat(e.ringId()).isEqualTo("kela");
            assertThat(e.pointId()).isEqualTo("mikkeli");
            assertThat(e.party()).isEqualTo(Party.ADVISOR);
            assertThat(e.quality()).isEqualTo(GOOD);
        });

        h.hangup(Party.ADVISOR, "anna", c.callId());
        h.clear();
        h.refuse(new Command.ReportCallQuality(c.callId(), Party.EXPERT, GOOD), ErrorCode.UNKNOWN_CALL);
    }

    @Test
    void aCallWhoseMediaCannotComeBackEndsForBothWithItsOwnReason() {
        Harness h = new Harness().standard();
        Reply.CallConnected c = call(h);
        h.run(new Command.EndCallMediaLost(c.callId()));
        assertThat(h.events(DomainEvent.CallEnded.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo(CallEndReason.MEDIA_LOST));
        assertThat(h.sent).filteredOn(Notification.CallEnded.class::isInstance).map(Notification.CallEnded.class::cast)
                .extracting(Notification.CallEnded::reason).containsExactly(CallEndReason.MEDIA_LOST, CallEndReason.MEDIA_LOST);
        assertThat(h.events(DomainEvent.PresenceChanged.class)).anySatisfy(p -> assertThat(p.to()).isEqualTo(Presence.WRAP_UP));

        h.clear();
        h.run(new Command.EndCallMediaLost(c.callId()));
        assertThat(h.events).as("ending it again is a no-op").isEmpty();
    }

    @Test
    void aQualityReportOutsideSaneBoundsIsRefused() {
        assertThatThrownBy(() -> new CallQuality(70_000, 0, 1500, 290, 10_000)).isInstanceOf(BrokerException.class)
                .hasMessageContaining("rttMs must be 0-60000");
        assertThatThrownBy(() -> new CallQuality(40, 1001, 1500, 290, 10_000)).hasMessageContaining("lossPermille");
        assertThatThrownBy(() -> new CallQuality(40, 0, 1500, 1300, 10_000)).hasMessageContaining("framesDecoded must be 0-1200");
        assertThatThrownBy(() -> new CallQuality(40, 0, 1500, 0, 500)).hasMessageContaining("intervalMs");
        assertThat(GOOD.poor()).isFalse();
        assertThat(new CallQuality(400, 0, 1500, 290, 10_000).poor()).as("a round trip of 400 ms").isTrue();
        assertThat(new CallQuality(40, 50, 1500, 290, 10_000).poor()).as("5 % of the packets lost").isTrue();
        assertThat(new CallQuality(40, 0, 1500, 90, 10_000).poor()).as("9 frames a second").isTrue();
    }
}
