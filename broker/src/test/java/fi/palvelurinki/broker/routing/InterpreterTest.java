package fi.palvelurinki.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.broker.CallEndReason;
import fi.palvelurinki.broker.CallKind;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.ErrorCode;
import fi.palvelurinki.broker.Notification;
import fi.palvelurinki.broker.Party;
import fi.palvelurinki.broker.Recipient;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.DomainEvent.InterpreterOutcome;
import fi.palvelurinki.broker.ring.Authority;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.RingConfig;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Interpreters and calls of three or four (docs/routing.md, "Interpreters"), each path on a manual clock. */
class InterpreterTest {
    /** Kela and DVV (standard), an interpreter ring fi–ar/so/fse, joint hold 20 s. */
    private static Harness harness() {
        Harness h = new Harness(new LongestIdlePolicy(), c -> c.withJointHold(Duration.ofSeconds(20))).standard();
        h.run(new Command.DefineAuthority(new Authority("tulkkaus", "Tulkkauspalvelu")));
        h.run(new Command.ConfigureRing(RingConfig.builder("tulkit", "tulkkaus").name("Tulkit")
                .languages(Set.of(Language.FI)).interpreting(Set.of("ar", "so", "fse"))
                .offerTimeout(Duration.ofSeconds(30)).wrapUp(Duration.ofSeconds(30)).build(), "test"));
        h.expert("e1", Set.of("kela"), Language.FI);
        h.clear();
        return h;
    }

    private static void interpreter(Harness h, String id, String... languages) {
        h.run(new Command.DefineExpert(new ExpertProfile(id, "Tulkki " + id, Set.of("tulkit"), Set.of(Language.FI),
                Set.of(), Set.of(languages)), "test"));
    }

    private static Reply.Queued callWithInterpreter(Harness h, String language) {
        return (Reply.Queued) h.run(new Command.RequestCall("anna", "kela", "pension", Language.FI, false, "needs ar",
                CallKind.INSTANT, 0, language));
    }

    private static long needOf(Harness h, String interpreter) {
        return h.sent(Notification.Offer.class).stream().filter(o -> o.expertId().equals(interpreter)).reduce((a, b) -> b)
                .orElseThrow().requestId();
    }

    @Test
    void theExpertAndTheInterpreterAreOfferedTogetherAndTheCallStartsWhenBothAccept() {
        Harness h = harness();
        interpreter(h, "t1", "ar");
        h.available("e1");
        Reply.Queued q = callWithInterpreter(h, "ar");
        assertThat(q.position()).as("no interpreter signed in: the expert is not offered it alone").isEqualTo(1);
        assertThat(h.presence("e1")).isEqualTo(Presence.AVAILABLE);
        assertThat(h.events(DomainEvent.InterpreterNeeded.class)).singleElement().satisfies(e -> {
            assertThat(e.requestId()).isEqualTo(q.requestId());
            assertThat(e.language()).isEqualTo("ar");
        });

        h.clear();
        h.available("t1");
        List<Notification.Offer> offers = h.sent(Notification.Offer.class);
        assertThat(offers).as("one decision: both offered in the same step").extracting(Notification.Offer::expertId)
                .containsExactly("e1", "t1");
        assertThat(offers.get(0).interpreter()).isEqualTo("ar");
        assertThat(offers.get(1).role()).isEqualTo("interpreter");
        assertThat(offers.get(1).interpreter()).isEqualTo("ar");
        long need = offers.get(1).requestId();

        h.clear();
        assertThat(h.run(new Command.AcceptOffer("e1", q.requestId()))).isEqualTo(Reply.Done.INSTANCE);
        assertThat(h.events(DomainEvent.OfferHeld.class)).hasSize(1);
        assertThat(h.sent(Notification.OfferHeld.class)).singleElement()
                .satisfies(n -> assertThat(n.waitingFor()).isEqualTo("interpreter"));
        assertThat(h.presence("e1")).as("held, not in a call").isEqualTo(Presence.OFFERED);
        h.tick(Duration.ofSeconds(25));
        assertThat(h.presence("e1")).as("a held expert's offer does not time out").isEqualTo(Presence.OFFERED);

        h.clear();
        Reply.InterpreterAccepted accepted = (Reply.InterpreterAccepted) h.run(new Command.AcceptOffer("t1", need));
        assertThat(accepted.joined()).isTrue();
        assertThat(h.presence("e1")).isEqualTo(Presence.IN_CALL);
        assertThat(h.presence("t1")).isEqualTo(Presence.IN_CALL);
        assertThat(h.sent(Notification.CallConnected.class)).extracting(Notification.CallConnected::recipient)
                .containsExactly(Recipient.advisor("anna"), Recipient.expert("e1"));
        assertThat(h.sent(Notification.PartyJoined.class)).extracting(Notification.PartyJoined::recipient)
                .containsExactly(Recipient.advisor("anna"), Recipient.expert("e1"));
        assertThat(h.sent(Notification.PartyJoined.class).get(0).member())
                .isEqualTo(new Notification.CallMember(Recipient.expert("t1"), "interpreter", "Tulkki t1", "ar"));
        assertThat(h.sent(Notification.CallJoined.class)).singleElement().satisfies(j -> {
            assertThat(j.recipient()).isEqualTo(Recipient.expert("t1"));
            assertThat(j.callId()).isEqualTo(accepted.callId());
            assertThat(j.members()).extracting(Notification.CallMember::party)
                    .containsExactly(Recipient.advisor("anna"), Recipient.expert("e1"));
        });
        assertThat(h.events(DomainEvent.PartyJoined.class)).singleElement().satisfies(e -> {
            assertThat(e.role()).isEqualTo("interpreter");
            assertThat(e.needId()).isEqualTo(need);
        });
        assertThat(h.request(q.requestId()).state()).isEqualTo("CONNECTED");

        h.clear();
        h.hangup(Party.ADVISOR, "anna", accepted.callId());
        assertThat(h.sent(Notification.CallEnded.class)).extracting(Notification.CallEnded::recipient)
                .containsExactlyInAnyOrder(Recipient.advisor("anna"), Recipient.expert("e1"), Recipient.expert("t1"));
        assertThat(h.presence("t1")).isEqualTo(Presence.WRAP_UP);
        h.tick(Duration.ofSeconds(30));
        assertThat(h.presence("t1")).as("the interpreter ring's wrap-up").isEqualTo(Presence.AVAILABLE);
    }

