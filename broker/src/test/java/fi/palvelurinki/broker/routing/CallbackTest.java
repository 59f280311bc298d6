package fi.palvelurinki.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.broker.AbandonReason;
import fi.palvelurinki.broker.CallbackSettings;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.ErrorCode;
import fi.palvelurinki.broker.Notification;
import fi.palvelurinki.broker.Recipient;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.ring.Language;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Call-backs (docs/routing.md, "Call-backs"), each path driven by a manual clock. */
class CallbackTest {
    /** Ring 45 s, retry after 3 min, 3 attempts, every advisor of the point rung. */
    private static Harness harness() {
        return new Harness(new LongestIdlePolicy(), c -> c.withCallbacks(
                new CallbackSettings(Duration.ofSeconds(45), Duration.ofMinutes(3), 3, true))).standard();
    }

    /** Anna (Mikkeli) waits behind Bo; she turns her request into a call-back. */
    private static long[] queueBehindBoAndConvert(Harness h) {
        h.expert("e1", Set.of("kela"), Language.FI);
        Reply.Queued bo = h.call("bo", "kela", "pension", Language.FI);
        h.tick(Duration.ofSeconds(5));
        Reply.Queued anna = h.call("anna", "kela", "pension", Language.FI);
        h.tick(Duration.ofSeconds(5));
        Reply.Queued converted = (Reply.Queued) h.run(new Command.RequestCallback("anna", anna.requestId()));
        assertThat(converted.position()).as("a call-back keeps its place").isEqualTo(2);
        assertThat(converted.queuedAt()).as("and its age").isEqualTo(anna.queuedAt());
        return new long[] {bo.requestId(), anna.requestId()};
    }

    /** e1 serves Bo first, then is offered Anna's call-back and accepts it: the point rings. */
    private static Reply.CallingPoint expertAcceptsCallback(Harness h, long bo, long anna) {
        h.available("e1");
        assertThat(h.ringingAt("e1")).isEqualTo(bo);
        Reply.CallConnected boCall = h.accept("e1", bo);
        h.run(new Command.Hangup(fi.palvelurinki.broker.Party.EXPERT, "e1", boCall.callId()));
        h.run(new Command.EndWrapUp("e1"));
        assertThat(h.ringingAt("e1")).isEqualTo(anna);
        Notification.Offer offer = h.sent(Notification.Offer.class).get(1);
        assertThat(offer.callback()).as("the expert is told it is a call-back").isTrue();
        assertThat(offer.triageNote()).isEqualTo("triage: pension");
        h.clear();
        return (Reply.CallingPoint) h.run(new Command.AcceptOffer("e1", anna));
    }

