package fi.palvelurinki.broker.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.journal.JournalReader;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.RingConfig;
import fi.palvelurinki.broker.testing.JournalScript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * First-contact resolution from the experts' recorded outcomes, per ring, topic and point, and the
 * operators' changes of settings, through a real broker's journal.
 */
class OutcomeReportTest {
    @TempDir
    Path dir;

    private static void call(JournalScript j, double at, String advisor, String outcome) {
        j.at(at);
        long request = j.request(advisor, "kela");
        long callId = j.accept("e1", request);
        j.at(at + 300).hangUp(advisor, callId);
        if (outcome != null) {
            j.submit(new Command.RecordCallOutcome("e1", callId, outcome));
        }
        j.endWrapUp("e1");
    }

    @Test
    void firstContactResolutionIsTheResolvedShareOfCallsWithAnOutcome() throws Exception {
        RingConfig kela = RingConfig.builder("kela", "kela").name("Kela").build();
        try (JournalScript j = new JournalScript(dir)) {
            j.authority("kela", "Kela").ring(kela).ring(RingConfig.builder("reserve", "kela").name("Kela, reserve").build())
                    .point("mikkeli", "Mikkelin Asiointipiste", "Mikkeli").point("kiiminki", "Kiimingin Asiointipiste", "Kiiminki")
                    .advisor("anna", "mikkeli").advisor("kalle", "kiiminki").expert("e1", "Eeva", "kela")
                    .presence("e1", Presence.AVAILABLE);
            call(j, 0, "anna", "resolved");
            call(j, 600, "anna", "needs-booking");
            call(j, 1200, "kalle", "resolved");
            call(j, 1800, "kalle", null); // no outcome: left out, not counted unresolved
            j.at(2400);
            j.submit(new Command.ConfigureRing(kela.toBuilder().offerTimeout(Duration.ofSeconds(45)).build(), "operator:olli"));
            j.submit(new Command.DefineExpert(new ExpertProfile("e1", "Eeva", Set.of("kela", "reserve"), Set.of(Language.FI),
                    Set.of()), "operator:olli"));
        }
        JournalAnalysis a = JournalAnalyzer.analyze(dir.resolve("journal"), AnalysisOptions.defaults(), JournalReader.Progress.NONE);
        assertThat(a.outcomes()).extracting(OutcomeRow::by, OutcomeRow::key, OutcomeRow::calls, OutcomeRow::resolved)
                .containsExactly(
                        Tuple.tuple("total", "all", 3L, 2L),
                        Tuple.tuple("ring", "kela", 3L, 2L),
                        Tuple.tuple("topic", "general", 3L, 2L),
                        Tuple.tuple("point", "kiiminki", 1L, 1L),
                        Tuple.tuple("point", "mikkeli", 2L, 1L));
        assertThat(a.outcomes().get(4).firstContactResolution()).isEqualTo(0.5);
        assertThat(a.outcomes().get(4).label()).isEqualTo("Mikkelin Asiointipiste");
        assertThat(a.outcomes().get(0).outcomes()).containsEntry("needs-booking", 1L).containsEntry("resolved", 2L);

        // Only the configuration file's seeding (actor "config") is left out; this script seeds as "test".
        assertThat(a.changes()).filteredOn(c -> c.actor().startsWith("operator:")).extracting(ChangeRow::actor, ChangeRow::subject, ChangeRow::id, ChangeRow::what)
                .containsExactly(
                        Tuple.tuple("operator:olli", "ring", "kela", "offer timeout 30 s → 45 s"),
                        Tuple.tuple("operator:olli", "expert", "e1", "rings [kela] → [kela, reserve]"));
        assertThat(ReportTables.of(a)).filteredOn(t -> t.name().equals("first_contact_resolution")).singleElement()
                .satisfies(t -> assertThat(t.rows()).hasSize(5));
    }
}
