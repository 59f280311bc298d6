package fi.palvelurinki.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.broker.AbandonReason;
import fi.palvelurinki.broker.CallEndReason;
import fi.palvelurinki.broker.CallKind;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.ErrorCode;
import fi.palvelurinki.broker.Notification;
import fi.palvelurinki.broker.Party;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.RingStatus;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.OpeningHours;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutingEngineTest {

    @Test
    void offersToTheLongestIdleExpertWhoSpeaksTheLanguage() {
        Harness h = new Harness().standard();
        h.expert("e1", Set.of("kela"), Language.FI);
        h.expert("e2", Set.of("kela"), Language.FI, Language.SV);
        h.expert("e3", Set.of("kela"), Language.FI);
        h.available("e1", "e2", "e3");

        Reply.Queued fi = h.call("anna", "kela", "pension", Language.FI);
        assertThat(fi.position()).as("offered at once, not waiting").isZero();
        assertThat(h.ringingAt("e1")).as("e1 has been idle longest").isEqualTo(fi.requestId());

        Reply.Queued sv = h.call("bo", "kela", "housing", Language.SV);
        assertThat(h.ringingAt("e2")).as("only e2 speaks Swedish").isEqualTo(sv.requestId());
        assertThat(h.ringingAt("e3")).isNull();

        Notification.Offer offer = h.sent(Notification.Offer.class).get(1);
        assertThat(offer.expertId()).isEqualTo("e2");
        assertThat(offer.pointName()).isEqualTo("Paraisten Asiointipiste");
        assertThat(offer.topic()).isEqualTo("housing");
        assertThat(offer.language()).isEqualTo(Language.SV);
        assertThat(offer.expiresAt()).isEqualTo(h.clock.instant().plusSeconds(30));
        assertThat(h.events(DomainEvent.OfferMade.class).get(0).reason()).startsWith("longest-idle");
    }

    @Test
    void anExpertInSeveralRingsIsOfferedOneCallAtATime() {
        Harness h = new Harness().standard();
        h.expert("both", Set.of("kela", "dvv"), Language.FI);
        h.available("both");
        Reply.Queued first = h.call("anna", "kela", "pension", Language.FI);
        Reply.Queued second = h.call("bo", "dvv", "guardianship", Language.FI);
        assertThat(h.ringingAt("both")).isEqualTo(first.requestId());
        assertThat(second.position()).isEqualTo(1);
        assertThat(h.sent(Notification.Offer.class)).hasSize(1);

        Reply.CallConnected call = h.accept("both", first.requestId());
        h.hangup(Party.EXPERT, "both", call.callId());
        h.tick(Duration.ofSeconds(60));
        assertThat(h.ringingAt("both")).as("after wrap-up, the DVV request").isEqualTo(second.requestId());
    }

    @Test
    void higherPriorityIsServedFirstThenOldest() {
        Harness h = new Harness().standard();
        h.expert("e1", Set.of("kela"), Language.FI);
        Reply.Queued a = h.call("anna", "kela", "pension", Language.FI);
        h.tick(Duration.ofSeconds(5));
        Reply.Queued b = h.call("bo", "kela", "pension", Language.FI);
        h.tick(Duration.ofSeconds(5));
        Reply.Queued booked = (Reply.Queued) h.run(new Command.RequestCall("anna", "kela", "housing", Language.FI,
                false, "booked 10:15", CallKind.BOOKED, Command.RequestCall.BOOKED_PRIORITY));
        assertThat(a.position()).isEqualTo(1);
        assertThat(b.position()).isEqualTo(2);
        assertThat(booked.position()).as("a due booked call outranks instant calls").isEqualTo(1);
        assertThat(h.request(a.requestId()).position()).isEqualTo(2);

        h.available("e1");
        assertThat(h.ringingAt("e1")).isEqualTo(booked.requestId());
        serve(h, "e1", booked.requestId());
        assertThat(h.ringingAt("e1")).isEqualTo(a.requestId());
        serve(h, "e1", a.requestId());
        assertThat(h.ringingAt("e1")).isEqualTo(b.requestId());
    }

    private static void serve(Harness h, String expert, long request) {
        Reply.CallConnected c = h.accept(expert, request);
        h.tick(Duration.ofMinutes(3));
        h.hangup(Party.ADVISOR, "anna", c.callId());
        h.run(new Command.EndWrapUp(expert));
    }

    @Test
    void declineGoesToTheNextExpertAndTheDeclinerIsNotAskedAgainDuringTheCooldown() {
        Harness h = new Harness().standard();
        h.expert("e1", Set.of("kela"), Language.FI);
        h.expert("e2", Set.of("kela"), Language.FI);
        h.available("e1", "e2");
        Reply.Queued r = h.call("anna", "kela", "pension", Language.FI);
        assertThat(h.ringingAt("e1")).isEqualTo(r.requestId());

        h.decline("e1", r.requestId());
        assertThat(h.ringingAt("e2")).isEqualTo(r.requestId());
        assertThat(h.presence("e1")).isEqualTo(Presence.AVAILABLE);

        h.decline("e2", r.requestId());
        assertThat(h.ringingAt("e1")).as("both cooling down").isNull();
        assertThat(h.request(r.requestId()).state()).isEqualTo("WAITING");
        assertThat(h.request(r.requestId()).position()).as("keeps its place").isEqualTo(1);

        h.tick(Duration.ofSeconds(59));
        assertThat(h.ringingAt("e1")).isNull();
        h.tick(Duration.ofSeconds(1));
        assertThat(h.ringingAt("e1")).as("cooldown over: the longest idle gets it again").isEqualTo(r.requestId());
        DomainEvent.OfferDeclined d = h.events(DomainEvent.OfferDeclined.class).get(0);
        assertThat(d.cooldownUntil()).isEqualTo(d.at().plusSeconds(60));
    }

    @Test
    void anUnansweredOfferMovesOnAndRepeatedMissesSetTheExpertAway() {
        Harness h = new Harness().standard();
        h.expert("absent", Set.of("kela"), Language.FI);
        h.expert("e2", Set.of("kela"), Language.FI);
        h.available("absent");
        Reply.Queued r1 = h.call("anna", "kela", "pension", Language.FI);
        assertThat(h.ringingAt("absent")).isEqualTo(r1.requestId());
        h.tick(Duration.ofSeconds(29));
        assertThat(h.ringingAt("absent")).isEqualTo(r1.requestId());
        h.tick(Duration.ofSeconds(1));
        assertThat(h.ringingAt("absent")).as("missed once: still available, but cooling down for r1").isNull();
        assertThat(h.presence("absent")).isEqualTo(Presence.AVAILABLE);
        assertThat(h.sent(Notification.OfferRevoked.class)).extracting(Notification.OfferRevoked::reason)
                .containsExactly(Notification.RevokeReason.TIMED_OUT);

        Reply.Queued r2 = h.call("bo", "kela", "pension", Language.FI);
        assertThat(h.ringingAt("absent")).isEqualTo(r2.requestId());
        h.tick(Duration.ofSeconds(30));
        assertThat(h.presence("absent")).as("second miss in a row (max 2): AWAY").isEqualTo(Presence.AWAY);
        assertThat(h.sent(Notification.PresenceChanged.class)).extracting(Notification.PresenceChanged::presence)
                .containsExactly(Presence.AWAY);

        h.available("e2");
        assertThat(h.ringingAt("e2")).as("the ring does not stall: e2 gets the oldest").isEqualTo(r1.requestId());
        assertThat(h.events(DomainEvent.OfferTimedOut.class)).extracting(DomainEvent.OfferTimedOut::consecutiveMisses)
                .containsExactly(1, 2);
    }

    @Test
    void answeringResetsTheMissedOfferCount() {
        Harness h = new Harness().standard();
        h.expert("e1", Set.of("kela"), Language.FI);
        h.available("e1");
        Reply.Queued r1 = h.call("anna", "kela", "pension", Language.FI);
        h.tick(Duration.ofSeconds(30));
        h.tick(Duration.ofSeconds(60));
        assertThat(h.ringingAt("e1")).isEqualTo(r1.requestId());
        Reply.CallConnected c = h.accept("e1", r1.requestId());
        h.hangup(Party.EXPERT, "e1", c.callId());
        h.run(new Command.EndWrapUp("e1"));
        Reply.Queued r2 = h.call("anna", "kela", "pension", Language.FI);
        h.tick(Duration.ofSeconds(30));
        assertThat(h.presence("e1")).as("one miss after an answer is not two in a row").isEqualTo(Presence.AVAILABLE);
        assertThat(h.request(r2.requestId()).state()).isEqualTo("WAITING");
    }

    @Test
    void swedishRequestWithConsentMayBeAnsweredInFinnishAfterTheEscalationDelay() {
        Harness h = new Harness().standard();
        h.expert("fi-only", Set.of("kela"), Language.FI);
        h.available("fi-only");
        Reply.Queued consent = h.callWithConsent("bo", "kela", "pension", Language.SV);
        Reply.Queued noConsent = h.call("bo", "kela", "housing", Language.SV);
        assertThat(h.ringingAt("fi-only")).isNull();

        h.tick(Duration.ofSeconds(118));
        assertThat(h.ringingAt("fi-only")).isNull();
        h.tick(Duration.ofSeconds(2));
        assertThat(h.ringingAt("fi-only")).as("after 2 min, Finnish is acceptable").isEqualTo(consent.requestId());
        assertThat(h.events(DomainEvent.LanguageEscalated.class)).singleElement()
                .satisfies(e -> assertThat(e.languages()).containsExactlyInAnyOrder(Language.SV, Language.FI));
        assertThat(h.sent(Notification.RequestEscalated.class)).singleElement()
                .satisfies(e -> assertThat(e.requestId()).isEqualTo(consent.requestId()));
        assertThat(h.events(DomainEvent.OfferMade.class).get(0).reason()).contains("fallback language");

        h.decline("fi-only", consent.requestId());
        h.tick(Duration.ofMinutes(10));
        assertThat(h.request(noConsent.requestId()).state()).as("never without consent").isEqualTo("WAITING");
    }

    @Test
    void aNativeSpeakerIsPreferredOverAFallbackSpeakerAfterEscalation() {
        Harness h = new Harness().standard();
        h.expert("fi-only", Set.of("kela"), Language.FI);
        h.expert("sv", Set.of("kela"), Language.SV);
        h.available("fi-only");
        h.tick(Duration.ofMinutes(5));
        Reply.Queued r = h.callWithConsent("bo", "kela", "pension", Language.SV);
        h.tick(Duration.ofMinutes(2));
        assertThat(h.ringingAt("fi-only")).isEqualTo(r.requestId());
        h.decline("fi-only", r.requestId());
        h.available("sv");
        assertThat(h.ringingAt("sv")).isEqualTo(r.requestId());
    }

    @Test
    void overflowLetsTheOverflowRingAnswerWithoutLosingThePlace() {
        Harness h = new Harness().standard(b -> b.overflow("dvv", Duration.ofMinutes(3)));
        h.expert("dvv1", Set.of("dvv"), Language.FI);
        Reply.Queued old = h.call("anna", "kela", "general", Language.FI);
        h.tick(Duration.ofMinutes(1));
        Reply.Queued dvvOwn = h.call("bo", "dvv", "registry", Language.FI);
        h.tick(Duration.ofMinutes(2));
        assertThat(h.events(DomainEvent.RequestOverflowed.class)).singleElement()
                .satisfies(e -> assertThat(e.toRingId()).isEqualTo("dvv"));

        h.available("dvv1");
        assertThat(h.ringingAt("dvv1")).as("the Kela customer came first and keeps that place in DVV's queue")
                .isEqualTo(old.requestId());
        assertThat(h.events(DomainEvent.OfferMade.class).get(0).ringId()).isEqualTo("dvv");
        assertThat(h.events(DomainEvent.OfferMade.class).get(0).reason()).contains("overflow ring dvv");
        serve(h, "dvv1", old.requestId());
        assertThat(h.ringingAt("dvv1")).isEqualTo(dvvOwn.requestId());
    }

    @Test
    void wrapUpEndsByTimeOrEarlyAndThenTheNextCustomerIsOffered() {
        Harness h = new Harness().standard();
        h.expert("e1", Set.of("kela"), Language.FI);
        h.available("e1");
        Reply.Queued r1 = h.call("anna", "kela", "pension", Language.FI);
        Reply.Queued r2 = h.call("anna", "kela", "pension", Language.FI);
        Reply.CallConnected c1 = h.accept("e1", r1.requestId());
        assertThat(h.presence("e1")).isEqualTo(Presence.IN_CALL);
        h.tick(Duration.ofMinutes(5));
        h.hangup(Party.ADVISOR, "anna", c1.callId());
        assertThat(h.presence("e1")).isEqualTo(Presence.WRAP_UP);
        assertThat(h.ringingAt("e1")).isNull();
        h.tick(Duration.ofSeconds(59));
        assertThat(h.presence("e1")).isEqualTo(Presence.WRAP_UP);
        h.tick(Duration.ofSeconds(1));
        assertThat(h.ringingAt("e1")).as("wrap-up over, next customer").isEqualTo(r2.requestId());

        Reply.CallConnected c2 = h.accept("e1", r2.requestId());
        h.hangup(Party.EXPERT, "e1", c2.callId());
        h.run(new Command.EndWrapUp("e1"));
        assertThat(h.presence("e1")).as("ended early").isEqualTo(Presence.AVAILABLE);
        List<DomainEvent.WrapUpEnded> ends = h.events(DomainEvent.WrapUpEnded.class);
        assertThat(ends).extracting(DomainEvent.WrapUpEnded::early).containsExactly(false, true);
        assertThat(h.events(DomainEvent.CallEnded.class)).extracting(DomainEvent.CallEnded::reason)
                .containsExactly(CallEndReason.ADVISOR_HUNG_UP, CallEndReason.EXPERT_HUNG_UP);
    }

    @Test
    void theAdvisorCancelsWhileWaitingOrRinging() {
        Harness h = new Harness().standard();
        h.expert("e1", Set.of("kela"), Language.FI);
        h.available("e1");
        Reply.Queued ringing = h.call("anna", "kela", "pension", Language.FI);
        Reply.Queued waiting = h.call("anna", "kela", "housing", Language.FI);
        Reply.Queued third = h.call("bo", "kela", "housing", Language.FI);

        h.run(new Command.CancelRequest("anna", waiting.requestId()));
        assertThat(h.request(waiting.requestId()).state()).isEqualTo("ABANDONED");
        assertThat(h.request(third.requestId()).position()).isEqualTo(1);

        h.run(new Command.CancelRequest("anna", ringing.requestId()));
        assertThat(h.sent(Notification.OfferRevoked.class)).singleElement()
                .satisfies(r -> assertThat(r.reason()).isEqualTo(Notification.RevokeReason.CANCELLED));
        assertThat(h.ringingAt("e1")).as("the expert is freed for the next customer").isEqualTo(third.requestId());
        assertThat(h.events(DomainEvent.RequestAbandoned.class)).extracting(DomainEvent.RequestAbandoned::reason)
                .containsOnly(AbandonReason.CANCELLED);

        h.run(new Command.CancelRequest("anna", ringing.requestId()));
        assertThat(h.events(DomainEvent.RequestAbandoned.class)).as("cancelling twice is a no-op").hasSize(2);
        h.refuse(new Command.CancelRequest("bo", ringing.requestId() + 100), ErrorCode.UNKNOWN_REQUEST);
    }

    @Test
    void aDisconnectedPointAbandonsItsRequestsAndEndsItsCalls() {
        Harness h = new Harness().standard();
        h.expert("e1", Set.of("kela"), Language.FI);
        h.available("e1");
        Reply.Queued inCall = h.call("anna", "kela", "pension", Language.FI);
        Reply.CallConnected c = h.accept("e1", inCall.requestId());
        Reply.Queued waiting = h.call("anna", "kela", "housing", Language.FI);
        h.run(new Command.AdvisorGone("anna"));
        assertThat(h.events(DomainEvent.CallEnded.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo(CallEndReason.ADVISOR_DISCONNECTED));
        assertThat(h.request(waiting.requestId()).state()).isEqualTo("ABANDONED");
        assertThat(h.sent(Notification.RequestEnded.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo(AbandonReason.POINT_DISCONNECTED));
        assertThat(h.sent(Notification.CallEnded.class)).extracting(n -> n.recipient().id()).contains("e1");
        assertThat(c.callId()).isPositive();
    }

    @Test
    void anExpertWhoDisconnectsMidCallEndsItAndGoesOffline() {
        Harness h = new Harness().standard(b -> b.wrapUp(Duration.ZERO));
        h.expert("e1", Set.of("kela"), Language.FI);
        h.available("e1");
        Reply.Queued r = h.call("anna", "kela", "pension", Language.FI);
        h.accept("e1", r.requestId());
        h.call("anna", "kela", "pension", Language.FI);
        h.run(new Command.ExpertGone("e1"));
        assertThat(h.presence("e1")).as("not offered the waiting call although wrap-up is zero").isEqualTo(Presence.OFFLINE);
        assertThat(h.sent(Notification.Offer.class)).hasSize(1);
    }

    @Test
    void queuePositionsAndEstimatesAreRecomputedWhenTheyChange() {
        Harness h = new Harness().standard(b -> b.expectedHandleTime(Duration.ofMinutes(6)));
        h.expert("e1", Set.of("kela"), Language.FI);
        h.expert("e2", Set.of("kela"), Language.FI);
        h.run(new Command.SetPresence("e1", Presence.AWAY));
        h.run(new Command.SetPresence("e2", Presence.AWAY));
        Reply.Queued unknown = h.call("anna", "kela", "pension", Language.FI);
        assertThat(unknown.estimatedWait()).as("nobody signed in: unknown").isNull();

        h.run(new Command.SetPresence("e1", Presence.AVAILABLE));
        Reply.Queued r2 = h.call("anna", "kela", "pension", Language.FI);
        Reply.Queued r3 = h.call("bo", "kela", "pension", Language.FI);
        assertThat(h.ringingAt("e1")).isEqualTo(unknown.requestId());
        // e1 is busy with the first; with 1 expert and AHT 6 min, the k-th waits about k × 6 min.
        assertThat(r2.position()).isEqualTo(1);
        assertThat(r2.estimatedWait()).isEqualTo(Duration.ofMinutes(6));
        assertThat(r3.position()).isEqualTo(2);
        assertThat(r3.estimatedWait()).isEqualTo(Duration.ofMinutes(12));

        h.clear();
        h.run(new Command.SetPresence("e2", Presence.AVAILABLE));
        assertThat(h.ringingAt("e2")).isEqualTo(r2.requestId());
        assertThat(h.sent(Notification.QueueUpdate.class)).as("r3 moves up; two experts share the work")
                .containsExactly(new Notification.QueueUpdate("bo", r3.requestId(), 1, Duration.ofMinutes(3)));

        h.clear();
        h.run(new Command.GetRingStatus("kela"));
        assertThat(h.sent(Notification.QueueUpdate.class)).as("nothing changed, nothing sent").isEmpty();
    }

    @Test
    void theEstimateFollowsTheRingsRecentHandleTimes() {
        Harness h = new Harness().standard(b -> b.expectedHandleTime(Duration.ofMinutes(8)).wrapUp(Duration.ZERO));
        h.expert("e1", Set.of("kela"), Language.FI);
        h.available("e1");
        Reply.Queued r = h.call("anna", "kela", "pension", Language.FI);
        Reply.CallConnected c = h.accept("e1", r.requestId());
        h.tick(Duration.ofMinutes(4));
        h.hangup(Party.EXPERT, "e1", c.callId());
        RingStatus s = ((Reply.RingStatuses) h.run(new Command.GetRingStatus("kela"))).rings().get(0);
        // EWMA with weight 1/4: 0.75 × 8 min + 0.25 × 4 min = 7 min.
        assertThat(s.averageHandleTime()).isEqualTo(Duration.ofMinutes(7));
        assertThat(s.estimatedWait()).as("e1 is free: a new request would not wait").isEqualTo(Duration.ZERO);
        // With e1 busy, the next request waits one handle time.
        h.accept("e1", h.call("anna", "kela", "pension", Language.FI).requestId());
        s = ((Reply.RingStatuses) h.run(new Command.GetRingStatus("kela"))).rings().get(0);
        assertThat(s.estimatedWait()).isEqualTo(Duration.ofMinutes(7));
    }

    @Test
    void illegalTransitionsAreErrorsAndChangeNothing() {
        Harness h = new Harness().standard();
        h.expert("e1", Set.of("kela"), Language.FI);
        h.refuse(new Command.EndWrapUp("e1"), ErrorCode.ILLEGAL_TRANSITION);
        h.available("e1");
        Reply.Queued r = h.call("anna", "kela", "pension", Language.FI);
        h.refuse(new Command.SetPresence("e1", Presence.AVAILABLE), ErrorCode.ILLEGAL_TRANSITION);
        h.refuse(new Command.SetPresence("e1", Presence.IN_CALL), ErrorCode.INVALID_ARGUMENT);
        Reply.CallConnected c = h.accept("e1", r.requestId());
        h.refuse(new Command.SetPresence("e1", Presence.AWAY), ErrorCode.ILLEGAL_TRANSITION);
        h.refuse(new Command.SetPresence("e1", Presence.OFFLINE), ErrorCode.ILLEGAL_TRANSITION);
        h.refuse(new Command.AcceptOffer("e1", r.requestId()), ErrorCode.NO_SUCH_OFFER);
        h.refuse(new Command.CancelRequest("anna", r.requestId()), ErrorCode.ALREADY_CONNECTED);
        h.refuse(new Command.Hangup(Party.ADVISOR, "bo", c.callId()), ErrorCode.NOT_A_PARTY);
        h.refuse(new Command.Hangup(Party.EXPERT, "e2", c.callId()), ErrorCode.NOT_A_PARTY);
        h.hangup(Party.EXPERT, "e1", c.callId());
        h.hangup(Party.ADVISOR, "anna", c.callId());
        assertThat(h.events(DomainEvent.CallEnded.class)).as("a second hang-up is a no-op").hasSize(1);
        assertThat(Presence.IN_CALL.canBecome(Presence.AVAILABLE)).isFalse();
        assertThat(Presence.OFFLINE.canBecome(Presence.OFFERED)).isFalse();
    }

    @Test
    void anotherExpertCannotAnswerSomeoneElsesOffer() {
        Harness h = new Harness().standard();
        h.expert("e1", Set.of("kela"), Language.FI);
        h.expert("e2", Set.of("kela"), Language.FI);
        h.available("e1", "e2");
        Reply.Queued r = h.call("anna", "kela", "pension", Language.FI);
        h.refuse(new Command.AcceptOffer("e2", r.requestId()), ErrorCode.NO_SUCH_OFFER);
        h.refuse(new Command.DeclineOffer("e2", r.requestId()), ErrorCode.NO_SUCH_OFFER);
        assertThat(h.ringingAt("e1")).isEqualTo(r.requestId());
    }

    @Test
    void badRequestsAreRefusedWithASpecificReason() {
        Harness h = new Harness().standard(b -> b.openingHours(OpeningHours.parse("mon-fri 08:00-16:00")));
        h.refuse(Command.RequestCall.instant("nobody", "kela", "pension", Language.FI, ""), ErrorCode.UNKNOWN_ADVISOR);
        h.refuse(Command.RequestCall.instant("anna", "tax", "pension", Language.FI, ""), ErrorCode.UNKNOWN_RING);
        h.refuse(Command.RequestCall.instant("anna", "kela", "weddings", Language.FI, ""), ErrorCode.TOPIC_NOT_OFFERED);
        h.refuse(Command.RequestCall.instant("anna", "kela", "pension", Language.EN, ""), ErrorCode.LANGUAGE_NOT_OFFERED);
        h.refuse(Command.RequestCall.instant("anna", "kela", "no spaces", Language.FI, ""), ErrorCode.INVALID_ARGUMENT);
        h.refuse(Command.RequestCall.instant("anna", "kela", "pension", Language.FI, "x".repeat(1001)),
                ErrorCode.INVALID_ARGUMENT);
        h.refuse(new Command.RequestCall("anna", "kela", "pension", Language.FI, false, "", CallKind.INSTANT, 101),
                ErrorCode.INVALID_ARGUMENT);
        h.clock.advance(Duration.ofHours(8)); // 18:00 Finnish time
        var closed = h.refuse(Command.RequestCall.instant("anna", "kela", "pension", Language.FI, ""), ErrorCode.RING_CLOSED);
        assertThat(closed.getMessage()).contains("opens next at 2026-11-25 08:00");
    }

    @Test
    void aPointCannotFloodTheQueue() {
        Harness h = new Harness().standard();
        for (int i = 0; i < 50; i++) {
            h.call("anna", "kela", "pension", Language.FI);
        }
        h.refuse(Command.RequestCall.instant("anna", "kela", "pension", Language.FI, ""), ErrorCode.CAPACITY_EXCEEDED);
        h.call("bo", "kela", "pension", Language.FI);
    }

    @Test
    void operatorsSeeTheRingsFiguresForToday() {
        Harness h = new Harness().standard(b -> b.serviceLevelThreshold(Duration.ofSeconds(60)));
        h.expert("e1", Set.of("kela"), Language.FI);
        h.expert("e2", Set.of("kela"), Language.FI);
        h.available("e1");
        Reply.Queued fast = h.call("anna", "kela", "pension", Language.FI);
        h.accept("e1", fast.requestId());
        Reply.Queued slow = h.call("anna", "kela", "pension", Language.FI);
        Reply.Queued quitter = h.call("bo", "kela", "pension", Language.FI);
        Reply.Queued patient = h.call("bo", "kela", "pension", Language.FI);
        h.tick(Duration.ofSeconds(90));
        h.run(new Command.CancelRequest("bo", quitter.requestId()));
        h.available("e2");
        h.accept("e2", slow.requestId());
        h.tick(Duration.ofSeconds(5));

        RingStatus s = ((Reply.RingStatuses) h.run(new Command.GetRingStatus("kela"))).rings().get(0);
        assertThat(s.waiting()).isEqualTo(1);
        assertThat(s.longestWait()).isEqualTo(Duration.ofSeconds(96));
        assertThat(s.callsInProgress()).isEqualTo(2);
        assertThat(s.expertsByPresence()).containsEntry(Presence.IN_CALL, 2);
        assertThat(s.queuedToday()).isEqualTo(4);
        assertThat(s.answeredToday()).isEqualTo(2);
        assertThat(s.abandonedToday()).isEqualTo(1);
        // one answered within 60 s out of 2 answered + 1 abandoned after the 10 s grace
        assertThat(s.serviceLevelToday()).isEqualTo(1.0 / 3.0);
        List<Notification.RingStatusChanged> pushed = h.sent(Notification.RingStatusChanged.class);
        assertThat(pushed).as("pushed to operators").isNotEmpty();
        RingStatus last = pushed.get(pushed.size() - 1).status();
        assertThat(last.answeredToday()).isEqualTo(2);
        assertThat(last.abandonedToday()).isEqualTo(1);
        assertThat(patient.requestId()).isPositive();
    }

    @Test
    void replayingTheJournalRebuildsTheSameState() {
        Harness live = new Harness().standard(b -> b.overflow("dvv", Duration.ofMinutes(5)));
        live.expert("e1", Set.of("kela"), Language.FI);
        live.expert("e2", Set.of("kela", "dvv"), Language.FI, Language.SV);
        live.available("e1", "e2");
        Reply.Queued a = live.call("anna", "kela", "pension", Language.FI);
        Reply.Queued b = live.call("bo", "kela", "housing", Language.SV);
        live.accept("e1", a.requestId());
        live.decline("e2", b.requestId());
        Reply.Queued c = live.call("bo", "kela", "pension", Language.FI);
        Reply.Queued d = live.callWithConsent("bo", "dvv", "registry", Language.SV);
        live.tick(Duration.ofMinutes(6));

        Harness replayed = new Harness();
        for (var entry : Harness.numbered(live.journal)) {
            replayed.engine.replay(entry);
        }
        replayed.clock.set(live.clock.instant());
        for (long id : new long[] {a.requestId(), b.requestId(), c.requestId(), d.requestId()}) {
            assertThat(replayed.request(id)).isEqualTo(live.request(id));
        }
        for (String e : List.of("e1", "e2")) {
            assertThat(replayed.run(new Command.GetExpert(e))).isEqualTo(live.run(new Command.GetExpert(e)));
        }
        assertThat(replayed.run(new Command.GetRingStatus(null))).isEqualTo(live.run(new Command.GetRingStatus(null)));
    }

    @Test
    void recoveryBringsExpertsBackOfflineKeepsCallsGoingAndWaitingRequestsInOrder() {
        Harness live = new Harness().standard();
        live.expert("e1", Set.of("kela"), Language.FI);
        live.expert("e2", Set.of("kela"), Language.FI);
        live.available("e1", "e2");
        Reply.Queued inCall = live.call("anna", "kela", "pension", Language.FI);
        Reply.CallConnected call = live.accept("e1", inCall.requestId());
        Reply.Queued ringing = live.call("anna", "kela", "pension", Language.FI);
        Reply.Queued w1 = live.call("bo", "kela", "pension", Language.FI);
        Reply.Queued w2 = live.call("bo", "kela", "pension", Language.FI);

        Harness after = new Harness();
        for (var entry : Harness.numbered(live.journal)) {
            after.engine.replay(entry);
        }
        after.clock.set(live.clock.instant().plusSeconds(20));
        after.engine.recover();
        after.collect();
        assertThat(after.presence("e1")).as("the video runs between the browsers: the call goes on").isEqualTo(Presence.IN_CALL);
        assertThat(after.presence("e2")).isEqualTo(Presence.OFFLINE);
        assertThat(after.request(inCall.requestId()).state()).isEqualTo("CONNECTED");
        assertThat(after.events(DomainEvent.CallEnded.class)).isEmpty();
        assertThat(after.run(new Command.GetCallsInProgress())).isEqualTo(new Reply.CallsInProgress(List.of(
                new Reply.CallInProgress(call.callId(), inCall.requestId(), "anna", "e1", "mikkeli", "kela",
                        live.clock.instant()))));
        assertThat(after.request(ringing.requestId()).position()).as("withdrawn offer keeps its place").isEqualTo(1);
        assertThat(after.request(w1.requestId()).position()).isEqualTo(2);
        assertThat(after.request(w2.requestId()).position()).isEqualTo(3);
        after.available("e2");
        assertThat(after.ringingAt("e2")).isEqualTo(ringing.requestId());

        after.clear();
        after.hangup(Party.ADVISOR, "anna", call.callId());
        assertThat(after.events(DomainEvent.CallEnded.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo(CallEndReason.ADVISOR_HUNG_UP));
        assertThat(after.presence("e1")).isEqualTo(Presence.WRAP_UP);
        assertThat(after.run(new Command.GetCallsInProgress())).isEqualTo(new Reply.CallsInProgress(List.of()));
    }

    @Test
    void aCallThatSurvivedARestartEndsWhenAPartyDoesNotComeBack() {
        Harness live = new Harness().standard();
        live.expert("e1", Set.of("kela"), Language.FI);
        live.available("e1");
        Reply.Queued q = live.call("anna", "kela", "pension", Language.FI);
        Reply.CallConnected call = live.accept("e1", q.requestId());

        Harness after = new Harness();
        for (var entry : Harness.numbered(live.journal)) {
            after.engine.replay(entry);
        }
        after.clock.set(live.clock.instant().plusSeconds(5));
        after.engine.recover();
        after.collect();
        after.clear();
        after.run(new Command.ExpertGone("e1"));
        assertThat(after.events(DomainEvent.CallEnded.class)).singleElement().satisfies(e -> {
            assertThat(e.callId()).isEqualTo(call.callId());
            assertThat(e.reason()).isEqualTo(CallEndReason.EXPERT_DISCONNECTED);
        });
        assertThat(after.presence("e1")).isEqualTo(Presence.OFFLINE);
        assertThat(after.request(q.requestId()).state()).isEqualTo("COMPLETED");
    }

    @Test
    void aCustomPolicyDecidesAmongTheEligibleExperts() {
        RoutingPolicy alphabeticalLast = (req, candidates) -> {
            Candidate last = candidates.stream().max((x, y) -> x.expertId().compareTo(y.expertId())).orElseThrow();
            return RoutingDecision.offer(last.expertId(), "last by name of " + candidates.size());
        };
        Harness h = new Harness(alphabeticalLast).standard();
        h.expert("a", Set.of("kela"), Language.FI);
        h.expert("b", Set.of("kela"), Language.FI);
        h.expert("c", Set.of("kela"), Language.SV);
        h.available("a", "b", "c");
        Reply.Queued r = h.call("anna", "kela", "pension", Language.FI);
        assertThat(h.ringingAt("b")).as("c is not eligible (Swedish only), so b").isEqualTo(r.requestId());
        assertThat(h.events(DomainEvent.OfferMade.class).get(0).reason()).isEqualTo("last by name of 2");
    }
}