    @Test
    void anInterpreterWhoDeclinesIsReplacedWhileTheExpertIsHeld() {
        Harness h = harness();
        interpreter(h, "t1", "ar");
        interpreter(h, "t2", "ar", "so");
        h.available("t1", "t2", "e1");
        Reply.Queued q = callWithInterpreter(h, "ar");
        assertThat(h.ringingAt("t1")).as("longest idle interpreter").isNotNull();
        long need = needOf(h, "t1");
        h.run(new Command.AcceptOffer("e1", q.requestId()));
        h.tick(Duration.ofSeconds(3));

        h.clear();
        h.run(new Command.DeclineOffer("t1", need));
        assertThat(h.events(DomainEvent.InterpreterAnswered.class)).singleElement()
                .satisfies(e -> assertThat(e.outcome()).isEqualTo(InterpreterOutcome.DECLINED));
        assertThat(h.ringingAt("t2")).as("a replacement is offered at once").isEqualTo(need);
        assertThat(h.presence("e1")).isEqualTo(Presence.OFFERED);
        assertThat(h.sent(Notification.OfferRevoked.class)).as("the held expert is not disturbed").isEmpty();

        h.tick(Duration.ofSeconds(10));
        Reply.InterpreterAccepted accepted = (Reply.InterpreterAccepted) h.run(new Command.AcceptOffer("t2", need));
        assertThat(accepted.joined()).isTrue();
        assertThat(h.presence("t2")).isEqualTo(Presence.IN_CALL);
        assertThat(h.presence("t1")).isEqualTo(Presence.AVAILABLE);
        h.tick(Duration.ofSeconds(30));
        assertThat(h.presence("e1")).as("the hold timer is gone once the call started").isEqualTo(Presence.IN_CALL);
    }

