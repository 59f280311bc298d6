package fi.palvelurinki.broker.testing;

import fi.palvelurinki.broker.AbandonReason;
import fi.palvelurinki.broker.CallEndReason;
import fi.palvelurinki.broker.CallKind;
import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.DomainEvent.InterpreterOutcome;
import fi.palvelurinki.broker.journal.FileJournal;
import fi.palvelurinki.broker.point.Advisor;
import fi.palvelurinki.broker.point.ServicePoint;
import fi.palvelurinki.broker.ring.Authority;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.RingConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small journal of interpreters and calls of three or four parties, written event by event (the engine
 * that writes these events is not on this branch). Its figures are worked out by hand in
 * {@code InterpreterReportTest}, {@code SimulatorTest} and the app's staffing test. Tuesday 2026-11-24,
 * seconds after 10:00:00 Finnish time. Ring {@code tulkit} (authority {@code hva}) serves Finnish and
 * interprets ar and so, wrap-up 30 s, expected handle time 600 s; t1 interprets ar, t2 everything the ring
 * does (ar, so). Kela's experts e1, e2; Vero's v1, v2.
 *
 * <pre>
 *    0  t1, t2, e1, e2, v1, v2 sign in
 *   10  r1 anna@mikkeli → kela with an Arabic interpreter: need n1 (fi-ar), offered to e1 and to t1
 *   15  e1 accepts: held (OfferHeld) for the interpreter
 *   18  t1 declines                                 19  n1 offered to t2
 *   27  t2 accepts: call c1 starts (r1, e1), t2 joins it → e1 held 12 s; n1 waited 17 s
 *  327  c1 ends (talk 300 s): t2 leaves it (PartyLeft call_ended), e1 and t2 wrap up
 *  357  t2's wrap-up ends (WrapUpEnded of c1, before e1's), then e1's
 *  360  e1 signs out
 *  400  r2 bo@parainen → kela with a Somali interpreter: need n2 (fi-so), offered to e2 and to t2
 *  405  t2 accepts: held for the expert             410  e2 declines
 *  430  t2 released (no expert within the hold time): held 25 s
 *  460  bo cancels r2: n2 unmet after 60 s (InterpreterNeedEnded request_ended too)
 *  500  r3 anna@mikkeli → kela, offered to e2       505  e2 accepts, call c2
 *  520  e2 asks for an Arabic interpreter in c2: need n3 (fi-ar, during the call), offered to t1
 *  530  t1 accepts and joins c2 (3 parties); n3 waited 10 s
 *  540  e2 asks Vero to join: r4 → vero, offered to v1   550  v1 accepts and joins c2 (4 parties)
 *  600  r5 bo@parainen → vero, offered to v2        610  v2 accepts, call c3 (2 parties)
 *  700  t1 leaves c2 (wrap-up until 730); c3 ends
 *  730  t1's wrap-up ends (WrapUpEnded of c2, which goes on), v2's of c3
 *  800  c2 ends: v1 leaves it (PartyLeft call_ended), e2 and v1 wrap up
 *  830  e2's and v1's wrap-ups end
 *  900  r6 bo@parainen → kela with an Arabic interpreter: need n4 (fi-ar), offered to e2 and to t1
 *  905  e2 accepts: held; still held, n4 still open, when the journal ends
 * 1000  v2 signs out (the last event)
 * </pre>
 */
public final class InterpreterJournal {
    public static final Instant T0 = Instant.parse("2026-11-24T08:00:00Z");

    private final List<DomainEvent> events = new ArrayList<>();
    private final Map<String, Presence> presence = new HashMap<>();
    private double now;

    private InterpreterJournal() {}

