package fi.palvelurinki.broker.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.JournalReader;
import fi.palvelurinki.broker.testing.InterpreterJournal;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every expected figure is worked out by hand from the timeline in {@link InterpreterJournal}. */
class InterpreterReportTest {
    @TempDir
    static Path dir;
    static JournalAnalysis whole;

    @BeforeAll
    static void writeJournal() throws IOException {
        InterpreterJournal.write(dir);
        whole = JournalAnalyzer.analyze(dir.resolve("journal"), AnalysisOptions.defaults(), JournalReader.Progress.NONE);
    }

    static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    static InterpreterWaitRow waits(JournalAnalysis a, String key) {
        return a.interpreters().waits().stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();
    }

    static InterpreterUseRow use(JournalAnalysis a, String key) {
        return a.interpreters().use().stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();
    }

    static PartyCallRow calls(JournalAnalysis a, String by, String key) {
        return a.interpreters().calls().stream().filter(r -> r.by().equals(by) && r.key().equals(key)).findFirst()
                .orElseThrow();
    }

    @Test
    void interpreterWaitsArePerLanguagePairFromTheNeedToTheInterpreterJoining() {
        assertThat(whole.interpreters().waits()).extracting(InterpreterWaitRow::key).containsExactly("fi-ar", "fi-so", "all");
        InterpreterWaitRow ar = waits(whole, "fi-ar");
        assertThat(List.of(ar.serviceLanguage(), ar.language())).containsExactly("fi", "ar");
        assertThat(List.of(ar.needs(), ar.joint(), ar.duringCall(), ar.met(), ar.unmet(), ar.open()))
                .as("n1, n3 met; n4 open").containsExactly(3L, 2L, 1L, 2L, 0L, 1L);
        assertThat(ar.waitP50()).as("of 10 s (n3) and 17 s (n1), nearest rank").isEqualTo(s(10));
        assertThat(ar.waitP90()).isEqualTo(s(17));
        assertThat(ar.meanUnmetWait()).isNull();
        assertThat(ar.unmetShare()).isZero();

        InterpreterWaitRow so = waits(whole, "fi-so");
        assertThat(List.of(so.needs(), so.joint(), so.met(), so.unmet(), so.open())).containsExactly(1L, 1L, 0L, 1L, 0L);
        assertThat(so.meanUnmetWait()).as("n2: 400 → request abandoned at 460, counted once").isEqualTo(s(60));
        assertThat(so.waitP50()).isNull();

        InterpreterWaitRow all = waits(whole, "all");
        assertThat(List.of(all.needs(), all.met(), all.unmet(), all.open())).containsExactly(4L, 2L, 1L, 1L);
        assertThat(all.unmetShare()).isEqualTo(1 / 3.0);
        assertThat(List.of(all.waitP50(), all.waitP90())).containsExactly(s(10), s(17));
    }

    @Test
    void jointDecisionWaitsAreTheTimeAcceptedPartiesWereHeld() {
        List<HoldRow> holds = whole.interpreters().holds();
        assertThat(holds).extracting(HoldRow::held).containsExactly("expert", "interpreter", "all");
        HoldRow expert = holds.get(0);
        assertThat(List.of(expert.holds(), expert.toCall(), expert.released(), expert.stillHeld()))
                .as("e1 held 15 → 27 until c1 started; e2 still held from 905").containsExactly(1L, 1L, 0L, 1L);
        assertThat(List.of(expert.total(), expert.median(), expert.p90())).containsExactly(s(12), s(12), s(12));
        HoldRow interpreter = holds.get(1);
        assertThat(List.of(interpreter.holds(), interpreter.toCall(), interpreter.released(), interpreter.stillHeld()))
                .as("t2 held 405 → 430 and released; t2 accepting n1 at 27 joined at once: no hold")
                .containsExactly(1L, 0L, 1L, 0L);
        assertThat(interpreter.total()).isEqualTo(s(25));
        HoldRow all = holds.get(2);
        assertThat(List.of(all.holds(), all.toCall(), all.released(), all.stillHeld())).containsExactly(2L, 1L, 1L, 1L);
        assertThat(List.of(all.total(), all.median(), all.p90())).containsExactly(s(37), s(12), s(25));
    }