    @Test
    void aHeldExpertIsReleasedWhenNoInterpreterAcceptsInTime() {
        Harness h = harness();
        interpreter(h, "t1", "ar");
        h.available("t1", "e1");
        Reply.Queued joint = callWithInterpreter(h, "ar");
        long need = needOf(h, "t1");
        Reply.Queued plain = h.call("bo", "kela", "pension", Language.FI);
        h.run(new Command.AcceptOffer("e1", joint.requestId()));
        h.run(new Command.DeclineOffer("t1", need));

        h.clear();
        h.tick(Duration.ofSeconds(19));
        assertThat(h.presence("e1")).isEqualTo(Presence.OFFERED);
        h.tick(Duration.ofSeconds(1));
        assertThat(h.sent(Notification.OfferRevoked.class)).first().satisfies(n -> {
            assertThat(n.expertId()).isEqualTo("e1");
            assertThat(n.reason()).isEqualTo(Notification.RevokeReason.PARTNER_MISSING);
        });
        assertThat(h.request(joint.requestId()).state()).as("waits for both again, in its place").isEqualTo("WAITING");
        assertThat(h.ringingAt("e1")).as("the released expert takes the next request").isEqualTo(plain.requestId());
        assertThat(h.ringingAt("t1")).as("the decliner cools down").isNull();
    }

    @Test
    void aHeldInterpreterWaitsForAReplacementExpertThenIsReleased() {
        Harness h = harness();
        h.expert("e2", Set.of("kela"), Language.FI);
        interpreter(h, "t1", "ar");
        h.available("t1", "e1");
        Reply.Queued q = callWithInterpreter(h, "ar");
        long need = needOf(h, "t1");
        Reply.InterpreterAccepted held = (Reply.InterpreterAccepted) h.run(new Command.AcceptOffer("t1", need));
        assertThat(held.joined()).isFalse();
        assertThat(h.sent(Notification.OfferHeld.class)).last().satisfies(n -> assertThat(n.waitingFor()).isEqualTo("expert"));

        h.decline("e1", q.requestId());
        assertThat(h.request(q.requestId()).state()).isEqualTo("WAITING");
        h.tick(Duration.ofSeconds(5));
        h.available("e2");
        assertThat(h.ringingAt("e2")).as("the interpreter is held: the expert alone is offered").isEqualTo(q.requestId());
        h.decline("e2", q.requestId());

        h.clear();
        h.tick(Duration.ofSeconds(15));
        assertThat(h.events(DomainEvent.InterpreterAnswered.class)).singleElement()
                .satisfies(e -> assertThat(e.outcome()).isEqualTo(InterpreterOutcome.RELEASED));
        assertThat(h.presence("t1")).isEqualTo(Presence.AVAILABLE);
        assertThat(h.sent(Notification.OfferRevoked.class)).singleElement()
                .satisfies(n -> assertThat(n.reason()).isEqualTo(Notification.RevokeReason.PARTNER_MISSING));
    }

