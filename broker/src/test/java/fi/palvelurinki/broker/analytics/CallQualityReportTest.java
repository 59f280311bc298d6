package fi.palvelurinki.broker.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.broker.CallQuality;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.Party;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.ring.RingConfig;
import fi.palvelurinki.broker.testing.JournalScript;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's share of calls with poor quality per service point and hour, from quality reports
 * journaled through a real broker: a point whose connection is bad at every hour stands out from one
 * that had one bad call.
 */
class CallQualityReportTest {
    private static final CallQuality GOOD = new CallQuality(40, 2, 1500, 290, 10_000);
    private static final CallQuality LOSSY = new CallQuality(90, 80, 600, 150, 10_000);

    @TempDir
    Path dir;

    /** A call from the advisor at 10:00 + {@code at} s; reports given as (party, quality) in turn, 10 s apart. */
    private static void call(JournalScript j, double at, String advisor, CallQuality... reports) {
        j.at(at);
        long request = j.request(advisor, "kela");
        long callId = j.accept("e1", request);
        double t = at;
        for (int i = 0; i < reports.length; i++) {
            j.at(t += 10);
            j.submit(new Command.ReportCallQuality(callId, i % 2 == 0 ? Party.ADVISOR : Party.EXPERT, reports[i]));
        }
        j.at(t + 5).hangUp(advisor, callId).endWrapUp("e1");
    }

    @Test
    void thePoorShareIsPerPointAndHourOfTheDay() throws Exception {
        try (JournalScript j = new JournalScript(dir)) {
            j.authority("kela", "Kela").ring(RingConfig.builder("kela", "kela").name("Kela").build())
                    .point("mikkeli", "Mikkelin Asiointipiste", "Mikkeli").point("kiiminki", "Kiimingin Asiointipiste", "Kiiminki")
                    .advisor("anna", "mikkeli").advisor("kalle", "kiiminki").expert("e1", "Eeva", "kela")
                    .presence("e1", Presence.AVAILABLE);
            // Mikkeli: poor both at 10 and at 11 (three of four reports lossy; one of four is enough).
            // Kiiminki: one good call at 10, none poor; and a call without reports, which is not counted.
            call(j, 0, "anna", LOSSY, LOSSY, GOOD, LOSSY);
            call(j, 600, "kalle", GOOD, GOOD);
            call(j, 1200, "kalle");
            call(j, 3600, "anna", GOOD, GOOD, GOOD, LOSSY);
        }
        JournalAnalysis a = JournalAnalyzer.analyze(dir.resolve("journal"), AnalysisOptions.defaults(),
                fi.palvelurinki.broker.journal.JournalReader.Progress.NONE);
        assertThat(a.quality()).extracting(QualityRow::pointId, QualityRow::hour, QualityRow::calls, QualityRow::poorCalls)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("kiiminki", "10–11", 1L, 0L),
                        org.assertj.core.groups.Tuple.tuple("kiiminki", "all", 1L, 0L),
                        org.assertj.core.groups.Tuple.tuple("mikkeli", "10–11", 1L, 1L),
                        org.assertj.core.groups.Tuple.tuple("mikkeli", "11–12", 1L, 1L),
                        org.assertj.core.groups.Tuple.tuple("mikkeli", "all", 2L, 2L));
        QualityRow mikkeli = a.quality().get(4);
        assertThat(mikkeli.poorShare()).isEqualTo(1.0);
        assertThat(mikkeli.pointName()).isEqualTo("Mikkelin Asiointipiste");
        assertThat(mikkeli.meanRttMs()).as("(4 × 90 + 4 × 40) / 8").isEqualTo(65.0);
        assertThat(mikkeli.meanLossPct()).as("(4 × 8 % + 4 × 0.2 %) / 8").isEqualTo(4.1);

        Table table = ReportTables.of(a).stream().filter(t -> t.name().equals("call_quality")).findFirst().orElseThrow();
        assertThat(table.rows()).hasSize(5);
        assertThat(table.rows().get(0)).isEqualTo(List.of("kiiminki", "Kiimingin Asiointipiste", "10–11", 1L, 0L, 0.0, 40.0, 0.2));
    }
}