    @Test
    void interpretersAreBusyInOffersAndCallsOverTheirSignedInTime() {
        assertThat(whole.interpreters().use()).extracting(InterpreterUseRow::key).containsExactly("fi-ar", "fi-so", "all");
        // t1 (ar): offered 10-18, 520-530, 900-1000 = 118 s; in call 530-700 + wrap-up 700-730 = 200 s.
        // t2 (ar, so): offered 19-27, 400-430 = 38 s; in call 27-327 + wrap-up 327-357 = 330 s.
        InterpreterUseRow ar = use(whole, "fi-ar");
        assertThat(ar.rings()).isEqualTo("tulkit");
        assertThat(List.of(ar.interpreters(), ar.needs())).containsExactly(2L, 3L);
        assertThat(List.of(ar.signedIn(), ar.offered(), ar.inCall(), ar.busy()))
                .containsExactly(s(2000), s(156), s(530), s(686));
        assertThat(ar.utilization()).isCloseTo(686 / 2000.0, within(1e-12));
        assertThat(ar.meanSignedIn()).isEqualTo(2.0);
        InterpreterUseRow so = use(whole, "fi-so");
        assertThat(List.of(so.interpreters(), so.needs())).as("t2 only").containsExactly(1L, 1L);
        assertThat(List.of(so.signedIn(), so.offered(), so.inCall())).containsExactly(s(1000), s(38), s(330));
        assertThat(so.utilization()).isCloseTo(0.368, within(1e-12));
        InterpreterUseRow all = use(whole, "all");
        assertThat(List.of(all.interpreters(), all.needs())).as("each interpreter once").containsExactly(2L, 4L);
        assertThat(all.busy()).isEqualTo(s(686));
    }

    @Test
    void callsWithInterpretersAndOfThreeOrFourPartiesPerAuthorityAndPoint() {
        PartyCallRow total = calls(whole, "total", "all");
        assertThat(List.of(total.calls(), total.withInterpreter(), total.withSecondAuthority(), total.threeParties(),
                total.fourParties())).as("c1: 3 parties; c2: 4 (interpreter and Vero); c3: 2")
                .containsExactly(3L, 2L, 1L, 1L, 1L);
        assertThat(total.interpreterShare()).isEqualTo(2 / 3.0);
        PartyCallRow kela = calls(whole, "authority", "kela");
        assertThat(kela.label()).isEqualTo("Kela");
        assertThat(List.of(kela.calls(), kela.withInterpreter(), kela.threeParties(), kela.fourParties()))
                .containsExactly(2L, 2L, 1L, 1L);
        PartyCallRow vero = calls(whole, "authority", "vero");
        assertThat(List.of(vero.calls(), vero.withInterpreter(), vero.withSecondAuthority())).as("c3; Vero's join is "
                + "in Kela's call").containsExactly(1L, 0L, 0L);
        assertThat(calls(whole, "point", "mikkeli").withInterpreter()).isEqualTo(2);
        assertThat(calls(whole, "point", "parainen").label()).isEqualTo("Parainen");
        assertThat(calls(whole, "point", "parainen").withInterpreter()).isZero();
    }

    @Test
    void aJoinedPartysWrapUpDoesNotEndTheCallsHandleTime() {
        // t1's wrap-up of c2 ends at 730, before c2 does (800); t2's of c1 at 357 before e1's.
        HandleFigures kela = whole.rows(Dimension.RING).stream().filter(r -> r.key().equals("kela")).findFirst()
                .orElseThrow().handle();
        assertThat(kela.calls()).as("c1 and c2").isEqualTo(2);
        assertThat(kela.talk()).as("300 + 295").isEqualTo(s(595));
        assertThat(kela.wrapUp()).as("e1's 30 + e2's 30").isEqualTo(s(60));
    }

    @Test
    void anInterpreterRingIsRecommendedStaffingForItsNeeds() {
        Recommendation r = whole.staffing().stream().filter(x -> x.ringId().equals("tulkit")).findFirst().orElseThrow();
        assertThat(List.of(r.day(), r.hour())).containsExactly(java.time.DayOfWeek.TUESDAY, 10);
        assertThat(r.arrivals()).as("n1-n4").isEqualTo(4);
        assertThat(r.ahtSeconds()).as("(330 + 200) / 2: fewer than 10 calls in the hour, the ring's mean").isEqualTo(265);
        assertThat(r.ahtBasis()).isEqualTo("ring");
        assertThat(r.hoursObserved()).isCloseTo(1000 / 3600.0, within(1e-12));
        // 4 per 1000 s × 265 s = 1.06 erlangs, 60 s threshold: 2 → SL 0.7032, 3 → 0.9324.
        assertThat(r.recommended()).isEqualTo(3);
        assertThat(r.expectedServiceLevel()).isCloseTo(0.932448, within(1e-6));
        assertThat(r.meanSignedIn()).isEqualTo(2.0);
        assertThat(r.occupancy()).as("in call 530 / (530 + available 682 + 632)").isCloseTo(530 / 1844.0, within(1e-12));
        assertThat(r.measuredServiceLevel()).as("n1, n3 within 60 s; n2 gave up after 60 s").isEqualTo(2 / 3.0);
        assertThat(whole.staffing()).filteredOn(x -> x.ringId().equals("kela")).singleElement()
                .satisfies(k -> assertThat(k.arrivals()).as("r1, r2, r3, r6").isEqualTo(4));
    }