    /** Writes the journal into {@code dataDir}/journal. */
    public static void write(Path dataDir) {
        InterpreterJournal j = new InterpreterJournal();
        j.timeline();
        try {
            Path dir = dataDir.resolve("journal");
            Files.createDirectories(dir);
            try (FileJournal f = FileJournal.open(dir, Clock.fixed(T0, ZoneOffset.UTC), FileJournal.Options.defaults(),
                    null, e -> {})) {
                f.append(j.events);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The events, for folding without a journal. */
    public static List<DomainEvent> events() {
        InterpreterJournal j = new InterpreterJournal();
        j.timeline();
        return List.copyOf(j.events);
    }

    private Instant t() {
        return T0.plusMillis(Math.round(now * 1000));
    }

    private InterpreterJournal at(double seconds) {
        now = seconds;
        return this;
    }

    private void add(DomainEvent e) {
        events.add(e);
    }

    private void presence(String expert, Presence to) {
        Presence from = presence.getOrDefault(expert, Presence.OFFLINE);
        presence.put(expert, to);
        add(new DomainEvent.PresenceChanged(t(), expert, from, to, "test"));
    }

    private void expert(String id, String name, String ring, Set<String> interprets) {
        add(new DomainEvent.ExpertDefined(t(), new ExpertProfile(id, name, Set.of(ring), Set.of(Language.FI), Set.of(),
                interprets), "config"));
    }

    private void queued(long requestId, String ring, String point, String advisor) {
        add(new DomainEvent.RequestQueued(t(), requestId, CallKind.INSTANT, ring, point, advisor, null, Language.FI, false,
                null, 0));
    }

    private void offer(long requestId, String expert, String ring, String point) {
        add(new DomainEvent.OfferMade(t(), requestId, expert, ring, point, t().plusSeconds(30), "test"));
        presence(expert, Presence.OFFERED);
    }

    private void need(long needId, long requestId, long callId, String language, String point, String by) {
        add(new DomainEvent.InterpreterNeeded(t(), needId, requestId, callId, language, Language.FI, point, by, 0));
    }

    private void interpreterOffer(long needId, String interpreter, String language) {
        add(new DomainEvent.InterpreterOffered(t(), needId, interpreter, "tulkit", language, t().plusSeconds(30)));
        presence(interpreter, Presence.OFFERED);
    }

    private void answer(long needId, String interpreter, InterpreterOutcome outcome) {
        add(new DomainEvent.InterpreterAnswered(t(), needId, interpreter, "tulkit", outcome,
                outcome == InterpreterOutcome.DECLINED ? t().plusSeconds(60) : null));
        if (outcome != InterpreterOutcome.ACCEPTED) {
            presence(interpreter, Presence.AVAILABLE);
        }
    }

    private void callStarted(long callId, long requestId, String expert, String advisor, String ring, String point) {
        add(new DomainEvent.OfferAccepted(t(), requestId, expert, ring, point));
        add(new DomainEvent.CallStarted(t(), callId, requestId, expert, advisor, ring, point));
        presence(expert, Presence.IN_CALL);
    }

    private void joined(long callId, String party, String role, String ring, String language, long needId,
            long requestId) {
        add(new DomainEvent.PartyJoined(t(), callId, party, role, ring, language, needId, requestId));
        presence(party, Presence.IN_CALL);
    }

    /** As the engine journals a joined party leaving: their wrap-up is 30 s. */
    private void partyLeft(long callId, String party, String ring, String reason) {
        add(new DomainEvent.PartyLeft(t(), callId, party, ring, reason, t().plusSeconds(30)));
        presence(party, Presence.WRAP_UP);
    }

    /** As the engine ends a call: the joined parties still in it leave first. */
    private void callEnded(long callId, long requestId, String expert, String ring, String point,
            Map<String, String> joinedRings) {
        joinedRings.forEach((party, partyRing) -> partyLeft(callId, party, partyRing, "call_ended"));
        add(new DomainEvent.CallEnded(t(), callId, requestId, expert, ring, point, CallEndReason.ADVISOR_HUNG_UP,
                t().plusSeconds(30)));
        presence(expert, Presence.WRAP_UP);
    }

    private void wrapUpEnded(String expert, long callId, String ring) {
        add(new DomainEvent.WrapUpEnded(t(), expert, callId, ring, false));
        presence(expert, Presence.AVAILABLE);
    }

    private void timeline() {
        add(new DomainEvent.AuthorityDefined(t(), new Authority("kela", "Kela")));
        add(new DomainEvent.AuthorityDefined(t(), new Authority("vero", "Verohallinto")));
        add(new DomainEvent.AuthorityDefined(t(), new Authority("hva", "Etelä-Savon hyvinvointialue")));
        add(new DomainEvent.RingConfigured(t(), RingConfig.builder("kela", "kela").name("Kela").build(), "config"));
        add(new DomainEvent.RingConfigured(t(), RingConfig.builder("vero", "vero").name("Vero").build(), "config"));
        add(new DomainEvent.RingConfigured(t(), RingConfig.builder("tulkit", "hva").name("Tulkit")
                .interpreting(Set.of("ar", "so")).wrapUp(Duration.ofSeconds(30))
                .expectedHandleTime(Duration.ofSeconds(600)).build(), "config"));
        add(new DomainEvent.PointDefined(t(), new ServicePoint("mikkeli", "Mikkeli Asiointipiste", "Mikkeli", 1)));
        add(new DomainEvent.PointDefined(t(), new ServicePoint("parainen", "Parainen", "Parainen", 1)));
        add(new DomainEvent.AdvisorDefined(t(), new Advisor("anna", "Anna", "mikkeli")));
        add(new DomainEvent.AdvisorDefined(t(), new Advisor("bo", "Bo", "parainen")));
        expert("e1", "Eeva", "kela", Set.of());
        expert("e2", "Erkki", "kela", Set.of());
        expert("v1", "Veera", "vero", Set.of());
        expert("v2", "Ville", "vero", Set.of());
        expert("t1", "Tuulikki", "tulkit", Set.of("ar"));
        expert("t2", "Tarmo", "tulkit", Set.of());
        for (String e : List.of("t1", "t2", "e1", "e2", "v1", "v2")) {
            presence(e, Presence.AVAILABLE);
        }

        at(10).queued(1, "kela", "mikkeli", "anna");
        need(1, 1, 0, "ar", "mikkeli", "anna");
        offer(1, "e1", "kela", "mikkeli");
        interpreterOffer(1, "t1", "ar");
        at(15).add(new DomainEvent.OfferHeld(t(), 1, "e1", "kela"));
        at(18).answer(1, "t1", InterpreterOutcome.DECLINED);
        at(19).interpreterOffer(1, "t2", "ar");
        at(27).answer(1, "t2", InterpreterOutcome.ACCEPTED);
        callStarted(1, 1, "e1", "anna", "kela", "mikkeli");
        joined(1, "t2", "interpreter", "tulkit", "ar", 1, 1);
        at(327).callEnded(1, 1, "e1", "kela", "mikkeli", Map.of("t2", "tulkit"));
        at(357).wrapUpEnded("t2", 1, "tulkit");
        wrapUpEnded("e1", 1, "kela");
        at(360).presence("e1", Presence.OFFLINE);

        at(400).queued(2, "kela", "parainen", "bo");
        need(2, 2, 0, "so", "parainen", "bo");
        offer(2, "e2", "kela", "parainen");
        interpreterOffer(2, "t2", "so");
        at(405).answer(2, "t2", InterpreterOutcome.ACCEPTED);
        at(410).add(new DomainEvent.OfferDeclined(t(), 2, "e2", "kela", t().plusSeconds(60)));
        presence("e2", Presence.AVAILABLE);
        at(430).answer(2, "t2", InterpreterOutcome.RELEASED);
        at(460).add(new DomainEvent.RequestAbandoned(t(), 2, "kela", "parainen", AbandonReason.CANCELLED));
        add(new DomainEvent.InterpreterNeedEnded(t(), 2, "request_ended"));

        at(500).queued(3, "kela", "mikkeli", "anna");
        offer(3, "e2", "kela", "mikkeli");
        at(505).callStarted(2, 3, "e2", "anna", "kela", "mikkeli");
        at(520).need(3, 0, 2, "ar", "mikkeli", "e2");
        interpreterOffer(3, "t1", "ar");
        at(530).answer(3, "t1", InterpreterOutcome.ACCEPTED);
        joined(2, "t1", "interpreter", "tulkit", "ar", 3, 0);
        at(540).queued(4, "vero", "mikkeli", "anna");
        add(new DomainEvent.JoinRequested(t(), 4, 2, "e2"));
        offer(4, "v1", "vero", "mikkeli");
        at(550).add(new DomainEvent.OfferAccepted(t(), 4, "v1", "vero", "mikkeli"));
        joined(2, "v1", "expert", "vero", null, 0, 4);

        at(600).queued(5, "vero", "parainen", "bo");
        offer(5, "v2", "vero", "parainen");
        at(610).callStarted(3, 5, "v2", "bo", "vero", "parainen");
        at(700).partyLeft(2, "t1", "tulkit", "hung_up");
        callEnded(3, 5, "v2", "vero", "parainen", Map.of());
        at(730).wrapUpEnded("t1", 2, "tulkit");
        wrapUpEnded("v2", 3, "vero");
        at(800).callEnded(2, 3, "e2", "kela", "mikkeli", Map.of("v1", "vero"));
        at(830).wrapUpEnded("e2", 2, "kela");
        wrapUpEnded("v1", 2, "vero");

        at(900).queued(6, "kela", "parainen", "bo");
        need(4, 6, 0, "ar", "parainen", "bo");
        offer(6, "e2", "kela", "parainen");
        interpreterOffer(4, "t1", "ar");
        at(905).add(new DomainEvent.OfferHeld(t(), 6, "e2", "kela"));
        at(1000).presence("v2", Presence.OFFLINE);
    }
}
