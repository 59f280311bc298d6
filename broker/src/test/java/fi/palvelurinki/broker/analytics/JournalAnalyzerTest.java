package fi.palvelurinki.broker.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.ring.RingConfig;
import fi.palvelurinki.broker.testing.JournalScript;
import fi.palvelurinki.broker.testing.ReferenceJournal;
import java.io.IOException;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every expected figure is worked out by hand from the timeline in {@link ReferenceJournal}. */
class JournalAnalyzerTest {
    static final Instant TEN = Instant.parse("2026-11-24T08:00:00Z");

    @TempDir
    static Path dir;
    static JournalAnalysis whole;

    @BeforeAll
    static void writeJournal() throws IOException {
        ReferenceJournal.write(dir);
        whole = analyze(AnalysisOptions.defaults());
    }

    static JournalAnalysis analyze(AnalysisOptions o) throws IOException {
        return JournalAnalyzer.analyze(dir.resolve("journal"), o, fi.palvelurinki.broker.journal.JournalReader.Progress.NONE);
    }

    static FigureRow row(JournalAnalysis a, Dimension d, String key) {
        return a.rows(d).stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();
    }

    static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    @Test
    void thePeriodIsWhatTheJournalCovers() {
        assertThat(whole.from()).isEqualTo(TEN);
        assertThat(whole.to()).isEqualTo(TEN.plusSeconds(4200));
        assertThat(whole.total().time().covered()).isEqualTo(s(4200));
    }

    @Test
    void requestsAreCountedByOutcome() {
        QueueFigures q = whole.total().queue();
        assertThat(q.offered()).isEqualTo(5);
        assertThat(q.answered()).isEqualTo(2);
        assertThat(q.abandoned()).as("r2 after 120 s").isEqualTo(1);
        assertThat(q.shortAbandoned()).as("r3 after 3 s, within the 10 s grace").isEqualTo(1);
        assertThat(q.stillWaiting()).as("r5").isEqualTo(1);
        assertThat(q.overflowed()).isZero();
        assertThat(q.abandonmentRate()).as("1 of the 4 that count").isEqualTo(0.25);
        assertThat(q.meanTimeToAbandon()).isEqualTo(s(120));
    }

    @Test
    void waitsAreThoseOfAnsweredRequests() {
        QueueFigures q = whole.total().queue();
        assertThat(q.asa()).as("(10 + 30) / 2").isEqualTo(s(20));
        assertThat(q.waitP50()).isEqualTo(s(10));
        assertThat(q.waitP90()).isEqualTo(s(30));
        assertThat(q.waitP99()).isEqualTo(s(30));
        assertThat(q.waitMax()).isEqualTo(s(30));
        assertThat(q.serviceLevels()).as("SL(20 s) = 1/3 (r1 of r1, r4, r2); SL(60 s) = 2/3")
                .containsExactly(1 / 3.0, 2 / 3.0);
    }

    @Test
    void requestsBelongToTheirRingAndPoint() {
        assertThat(row(whole, Dimension.RING, "kela").queue().offered()).isEqualTo(4);
        assertThat(row(whole, Dimension.RING, "kela").label()).isEqualTo("Kela pensions");
        assertThat(row(whole, Dimension.RING, "vero").queue().stillWaiting()).isEqualTo(1);
        assertThat(row(whole, Dimension.AUTHORITY, "vero").label()).isEqualTo("Verohallinto");
        QueueFigures mikkeli = row(whole, Dimension.POINT, "mikkeli").queue();
        assertThat(List.of(mikkeli.offered(), mikkeli.answered(), mikkeli.shortAbandoned())).containsExactly(3L, 2L, 1L);
        QueueFigures parainen = row(whole, Dimension.POINT, "parainen").queue();
        assertThat(List.of(parainen.offered(), parainen.abandoned(), parainen.stillWaiting())).containsExactly(2L, 1L, 1L);
        assertThat(row(whole, Dimension.HOUR_OF_DAY, "10").queue().offered()).isEqualTo(4);
        assertThat(row(whole, Dimension.HOUR_OF_DAY, "11").queue().offered()).isEqualTo(1);
        assertThat(row(whole, Dimension.DAY, "2026-11-24").label()).isEqualTo("Tue 2026-11-24");
        assertThat(row(whole, Dimension.MONTH, "2026-11").queue().offered()).isEqualTo(5);
    }