    @Test
    void thePeriodCutsNeedsHoldsCallsAndTime() {
        // 10:06:40-10:16:40 (400 s - 1000 s): n2, n3, n4; the hold of t2 and of e2; c2, c3; time from 400 s.
        AnalysisOptions later = AnalysisOptions.defaults().withPeriod(InterpreterJournal.T0.plusSeconds(400), null);
        JournalAnalysis a = fold(later);
        assertThat(List.of(waits(a, "all").needs(), waits(a, "fi-ar").met(), waits(a, "fi-so").unmet()))
                .containsExactly(3L, 1L, 1L);
        assertThat(a.interpreters().holds().get(0).holds()).as("e1's hold began before the period").isZero();
        assertThat(a.interpreters().holds().get(0).stillHeld()).isEqualTo(1);
        assertThat(calls(a, "total", "all").calls()).isEqualTo(2);
        // t1 from 400: offered 520-530, 900-1000; in call 530-730. t2 from 400: offered 400-430.
        assertThat(List.of(use(a, "fi-ar").signedIn(), use(a, "fi-ar").offered(), use(a, "fi-ar").inCall()))
                .containsExactly(s(1200), s(140), s(200));
    }

    @Test
    void theReportHasTheTablesEmptyWithoutInterpreters() {
        List<Table> tables = ReportTables.of(whole);
        Table w = tables.stream().filter(t -> t.name().equals("interpreter_waits")).findFirst().orElseThrow();
        assertThat(w.rows()).hasSize(3);
        assertThat(Table.csv(Table.Kind.SECONDS, w.rows().get(0).get(10))).isEqualTo("10");
        assertThat(tables).extracting(Table::name).contains("joint_decision_waits", "interpreter_utilization",
                "calls_with_interpreters");
        assertThat(HtmlReport.render(whole, tables)).contains("Interpreter waits per language pair")
                .contains("<dt>joint-decision wait</dt>");

        JournalAnalyzer none = new JournalAnalyzer(AnalysisOptions.defaults());
        for (DomainEvent e : InterpreterJournal.events().subList(0, 20)) {
            none.accept(e);
        }
        JournalAnalysis empty = none.finish();
        assertThat(empty.interpreters().waits()).isEmpty();
        assertThat(empty.interpreters().holds()).isEmpty();
        assertThat(ReportTables.of(empty)).filteredOn(t -> t.name().equals("interpreter_waits")).singleElement()
                .satisfies(t -> assertThat(t.rows()).isEmpty());
    }

    @Test
    void aPairNobodyInterpretsShowsItsNeedsAndNoTime() {
        JournalAnalyzer a = new JournalAnalyzer(AnalysisOptions.defaults());
        InterpreterJournal.events().forEach(a);
        a.accept(new DomainEvent.InterpreterNeeded(InterpreterJournal.T0.plusSeconds(1000), 5, 0, 2, "ru",
                fi.palvelurinki.broker.ring.Language.FI, "mikkeli", "e2", 0));
        JournalAnalysis r = a.finish();
        assertThat(waits(r, "fi-ru").open()).isEqualTo(1);
        InterpreterUseRow ru = use(r, "fi-ru");
        assertThat(List.of(ru.interpreters(), ru.needs())).containsExactly(0L, 1L);
        assertThat(ru.rings()).isEmpty();
        assertThat(ru.signedIn()).isZero();
        assertThat(ru.utilization()).isNaN();
    }

    static JournalAnalysis fold(AnalysisOptions o) {
        JournalAnalyzer a = new JournalAnalyzer(o);
        InterpreterJournal.events().forEach(a);
        return a.finish();
    }
}