    @Test
    void answeredCallbackConnectsTheAdvisorWhoAnswersFirst() {
        Harness h = harness();
        long[] ids = queueBehindBoAndConvert(h);
        // Anna signs out: her call-back stays.
        h.run(new Command.AdvisorGone("anna"));
        assertThat(h.request(ids[1]).state()).isEqualTo("WAITING");

        Reply.CallingPoint calling = expertAcceptsCallback(h, ids[0], ids[1]);
        assertThat(calling.pointName()).isEqualTo("Mikkelin Asiointipiste");
        assertThat(calling.attempt()).isEqualTo(1);
        assertThat(calling.ringUntil()).isEqualTo(h.clock.instant().plusSeconds(45));
        assertThat(h.presence("e1")).as("the expert waits, calling the point").isEqualTo(Presence.OFFERED);
        assertThat(h.sent(Notification.CallbackRinging.class)).as("both advisors at Mikkeli hear the ring")
                .extracting(n -> n.recipient().id()).containsExactly("anna", "maria");
        assertThat(h.request(ids[1]).callback().ringUntil()).isEqualTo(calling.ringUntil());
        h.refuse(new Command.DeclineOffer("e1", ids[1]), ErrorCode.ILLEGAL_TRANSITION);
        h.refuse(new Command.AnswerCallback("bo", ids[1]), ErrorCode.NOT_A_PARTY);

        h.tick(Duration.ofSeconds(10));
        Reply.CallConnected call = (Reply.CallConnected) h.run(new Command.AnswerCallback("maria", ids[1]));
        assertThat(call.advisorId()).as("the first to answer is in the call").isEqualTo("maria");
        assertThat(h.presence("e1")).isEqualTo(Presence.IN_CALL);
        assertThat(h.events(DomainEvent.CallbackAnswered.class)).singleElement().satisfies(e -> {
            assertThat(e.attempt()).isEqualTo(1);
            assertThat(e.ringMillis()).isEqualTo(10_000);
        });
        assertThat(h.sent(Notification.CallConnected.class)).extracting(Notification.CallConnected::recipient)
                .containsExactlyInAnyOrder(Recipient.advisor("maria"), Recipient.expert("e1"));
        assertThat(h.sent(Notification.CallbackRingEnded.class)).extracting(Notification.CallbackRingEnded::outcome)
                .containsOnly("answered");
        h.refuse(new Command.AnswerCallback("anna", ids[1]), ErrorCode.NO_SUCH_OFFER);
        assertThat(((Reply.CallsInProgress) h.run(new Command.GetCallsInProgress())).calls())
                .as("after a restart, signaling waits for the advisor who answered").singleElement()
                .satisfies(c -> assertThat(c.advisorId()).isEqualTo("maria"));

        h.clear();
        h.run(new Command.Hangup(fi.palvelurinki.broker.Party.ADVISOR, "anna", call.callId()));
        assertThat(h.sent(Notification.CallEnded.class)).extracting(Notification.CallEnded::recipient)
                .contains(Recipient.advisor("maria"));
    }

    @Test
    void unansweredRingReleasesTheExpertAtOnceAndRetriesKeepingThePlace() {
        Harness h = harness();
        long[] ids = queueBehindBoAndConvert(h);
        Reply.Queued later = h.call("bo", "kela", "pension", Language.FI);
        expertAcceptsCallback(h, ids[0], ids[1]);

        h.tick(Duration.ofSeconds(45));
        assertThat(h.events(DomainEvent.CallbackRingUnanswered.class)).singleElement().satisfies(e -> {
            assertThat(e.attempt()).isEqualTo(1);
            assertThat(e.ringMillis()).isEqualTo(45_000);
        });
        assertThat(h.sent(Notification.OfferRevoked.class)).singleElement()
                .satisfies(n -> assertThat(n.reason()).isEqualTo(Notification.RevokeReason.POINT_DID_NOT_ANSWER));
        assertThat(h.ringingAt("e1")).as("released at once: the expert takes the next request").isEqualTo(later.requestId());
        assertThat(h.sent(Notification.CallbackRetry.class)).singleElement().satisfies(n -> {
            assertThat(n.advisorId()).isEqualTo("anna");
            assertThat(n.attempts()).isEqualTo(1);
            assertThat(n.retryAt()).isEqualTo(h.clock.instant().plus(Duration.ofMinutes(3)));
        });
        Reply.RequestStatus waiting = h.request(ids[1]);
        assertThat(waiting.position()).as("still first in line").isEqualTo(1);
        assertThat(waiting.callback().attempts()).isEqualTo(1);

        // The expert serves the later request; the call-back is not theirs again before the retry delay.
        Reply.CallConnected laterCall = h.accept("e1", later.requestId());
        h.tick(Duration.ofMinutes(1));
        h.run(new Command.Hangup(fi.palvelurinki.broker.Party.EXPERT, "e1", laterCall.callId()));
        h.run(new Command.EndWrapUp("e1"));
        assertThat(h.presence("e1")).isEqualTo(Presence.AVAILABLE);
        assertThat(h.ringingAt("e1")).isNull();
        h.tick(Duration.ofMinutes(2));
        assertThat(h.ringingAt("e1")).as("retried after the delay").isEqualTo(ids[1]);
        Reply.CallingPoint second = (Reply.CallingPoint) h.run(new Command.AcceptOffer("e1", ids[1]));
        assertThat(second.attempt()).isEqualTo(2);
        Reply.CallConnected call = (Reply.CallConnected) h.run(new Command.AnswerCallback("anna", ids[1]));
        assertThat(call.advisorId()).isEqualTo("anna");
        assertThat(h.events(DomainEvent.CallbackAnswered.class)).singleElement()
                .satisfies(e -> assertThat(e.attempt()).isEqualTo(2));
    }