    @Test
    void handleTimeIsTalkPlusWrapUpPerCall() {
        HandleFigures h = whole.total().handle();
        assertThat(h.calls()).isEqualTo(2);
        assertThat(h.talk()).isEqualTo(s(600));
        assertThat(h.wrapUp()).as("30 s timer + 10 s ended early").isEqualTo(s(40));
        assertThat(h.aht()).isEqualTo(s(320));
        assertThat(row(whole, Dimension.EXPERT, "e2").handle().aht()).isEqualTo(s(310));
        assertThat(row(whole, Dimension.POINT, "mikkeli").handle().calls()).isEqualTo(2);
    }

    @Test
    void expertTimeFollowsPresence() {
        TimeFigures e1 = row(whole, Dimension.EXPERT, "e1").time();
        assertThat(e1.idle()).as("0-60 and 400-4200").isEqualTo(s(3860));
        assertThat(e1.ringing()).isEqualTo(s(10));
        assertThat(e1.talk()).isEqualTo(s(300));
        assertThat(e1.wrapUp()).isEqualTo(s(30));
        assertThat(e1.signedIn()).isEqualTo(s(4200));
        assertThat(e1.occupancy()).isCloseTo(330 / 4190.0, within(1e-12));
        assertThat(e1.utilization()).isCloseTo(330 / 4200.0, within(1e-12));

        TimeFigures e2 = row(whole, Dimension.EXPERT, "e2").time();
        assertThat(e2.idle()).as("100 + 60 + 175 + 117 + 2160").isEqualTo(s(2612));
        assertThat(e2.ringing()).as("5 + 40 + 3 + 30").isEqualTo(s(78));
        assertThat(e2.handle()).isEqualTo(s(310));
        assertThat(e2.away()).isEqualTo(s(1200));
        assertThat(e2.signedIn()).isEqualTo(s(3000));
        assertThat(e2.occupancy()).isCloseTo(310 / 2922.0, within(1e-12));
        assertThat(List.of(e2.offers(), e2.accepted(), e2.declined(), e2.missed(), e2.withdrawn()))
                .containsExactly(4L, 1L, 1L, 1L, 1L);

        TimeFigures kela = row(whole, Dimension.RING, "kela").time();
        assertThat(kela.signedIn()).isEqualTo(s(7200));
        assertThat(kela.meanSignedIn()).isCloseTo(7200 / 4200.0, within(1e-12));
        assertThat(row(whole, Dimension.RING, "vero").time().signedIn()).as("e3 never signed in").isZero();
    }

    @Test
    void expertTimeIsCutAtEveryHour() {
        TimeFigures ten = row(whole, Dimension.HOUR_OF_DAY, "10").time();
        assertThat(ten.covered()).isEqualTo(s(3600));
        assertThat(ten.signedIn()).as("e1 all hour, e2 until 10:50").isEqualTo(s(6600));
        assertThat(ten.away()).isEqualTo(s(600));
        TimeFigures eleven = row(whole, Dimension.HOUR_OF_DAY, "11").time();
        assertThat(eleven.covered()).as("until the last event, 11:10").isEqualTo(s(600));
        assertThat(eleven.idle()).isEqualTo(s(600));
        assertThat(eleven.away()).isEqualTo(s(600));
        assertThat(eleven.meanSignedIn()).isEqualTo(1.0);
    }

    @Test
    void contactsPerAuthorityPointAndMonth() {
        assertThat(whole.contacts()).containsExactly(
                new ContactRow("kela", "Kela", "mikkeli", "Mikkeli Asiointipiste", "Mikkeli", "2026-11", 3, 2),
                new ContactRow("kela", "Kela", "parainen", "Parainen", "Parainen", "2026-11", 1, 0),
                new ContactRow("vero", "Verohallinto", "parainen", "Parainen", "Parainen", "2026-11", 1, 0));
    }