    @Test
    void anInterpreterAndASecondAuthorityJoinDuringTheCallAndLeavingLeavesTheOthersConnected() {
        Harness h = harness();
        interpreter(h, "t1", "so");
        h.expert("d1", Set.of("dvv"), Language.FI);
        h.available("e1", "t1", "d1");
        Reply.Queued q = h.call("anna", "kela", "pension", Language.FI);
        Reply.CallConnected call = h.accept("e1", q.requestId());

        h.clear();
        Reply.PartyRequested interp = (Reply.PartyRequested) h.run(new Command.AddParty(call.callId(), Party.EXPERT, "e1",
                "so", null, null, null));
        assertThat(interp.kind()).isEqualTo("interpreter");
        assertThat(h.sent(Notification.Offer.class)).singleElement().satisfies(o -> {
            assertThat(o.expertId()).isEqualTo("t1");
            assertThat(o.joinCallId()).isEqualTo(call.callId());
        });
        Reply.InterpreterAccepted joined = (Reply.InterpreterAccepted) h.run(new Command.AcceptOffer("t1", interp.id()));
        assertThat(joined.callId()).isEqualTo(call.callId());

        h.clear();
        Reply.PartyRequested second = (Reply.PartyRequested) h.run(new Command.AddParty(call.callId(), Party.ADVISOR,
                "maria", null, "dvv", "guardianship", "huoltaja"));
        assertThat(second.kind()).isEqualTo("expert");
        assertThat(h.ringingAt("d1")).isEqualTo(second.id());
        assertThat(h.run(new Command.AcceptOffer("d1", second.id()))).isEqualTo(Reply.Done.INSTANCE);
        assertThat(h.sent(Notification.CallJoined.class)).last().satisfies(j -> {
            assertThat(j.recipient()).isEqualTo(Recipient.expert("d1"));
            assertThat(j.members()).extracting(Notification.CallMember::role)
                    .containsExactly("advisor", "expert", "interpreter");
        });
        assertThat(h.sent(Notification.PartyJoined.class)).extracting(Notification.PartyJoined::recipient)
                .containsExactly(Recipient.advisor("anna"), Recipient.expert("e1"), Recipient.expert("t1"));
        h.refuse(new Command.AddParty(call.callId(), Party.ADVISOR, "anna", "ar", null, null, null),
                ErrorCode.CAPACITY_EXCEEDED);

        h.clear();
        h.hangup(Party.EXPERT, "t1", call.callId());
        assertThat(h.events(DomainEvent.PartyLeft.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("hung_up"));
        assertThat(h.sent(Notification.PartyLeft.class)).extracting(Notification.PartyLeft::recipient)
                .containsExactly(Recipient.advisor("anna"), Recipient.expert("e1"), Recipient.expert("d1"));
        assertThat(h.sent(Notification.CallEnded.class)).singleElement()
                .satisfies(n -> assertThat(n.recipient()).isEqualTo(Recipient.expert("t1")));
        assertThat(h.presence("e1")).isEqualTo(Presence.IN_CALL);
        assertThat(h.presence("d1")).isEqualTo(Presence.IN_CALL);
        assertThat(h.presence("t1")).isEqualTo(Presence.WRAP_UP);

        h.clear();
        h.run(new Command.ExpertGone("d1"));
        assertThat(h.presence("d1")).isEqualTo(Presence.OFFLINE);
        assertThat(h.presence("e1")).as("the call goes on").isEqualTo(Presence.IN_CALL);
        h.clear();
        h.hangup(Party.EXPERT, "e1", call.callId());
        assertThat(h.sent(Notification.CallEnded.class)).as("the expert who answered ends the call for everyone")
                .extracting(Notification.CallEnded::recipient)
                .containsExactlyInAnyOrder(Recipient.advisor("anna"), Recipient.expert("e1"));
        assertThat(h.sent(Notification.CallEnded.class)).extracting(Notification.CallEnded::reason)
                .containsOnly(CallEndReason.EXPERT_HUNG_UP);
    }

    @Test
    void aPartyStillBeingLookedForIsCancelledOrEndsWithTheCall() {
        Harness h = harness();
        interpreter(h, "t1", "ar");
        h.available("e1");
        Reply.Queued q = h.call("anna", "kela", "pension", Language.FI);
        Reply.CallConnected call = h.accept("e1", q.requestId());
        Reply.PartyRequested interp = (Reply.PartyRequested) h.run(new Command.AddParty(call.callId(), Party.ADVISOR,
                "anna", "ar", null, null, null));
        assertThat(interp.position()).as("no interpreter signed in: it waits").isEqualTo(1);
        h.refuse(new Command.AddParty(call.callId(), Party.ADVISOR, "anna", "ar", null, null, null),
                ErrorCode.ILLEGAL_TRANSITION);
        h.run(new Command.CancelParty(call.callId(), Party.ADVISOR, "anna", interp.id()));
        assertThat(h.events(DomainEvent.InterpreterNeedEnded.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("cancelled"));
        h.available("t1");
        assertThat(h.ringingAt("t1")).as("a cancelled need is not offered").isNull();

        Reply.PartyRequested again = (Reply.PartyRequested) h.run(new Command.AddParty(call.callId(), Party.ADVISOR,
                "anna", "ar", null, null, null));
        assertThat(h.ringingAt("t1")).isEqualTo(again.id());
        h.clear();
        h.hangup(Party.ADVISOR, "anna", call.callId());
        assertThat(h.sent(Notification.OfferRevoked.class)).singleElement()
                .satisfies(n -> assertThat(n.reason()).isEqualTo(Notification.RevokeReason.CALL_ENDED));
        assertThat(h.presence("t1")).isEqualTo(Presence.AVAILABLE);
    }

    @Test
    void theWaitEstimateIsTheScarcerPoolsWait() {
        Harness h = harness();
        h.expert("e2", Set.of("kela"), Language.FI);
        h.expert("e3", Set.of("kela"), Language.FI);
        interpreter(h, "t1", "ar");
        h.available("t1", "e1", "e2", "e3");
        Reply.Queued first = callWithInterpreter(h, "ar");
        h.run(new Command.AcceptOffer("t1", needOf(h, "t1")));
        h.accept("e1", first.requestId());
        assertThat(h.presence("t1")).isEqualTo(Presence.IN_CALL);

        Reply.Queued second = callWithInterpreter(h, "ar");
        assertThat(second.position()).as("two experts are free, the only interpreter is not").isEqualTo(1);
        // Experts: 1 × 8 min / 3 signed in = 160 s; interpreters: 1 × 8 min / 1 = 480 s. The scarcer decides.
        assertThat(second.estimatedWait()).isEqualTo(Duration.ofSeconds(480));
        assertThat(h.request(second.requestId()).estimatedWait()).isEqualTo(Duration.ofSeconds(480));
        Reply.Queued plain = h.call("bo", "kela", "pension", Language.FI);
        assertThat(plain.position()).as("a request without an interpreter is served meanwhile").isZero();
    }

    @Test
    void aBookedInterpreterIsHeldLikeTheExpertAndJoinsTheBookedCall() {
        Harness h = BookingTest.te(2);
        h.run(new Command.DefineAuthority(new Authority("tulkkaus", "Tulkkauspalvelu")));
        h.run(new Command.ConfigureRing(RingConfig.builder("tulkit", "tulkkaus").languages(Set.of(Language.FI))
                .interpreting(Set.of("ar")).build(), "test"));
        interpreter(h, "t1", "ar");
        h.expert("e1", Set.of("kela"), Language.FI);
        java.time.Instant ten = BookingTest.helsinki("2026-11-25T10:00");
        fi.palvelurinki.broker.booking.Booking booked = ((Reply.BookingView) h.run(new Command.Book("anna", "te",
                "first-visit", ten, Language.FI, null, "tulkki mukaan", false, "ar"))).booking();
        assertThat(booked.interpreter()).isEqualTo("ar");
        assertThat(h.events(DomainEvent.InterpreterBooked.class)).singleElement()
                .satisfies(e -> assertThat(e.language()).isEqualTo("ar"));
        assertThat(h.refuse(new Command.Book("bo", "te", "first-visit", ten, Language.FI, null, "", false, "ar"),
                ErrorCode.SLOT_TAKEN).getMessage()).contains("no interpreter for fi–ar is free then: 1 interpret it, 1 of");
        h.refuse(new Command.Book("bo", "te", "first-visit", ten, Language.FI, null, "", false, "so"),
                ErrorCode.LANGUAGE_NOT_OFFERED);
        h.run(new Command.Book("bo", "te", "first-visit", ten, Language.FI, null, "", false, null));

        // 09:55: the booking is due; the only interpreter is kept for it.
        h.clock.set(BookingTest.helsinki("2026-11-25T09:55"));
        h.available("t1", "e1");
        Reply.Queued instant = callWithInterpreter(h, "ar");
        assertThat(h.ringingAt("e1")).as("the booked call's interpreter is not taken by an instant call").isNull();
        assertThat(h.ringingAt("t1")).isNull();

        h.available("ari");
        Reply.Queued start = (Reply.Queued) h.run(new Command.StartBooking("anna", booked.id()));
        assertThat(start.position()).isZero();
        assertThat(h.ringingAt("ari")).isEqualTo(start.requestId());
        long need = needOf(h, "t1");
        h.run(new Command.AcceptOffer("t1", need));
        Reply.CallConnected call = h.accept("ari", start.requestId());
        assertThat(h.sent(Notification.CallJoined.class)).last()
                .satisfies(j -> assertThat(j.callId()).isEqualTo(call.callId()));
        assertThat(h.request(instant.requestId()).state()).isEqualTo("WAITING");
    }

    @Test
    void badRequestsForInterpretersAreRefusedAndChangeNothing() {
        Harness h = harness();
        interpreter(h, "t1", "ar");
        h.available("e1", "t1");
        h.refuse(new Command.RequestCall("anna", "kela", "pension", Language.FI, false, "", CallKind.INSTANT, 0, "xx"),
                ErrorCode.LANGUAGE_NOT_OFFERED);
        h.refuse(new Command.RequestCall("anna", "kela", "pension", Language.FI, false, "", CallKind.INSTANT, 0, "Arabic"),
                ErrorCode.INVALID_ARGUMENT);
        h.refuse(new Command.RequestCall("anna", "kela", "pension", Language.SV, false, "", CallKind.INSTANT, 0, "ar"),
                ErrorCode.LANGUAGE_NOT_OFFERED);
        h.refuse(new Command.RequestCall("anna", "tulkit", "pension", Language.FI, false, "", CallKind.INSTANT, 0, null),
                ErrorCode.INVALID_ARGUMENT);
        h.refuse(new Command.DefineExpert(new ExpertProfile("x", "X", Set.of("tulkit", "kela"), Set.of(Language.FI),
                Set.of()), "test"), ErrorCode.INVALID_ARGUMENT);
        h.refuse(new Command.DefineExpert(new ExpertProfile("x", "X", Set.of("tulkit"), Set.of(Language.FI),
                Set.of(), Set.of("ru")), "test"), ErrorCode.INVALID_ARGUMENT);

        Reply.CallConnected call = h.accept("e1", h.call("anna", "kela", "pension", Language.FI).requestId());
        h.refuse(new Command.AddParty(call.callId(), Party.ADVISOR, "anna", "ar", "dvv", null, null),
                ErrorCode.INVALID_ARGUMENT);
        h.refuse(new Command.AddParty(call.callId(), Party.ADVISOR, "anna", null, null, null, null),
                ErrorCode.INVALID_ARGUMENT);
        h.refuse(new Command.AddParty(call.callId(), Party.ADVISOR, "bo", "ar", null, null, null), ErrorCode.NOT_A_PARTY);
        h.refuse(new Command.AddParty(call.callId(), Party.EXPERT, "t1", "ar", null, null, null), ErrorCode.NOT_A_PARTY);
        h.refuse(new Command.AddParty(call.callId(), Party.ADVISOR, "anna", null, "tulkit", null, null),
                ErrorCode.INVALID_ARGUMENT);
        h.refuse(new Command.AddParty(999, Party.ADVISOR, "anna", "ar", null, null, null), ErrorCode.UNKNOWN_CALL);
        h.refuse(new Command.CancelParty(call.callId(), Party.ADVISOR, "anna", 42), ErrorCode.UNKNOWN_REQUEST);
        h.refuse(new Command.RequestCallback("anna", callWithInterpreter(h, "ar").requestId()),
                ErrorCode.ILLEGAL_TRANSITION);
    }

    @Test
    void replayAfterACrashInTheMiddleOfAJointOfferWaitsForBothAgain() {
        Harness live = harness();
        interpreter(live, "t1", "ar");
        live.available("t1", "e1");
        Reply.Queued q = callWithInterpreter(live, "ar");
        long need = needOf(live, "t1");
        live.run(new Command.AcceptOffer("e1", q.requestId()));

        Harness after = new Harness(new LongestIdlePolicy(), c -> c.withJointHold(Duration.ofSeconds(20)));
        for (var entry : Harness.numbered(live.journal)) {
            after.engine.replay(entry);
        }
        after.clock.set(live.clock.instant().plusSeconds(3));
        after.engine.recover();
        after.collect();
        assertThat(after.request(q.requestId()).state()).isEqualTo("WAITING");
        assertThat(after.presence("e1")).isEqualTo(Presence.OFFLINE);
        assertThat(after.presence("t1")).isEqualTo(Presence.OFFLINE);
        assertThat(after.events(DomainEvent.InterpreterAnswered.class)).singleElement()
                .satisfies(e -> assertThat(e.outcome()).isEqualTo(InterpreterOutcome.WITHDRAWN));

        after.clear();
        after.available("e1");
        assertThat(after.ringingAt("e1")).as("not without an interpreter").isNull();
        after.available("t1");
        assertThat(after.ringingAt("e1")).isEqualTo(q.requestId());
        assertThat(after.ringingAt("t1")).isEqualTo(need);
        after.run(new Command.AcceptOffer("t1", need));
        Reply.CallConnected call = (Reply.CallConnected) after.run(new Command.AcceptOffer("e1", q.requestId()));

        // And a restart during the three-way call: it goes on, the interpreter still in it.
        Harness again = new Harness(new LongestIdlePolicy(), c -> c.withJointHold(Duration.ofSeconds(20)));
        List<DomainEvent> all = new java.util.ArrayList<>(live.journal);
        all.addAll(after.journal);
        for (var entry : Harness.numbered(all)) {
            again.engine.replay(entry);
        }
        again.engine.recover();
        again.collect();
        assertThat(again.presence("t1")).isEqualTo(Presence.IN_CALL);
        assertThat(((Reply.CallsInProgress) again.run(new Command.GetCallsInProgress())).calls())
                .as("signaling learns who joined, to let them signal again").singleElement()
                .satisfies(c -> assertThat(c.joined()).containsExactly("t1"));
        again.hangup(Party.EXPERT, "t1", call.callId());
        assertThat(again.presence("e1")).isEqualTo(Presence.IN_CALL);
        assertThat(again.presence("t1")).isEqualTo(Presence.WRAP_UP);
    }
}
