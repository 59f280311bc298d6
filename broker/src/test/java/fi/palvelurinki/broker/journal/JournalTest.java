package fi.palvelurinki.broker.journal;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.broker.AbandonReason;
import fi.palvelurinki.broker.BrokerMetrics;
import fi.palvelurinki.broker.CallEndReason;
import fi.palvelurinki.broker.CallKind;
import fi.palvelurinki.broker.booking.BookableService;
import fi.palvelurinki.broker.booking.NoShowSide;
import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.point.Advisor;
import fi.palvelurinki.broker.point.ServicePoint;
import fi.palvelurinki.broker.ring.Authority;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.OpeningHours;
import fi.palvelurinki.broker.ring.RingConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    @TempDir
    Path dir;

    static final Instant T = Instant.parse("2026-11-24T08:00:00.123Z");
    static final java.time.InstantSource CLOCK = java.time.InstantSource.fixed(T);

    /** One of every event type, with awkward values (nulls, non-ASCII, empty sets). */
    static List<DomainEvent> everyKind() {
        RingConfig ring = RingConfig.builder("kela", "kela").name("Kela – eläkkeet")
                .topics(Set.of("pension", "housing")).languages(Set.of(Language.FI, Language.SV))
                .openingHours(OpeningHours.parse("mon-fri 08:00-16:00; sat 10:00-14:00; closed 2026-12-24"))
                .languageEscalation(Duration.ofMinutes(2), Set.of(Language.FI)).overflow("dvv", Duration.ofMinutes(5))
                .bookingCapacity(3).build();
        return List.of(
                new DomainEvent.AuthorityDefined(T, new Authority("kela", "Kansaneläkelaitos")),
                new DomainEvent.RingConfigured(T, ring, "operator:åsa"),
                new DomainEvent.PointDefined(T, new ServicePoint("parainen", "Paraisten Asiointipiste", "Parainen", 2)),
                new DomainEvent.AdvisorDefined(T, new Advisor("bo", "Bo Rådgivare", "parainen")),
                new DomainEvent.ExpertDefined(T, new ExpertProfile("e1", "Eeva", Set.of("kela"), Set.of(Language.FI), Set.of()), "config"),
                new DomainEvent.RequestQueued(T, 7, CallKind.BOOKED, "kela", "parainen", "bo", "pension", Language.SV, true,
                        "Asiakas kysyy\nasumistuesta 💬", 50),
                new DomainEvent.OfferMade(T, 7, "e1", "kela", "parainen", T.plusSeconds(30), "longest-idle"),
                new DomainEvent.OfferDeclined(T, 7, "e1", "kela", T.plusSeconds(60)),
                new DomainEvent.OfferTimedOut(T, 7, "e1", "kela", 2, T.plusSeconds(60)),
                new DomainEvent.OfferWithdrawn(T, 7, "e1", "kela", "cancelled"),
                new DomainEvent.OfferAccepted(T, 7, "e1", "kela", "parainen"),
                new DomainEvent.CallStarted(T, 3, 7, "e1", "bo", "kela", "parainen"),
                new DomainEvent.CallEnded(T, 3, 7, "e1", "kela", "parainen", CallEndReason.ADVISOR_HUNG_UP, null),
                new DomainEvent.WrapUpEnded(T, "e1", 3, "kela", true),
                new DomainEvent.RequestAbandoned(T, 8, "kela", "parainen", AbandonReason.POINT_DISCONNECTED),
                new DomainEvent.LanguageEscalated(T, 7, "kela", EnumSet.of(Language.SV, Language.FI)),
                new DomainEvent.RequestOverflowed(T, 7, "kela", "dvv"),
                new DomainEvent.PresenceChanged(T, "e1", Presence.OFFERED, Presence.AWAY, "missed 2 offers"),
                new DomainEvent.ServiceDefined(T, new BookableService("guardianship", "dvv", "Edunvalvonta, 60 min",
                        "guardianship", Duration.ofMinutes(60), Duration.ofMinutes(5), Duration.ofMinutes(10),
                        Duration.ofDays(90), Duration.ofHours(24), Duration.ofMinutes(15)), "config"),
                new DomainEvent.BookingConfirmed(T, 4, "dvv", "guardianship", "parainen", 2, "bo", null, Language.SV,
                        "huoltaja mukana", T.plusSeconds(86400), T.plusSeconds(90000)),
                new DomainEvent.BookingRescheduled(T, 4, T.plusSeconds(86400), T.plusSeconds(90000), T.plusSeconds(93600),
                        T.plusSeconds(97200), 1, "expert:e1", "sairastuminen"),
                new DomainEvent.BookingCancelled(T, 4, "operator:olli", "asiakas perui", -120),
                new DomainEvent.BookingStartRequested(T, 4, 7, 95),
                new DomainEvent.BookingStarted(T, 4, 3, "e1", 30),
                new DomainEvent.BookingCompleted(T, 4, 3, 1800, 1200),
                new DomainEvent.BookingNoShow(T, 4, NoShowSide.POINT),
                new DomainEvent.CallQualityReported(T, 3, "kela", "parainen", fi.palvelurinki.broker.Party.EXPERT,
                        new fi.palvelurinki.broker.CallQuality(412, 57, 1450, 240, 10_000)),
                new DomainEvent.CallOutcomeRecorded(T, 3, 2, "e1", "kela", "parainen", "pension", "needs-booking"),
                new DomainEvent.CallbackRequested(T, 7, "anna", "mikkeli", true),
                new DomainEvent.CallbackPointRung(T, 7, "e1", "kela", "mikkeli", 2, T.plusSeconds(45)),
                new DomainEvent.CallbackAnswered(T, 7, "e1", "maria", 2, 12_345),
                new DomainEvent.CallbackRingUnanswered(T, 7, "e1", "kela", 1, 45_000),
                new DomainEvent.CallbackRetryScheduled(T, 7, 2, T.plusSeconds(180)),
                new DomainEvent.CallbackFailed(T, 7, 3),
                new DomainEvent.SignedIn(T, "mikkeli", "eino", "expert", null, Set.of("kela", "dvv"),
                        "rule 2 (expert); not configured: te"),
                new DomainEvent.SignedIn(T, "mikkeli", null, null, null, Set.of(), "claim sub is missing"),
                new DomainEvent.SignedOut(T, "eino", "mikkeli", "0b6c1e8e-5f0c-4a57-9d55-2f3f1c1f6a10", T.plusSeconds(3600)),
                new DomainEvent.BookingFromHome(T, 4),
                new DomainEvent.CustomerJoined(T, 4, 95),
                new DomainEvent.DeviceCheckFailed(T, 4, "camera_denied"),
                new DomainEvent.RingConfigured(T, RingConfig.builder("tulkit", "tulkkaus").languages(Set.of(Language.FI))
                        .interpreting(Set.of("ar", "fse")).build(), "config"),
                new DomainEvent.ExpertDefined(T, new ExpertProfile("t1", "Tuulikki", Set.of("tulkit"), Set.of(Language.FI),
                        Set.of(), Set.of("fse")), "config"),
                new DomainEvent.InterpreterNeeded(T, 5, 7, 0, "ar", Language.FI, "parainen", "bo", 0),
                new DomainEvent.InterpreterNeeded(T, 6, 0, 3, "fse", Language.SV, "parainen", "expert:e1", 0),
                new DomainEvent.InterpreterOffered(T, 5, "t1", "tulkit", "ar", T.plusSeconds(30)),
                new DomainEvent.InterpreterAnswered(T, 5, "t1", "tulkit", DomainEvent.InterpreterOutcome.DECLINED,
                        T.plusSeconds(60)),
                new DomainEvent.InterpreterAnswered(T, 5, "t1", "tulkit", DomainEvent.InterpreterOutcome.ACCEPTED, null),
                new DomainEvent.OfferHeld(T, 7, "e1", "kela"),
                new DomainEvent.InterpreterNeedEnded(T, 6, "call_ended"),
                new DomainEvent.PartyJoined(T, 3, "t1", "interpreter", "tulkit", "ar", 5, 0),
                new DomainEvent.PartyJoined(T, 3, "e2", "expert", "dvv", null, 0, 9),
                new DomainEvent.PartyLeft(T, 3, "t1", "tulkit", "hung_up", T.plusSeconds(60)),
                new DomainEvent.JoinRequested(T, 9, 3, "expert:e1"),
                new DomainEvent.InterpreterBooked(T, 4, "fse"));
    }

    @Test
    void everyEventKindSurvivesTheRoundTrip() throws IOException {
        List<DomainEvent> events = everyKind();
        assertThat(events.stream().map(DomainEvent::type).distinct()).hasSize(DomainEvent.Type.values().length);
        try (FileJournal j = FileJournal.open(dir, CLOCK, FileJournal.Options.defaults(), null, e -> {})) {
            assertThat(j.append(events)).isEqualTo(events.size());
        }
        List<JournalEntry> read = readAll();
        assertThat(read).extracting(JournalEntry::event).containsExactlyElementsOf(events);
        assertThat(read).extracting(JournalEntry::seq).containsExactly(
                java.util.stream.LongStream.rangeClosed(1, events.size()).boxed().toArray(Long[]::new));
    }

    @Test
    void reopeningContinuesTheSequence() throws IOException {
        try (FileJournal j = FileJournal.open(dir, CLOCK, FileJournal.Options.defaults(), null, e -> {})) {
            j.append(everyKind().subList(0, 3));
        }
        try (FileJournal j = FileJournal.open(dir, CLOCK, FileJournal.Options.defaults(), null, e -> {})) {
            assertThat(j.appendedSeq()).isEqualTo(3);
            j.append(everyKind().subList(3, 5));
        }
        assertThat(readAll()).extracting(JournalEntry::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void segmentsRotateAndAreReadBackInOrder() throws IOException {
        int n = 0;
        try (FileJournal j = FileJournal.open(dir, CLOCK, new FileJournal.Options(true, 4096, 16), null, e -> {})) {
            for (int i = 0; i < 100; i++) {
                long seq = j.append(everyKind());
                n += everyKind().size();
                // One group per append: the writer groups whatever is queued into one write, and a segment
                // rotates only between groups, so appends queued faster than fsyncs would make fewer segments.
                while (j.durableSeq() < seq) {
                    Thread.onSpinWait();
                }
            }
        }
        assertThat(JournalFormat.segments(dir).size()).isGreaterThan(5);
        List<JournalEntry> all = readAll();
        assertThat(all).hasSize(n);
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i).seq()).isEqualTo(i + 1);
        }
    }

    @Test
    void groupCommitSyncsManyBatchesAtOnce() throws Exception {
        AtomicInteger syncs = new AtomicInteger();
        AtomicInteger synced = new AtomicInteger();
        BrokerMetrics m = new BrokerMetrics() {
            @Override
            public void journalSynced(int events, long bytes, long nanos) {
                syncs.incrementAndGet();
                synced.addAndGet(events);
            }
        };
        int batches = 2000;
        try (FileJournal j = FileJournal.open(dir, CLOCK, FileJournal.Options.defaults(), m, e -> {})) {
            DomainEvent e = everyKind().get(5);
            for (int i = 0; i < batches; i++) {
                j.append(List.of(e));
            }
            org.awaitility.Awaitility.await().until(() -> j.durableSeq() == batches);
        }
        assertThat(synced).hasValue(batches);
        assertThat(syncs.get()).as("fewer fsyncs than batches").isLessThan(batches);
    }

    private void writeAll(List<DomainEvent> events) throws IOException {
        try (FileJournal j = FileJournal.open(dir, CLOCK, FileJournal.Options.defaults(), null, e -> {})) {
            j.append(events);
        }
    }

    private List<JournalEntry> readAll() throws IOException {
        List<JournalEntry> out = new ArrayList<>();
        JournalReader.read(dir, out::add);
        return out;
    }

}