    @Test
    void waitDistributionHasAnsweredAndAbandoned() {
        assertThat(whole.waits()).hasSize(JournalAnalyzer.WAIT_BOUNDS.size() + 1);
        assertThat(whole.waits().get(1)).isEqualTo(new WaitBucket(s(10), s(20), 1, 0));
        assertThat(whole.waits().get(3)).isEqualTo(new WaitBucket(s(30), s(60), 1, 0));
        assertThat(whole.waits().get(5)).isEqualTo(new WaitBucket(s(120), s(300), 0, 1));
        assertThat(whole.waits().stream().mapToLong(b -> b.answered() + b.abandoned()).sum()).isEqualTo(3);
    }

    @Test
    void staffingRecommendationsPerRingAndHourOfTheWeek() {
        assertThat(whole.staffing()).hasSize(2);
        Recommendation kela = whole.staffing().get(0);
        assertThat(kela.ringId()).isEqualTo("kela");
        assertThat(kela.day()).isEqualTo(DayOfWeek.TUESDAY);
        assertThat(kela.hour()).isEqualTo(10);
        assertThat(kela.arrivalsPerHour()).isEqualTo(4.0);
        assertThat(kela.ahtBasis()).as("2 calls are too few for the hour's own mean").isEqualTo("ring");
        assertThat(kela.ahtSeconds()).isEqualTo(320.0);
        // 0.356 erlangs: 1 expert gives SL(60 s) 0.685, 2 give 0.961.
        assertThat(kela.recommended()).isEqualTo(2);
        assertThat(kela.expectedServiceLevel()).isCloseTo(0.9606, within(1e-4));
        assertThat(kela.meanSignedIn()).isCloseTo(6600 / 3600.0, within(1e-12));
        assertThat(kela.occupancy()).as("640 s handle, 3260 + 2612 s idle").isCloseTo(640 / 6512.0, within(1e-12));
        assertThat(kela.measuredServiceLevel()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(kela.sentence())
                .isEqualTo("Kela pensions, Tuesdays 10–11: 2 experts for 80 % in 60 s; you had 1.8, occupancy 10 %");

        Recommendation vero = whole.staffing().get(1);
        assertThat(vero.hour()).isEqualTo(11);
        assertThat(vero.hoursObserved()).as("11:00-11:10").isCloseTo(1 / 6.0, within(1e-12));
        assertThat(vero.ahtBasis()).as("no calls: the configured 8 minutes").isEqualTo("configured");
        assertThat(vero.recommended()).as("0.8 erlangs: SL(60 s) 0.220 with 1, 0.803 with 2").isEqualTo(2);
        assertThat(vero.sentence()).endsWith("you had 0.0, no handle or idle time");
    }

    @Test
    void aPeriodCutsTimeButFollowsItsRequestsToTheirEnd() throws IOException {
        // 10:00:00-10:01:05: r1 was queued at 60 s and answered at 70 s, after the period ended.
        JournalAnalysis a = analyze(AnalysisOptions.defaults().withPeriod(TEN, TEN.plusSeconds(65)));
        assertThat(a.total().queue().answered()).isEqualTo(1);
        assertThat(a.total().queue().asa()).isEqualTo(s(10));
        assertThat(a.total().handle().calls()).as("c1 started after the period").isZero();
        TimeFigures e1 = row(a, Dimension.EXPERT, "e1").time();
        assertThat(e1.idle()).isEqualTo(s(60));
        assertThat(e1.ringing()).as("60-65 of the 10 s ringing").isEqualTo(s(5));

        JournalAnalysis later = analyze(AnalysisOptions.defaults().withPeriod(TEN.plusSeconds(1800), TEN.plusSeconds(3600)));
        assertThat(later.total().queue().offered()).isZero();
        assertThat(later.total().queue().asa()).isNull();
        assertThat(later.total().queue().serviceLevels().get(0)).isNaN();
        assertThat(later.total().time().idle()).as("e1 1800 s, e2 1200 s").isEqualTo(s(3000));
        assertThat(later.total().time().away()).isEqualTo(s(600));

        assertThat(analyze(AnalysisOptions.defaults().withPeriod(TEN.plusSeconds(9000), null)).empty()).isTrue();
    }

    @Test
    void theShortAbandonGraceIsAnOption() throws IOException {
        JournalAnalysis strict = analyze(new AnalysisOptions(null, null, Duration.ZERO, List.of(s(60)), 0.8));
        assertThat(strict.total().queue().abandoned()).isEqualTo(2);
        assertThat(strict.total().queue().shortAbandoned()).isZero();
        assertThat(strict.total().queue().serviceLevels()).containsExactly(0.5);
    }

    @Test
    void overflowedRequestsStayWithTheirRingAndCallsGoToTheAnsweringRing(@TempDir Path other) throws IOException {
        try (JournalScript s = new JournalScript(other)) {
            s.authority("dvv", "DVV")
                    .ring(RingConfig.builder("main", "dvv").wrapUp(Duration.ZERO).build())
                    .ring(RingConfig.builder("sv", "dvv").overflow("main", Duration.ofSeconds(30)).build())
                    .point("p", "P", "Parainen").advisor("a", "p")
                    .expert("m", "Maija", "main").expert("both", "Bertil", "main", "sv");
            s.presence("m", Presence.AVAILABLE);
            long r = s.request("a", "sv");
            s.at(40);
            long c = s.accept("m", r);
            s.at(100).hangUp("a", c).presence("both", Presence.AVAILABLE);
            s.at(200).presence("m", Presence.OFFLINE).presence("both", Presence.OFFLINE);
        }
        JournalAnalysis a = JournalAnalyzer.analyze(other.resolve("journal"), AnalysisOptions.defaults(),
                fi.palvelurinki.broker.journal.JournalReader.Progress.NONE);
        FigureRow sv = row(a, Dimension.RING, "sv");
        assertThat(sv.queue().overflowed()).isEqualTo(1);
        assertThat(sv.queue().answered()).isEqualTo(1);
        assertThat(sv.queue().asa()).isEqualTo(s(40));
        assertThat(sv.handle().calls()).isZero();
        FigureRow main = row(a, Dimension.RING, "main");
        assertThat(main.queue().offered()).isZero();
        assertThat(main.handle().calls()).isEqualTo(1);
        assertThat(main.handle().aht()).as("60 s talk, no wrap-up").isEqualTo(s(60));
        assertThat(row(a, Dimension.AUTHORITY, "dvv").queue().offered()).isEqualTo(1);
        assertThat(main.time().signedIn()).as("m 200 s, both 100 s").isEqualTo(s(300));
        assertThat(sv.time().signedIn()).as("an expert of two rings is staff of both").isEqualTo(s(100));
        assertThat(row(a, Dimension.AUTHORITY, "dvv").time().signedIn()).as("but counted once per authority")
                .isEqualTo(s(300));
    }

    @Test
    void aCallInProgressAtARestartGoesOnAndIsCountedOnceWithItsWholeLength(@TempDir Path other) throws IOException {
        try (JournalScript s = new JournalScript(other)) {
            s.authority("kela", "Kela").ring(RingConfig.builder("kela", "kela").wrapUp(java.time.Duration.ZERO).build())
                    .point("p", "P", "Mikkeli").advisor("a", "p").expert("e", "Eeva", "kela");
            s.presence("e", Presence.AVAILABLE);
            long r = s.request("a", "kela");
            long call = s.at(5).accept("e", r);
            s.at(65).restart();
            s.at(125).hangUp("a", call);
            s.at(160);
            s.presence("e", Presence.OFFLINE);
        }
        JournalAnalysis a = JournalAnalyzer.analyze(other.resolve("journal"), AnalysisOptions.defaults(),
                fi.palvelurinki.broker.journal.JournalReader.Progress.NONE);
        assertThat(a.total().handle().calls()).isEqualTo(1);
        assertThat(a.total().handle().talk()).as("5-125, through the restart at 65").isEqualTo(s(120));
        TimeFigures e = row(a, Dimension.EXPERT, "e").time();
        assertThat(e.talk()).isEqualTo(s(120));
        assertThat(e.signedIn()).as("in the call through the restart, then available until 160").isEqualTo(s(160));
    }
}