    @Test
    void failsAfterTheLastUnansweredAttempt() {
        Harness h = new Harness(new LongestIdlePolicy(), c -> c.withCallbacks(
                new CallbackSettings(Duration.ofSeconds(30), Duration.ofMinutes(1), 2, false))).standard();
        h.expert("e1", Set.of("kela"), Language.FI);
        Reply.Queued r = h.call("anna", "kela", "pension", Language.FI);
        h.run(new Command.RequestCallback("anna", r.requestId()));
        h.available("e1");
        Reply.CallingPoint first = (Reply.CallingPoint) h.run(new Command.AcceptOffer("e1", r.requestId()));
        assertThat(h.sent(Notification.CallbackRinging.class)).as("only the advisor who asked is rung")
                .extracting(n -> n.recipient().id()).containsExactly("anna");
        h.refuse(new Command.AnswerCallback("maria", r.requestId()), ErrorCode.NOT_A_PARTY);
        h.tick(Duration.ofSeconds(30));
        h.tick(Duration.ofMinutes(1));
        assertThat(h.ringingAt("e1")).isEqualTo(r.requestId());
        h.run(new Command.AcceptOffer("e1", r.requestId()));
        h.clear();
        h.tick(Duration.ofSeconds(30));

        assertThat(h.events(DomainEvent.CallbackFailed.class)).singleElement()
                .satisfies(e -> assertThat(e.attempts()).isEqualTo(2));
        assertThat(h.events(DomainEvent.RequestAbandoned.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo(AbandonReason.CALLBACK_FAILED));
        assertThat(h.sent(Notification.RequestEnded.class)).singleElement()
                .satisfies(n -> assertThat(n.reason()).isEqualTo(AbandonReason.CALLBACK_FAILED));
        assertThat(h.request(r.requestId()).state()).isEqualTo("ABANDONED");
        assertThat(h.presence("e1")).isEqualTo(Presence.AVAILABLE);
        assertThat(first.attempt()).isEqualTo(1);
    }

    @Test
    void cancelledWhileThePointRingsStopsTheRingAndFreesTheExpert() {
        Harness h = harness();
        h.expert("e1", Set.of("kela"), Language.FI);
        Reply.Queued r = h.call("anna", "kela", "pension", Language.FI);
        Reply.Queued next = h.call("bo", "kela", "pension", Language.FI);
        h.run(new Command.RequestCallback("anna", r.requestId()));
        h.available("e1");
        h.run(new Command.AcceptOffer("e1", r.requestId()));
        h.clear();
        h.run(new Command.CancelRequest("maria", r.requestId()));
        assertThat(h.sent(Notification.CallbackRingEnded.class)).extracting(Notification.CallbackRingEnded::outcome)
                .containsOnly("cancelled").hasSize(2);
        assertThat(h.ringingAt("e1")).isEqualTo(next.requestId());
        assertThat(h.request(r.requestId()).state()).isEqualTo("ABANDONED");
        h.tick(Duration.ofSeconds(45));
        assertThat(h.events(DomainEvent.CallbackRingUnanswered.class)).as("its ring timer is gone").isEmpty();
    }

    @Test
    void theExpertLeavingWhileThePointRingsStopsTheRingAndKeepsThePlace() {
        Harness h = harness();
        h.expert("e1", Set.of("kela"), Language.FI);
        Reply.Queued r = h.call("anna", "kela", "pension", Language.FI);
        h.run(new Command.RequestCallback("anna", r.requestId()));
        h.available("e1");
        h.run(new Command.AcceptOffer("e1", r.requestId()));
        h.clear();
        h.run(new Command.ExpertGone("e1"));
        assertThat(h.sent(Notification.CallbackRingEnded.class)).extracting(Notification.CallbackRingEnded::outcome)
                .containsOnly("withdrawn").hasSize(2);
        Reply.RequestStatus status = h.request(r.requestId());
        assertThat(status.state()).isEqualTo("WAITING");
        assertThat(status.position()).isEqualTo(1);
        assertThat(status.callback().attempts()).as("not the point's failure").isZero();
        assertThat(status.callback().ringUntil()).isNull();
        h.tick(Duration.ofSeconds(45));
        assertThat(h.events(DomainEvent.CallbackRingUnanswered.class)).isEmpty();
    }

    @Test
    void aRingingRequestCannotBecomeACallbackAndAskingTwiceIsANoOp() {
        Harness h = harness();
        h.expert("e1", Set.of("kela"), Language.FI);
        h.available("e1");
        Reply.Queued r = h.call("anna", "kela", "pension", Language.FI);
        h.refuse(new Command.RequestCallback("anna", r.requestId()), ErrorCode.ILLEGAL_TRANSITION);
        h.refuse(new Command.RequestCallback("bo", r.requestId()), ErrorCode.NOT_A_PARTY);
        Reply.Queued w = h.call("anna", "kela", "pension", Language.FI);
        h.run(new Command.RequestCallback("anna", w.requestId()));
        h.clear();
        h.run(new Command.RequestCallback("anna", w.requestId()));
        assertThat(h.events).isEmpty();
    }

    @Test
    void aCallbackSurvivesARestartInBetween() {
        Harness live = harness();
        long[] ids = queueBehindBoAndConvert(live);
        expertAcceptsCallback(live, ids[0], ids[1]);
        live.tick(Duration.ofSeconds(45));
        live.run(new Command.SetPresence("e1", Presence.OFFLINE));

        Harness after = new Harness(new LongestIdlePolicy(), c -> c.withCallbacks(
                new CallbackSettings(Duration.ofSeconds(45), Duration.ofMinutes(3), 3, true)));
        for (var entry : Harness.numbered(live.journal)) {
            after.engine.replay(entry);
        }
        after.clock.set(live.clock.instant().plusSeconds(20));
        after.engine.recover();
        after.collect();
        Reply.RequestStatus status = after.request(ids[1]);
        assertThat(status.state()).isEqualTo("WAITING");
        assertThat(status.callback().attempts()).isEqualTo(1);
        assertThat(status.callback().retryAt()).as("the retry delay survives").isNotNull();

        after.available("e1");
        assertThat(after.ringingAt("e1")).as("not before the retry").isNull();
        after.tick(Duration.ofMinutes(3));
        assertThat(after.ringingAt("e1")).isEqualTo(ids[1]);
        assertThat(after.sent(Notification.Offer.class)).last().satisfies(o -> assertThat(o.callback()).isTrue());
        Reply.CallingPoint calling = (Reply.CallingPoint) after.run(new Command.AcceptOffer("e1", ids[1]));
        assertThat(calling.attempt()).isEqualTo(2);
        // A restart while the point rings: the ring ends, the call-back waits in its place again.
        Harness again = new Harness(new LongestIdlePolicy(), c -> c.withCallbacks(
                new CallbackSettings(Duration.ofSeconds(45), Duration.ofMinutes(3), 3, true)));
        java.util.List<DomainEvent> all = new java.util.ArrayList<>(live.journal);
        all.addAll(after.journal);
        for (var entry : Harness.numbered(all)) {
            again.engine.replay(entry);
        }
        again.clock.set(after.clock.instant().plusSeconds(5));
        again.engine.recover();
        again.collect();
        assertThat(again.request(ids[1]).state()).isEqualTo("WAITING");
        assertThat(again.request(ids[1]).callback().ringUntil()).isNull();
        again.available("e1");
        assertThat(again.ringingAt("e1")).isEqualTo(ids[1]);
        Reply.CallingPoint third = (Reply.CallingPoint) again.run(new Command.AcceptOffer("e1", ids[1]));
        assertThat(third.attempt()).as("a ring cut by the restart is not counted as unanswered").isEqualTo(2);
        Reply.CallConnected call = (Reply.CallConnected) again.run(new Command.AnswerCallback("anna", ids[1]));
        assertThat(call.requestId()).isEqualTo(ids[1]);
    }
}
