package fi.palvelurinki.broker.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.ring.RingConfig;
import fi.palvelurinki.broker.testing.JournalScript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's call-backs, from a journal written by a real broker with the default call-back settings
 * (ring 45 s, retry after 3 min, 3 attempts): answered at the first and the second ring, one failed,
 * one cancelled, and a live request beside them.
 */
class CallbackReportTest {
    @TempDir
    Path dir;

    @Test
    void callBacksAreCountedByAttemptWithTheExpertTimeLostRinging() throws Exception {
        try (JournalScript j = new JournalScript(dir)) {
            j.authority("kela", "Kela").ring(RingConfig.builder("kela", "kela").name("Kela").build())
                    .point("mikkeli", "Mikkelin Asiointipiste", "Mikkeli").advisor("anna", "mikkeli")
                    .expert("e1", "Eeva", "kela");
            long first = j.request("anna", "kela");
            long second = j.request("anna", "kela");
            long live = j.request("anna", "kela");
            long failing = j.request("anna", "kela");
            long cancelled = j.request("anna", "kela");
            for (long id : new long[] {first, second, failing, cancelled}) {
                j.submit(new Command.RequestCallback("anna", id));
            }
            j.at(60).cancel("anna", cancelled);
            j.at(120).presence("e1", Presence.AVAILABLE);
            // first: the point answers the first ring; 130 s from queued to connected.
            j.submit(new Command.AcceptOffer("e1", first));
            long call = ((Reply.CallConnected) j.at(130).submit(new Command.AnswerCallback("anna", first))).callId();
            j.at(200).hangUp("anna", call).endWrapUp("e1");
            // second: nobody answers (45 s lost); e1 is released at once and takes the live request.
            j.submit(new Command.AcceptOffer("e1", second));
            j.at(245);
            assertThat(j.offerOf("e1")).isEqualTo(live);
            long liveCall = j.accept("e1", live);
            j.at(300).hangUp("anna", liveCall).endWrapUp("e1");
            // failing rings unanswered three times, 3 min apart; second is answered at its retry in between.
            assertThat(j.offerOf("e1")).isEqualTo(failing);
            j.submit(new Command.AcceptOffer("e1", failing));
            j.at(425);
            assertThat(j.offerOf("e1")).isEqualTo(second);
            j.submit(new Command.AcceptOffer("e1", second));
            long c2 = ((Reply.CallConnected) j.at(430).submit(new Command.AnswerCallback("anna", second))).callId();
            j.at(500).hangUp("anna", c2).endWrapUp("e1");
            for (double at : new double[] {525, 750}) {
                j.at(at);
                assertThat(j.offerOf("e1")).isEqualTo(failing);
                j.submit(new Command.AcceptOffer("e1", failing));
            }
            j.at(800);
        }
        JournalAnalysis a = JournalAnalyzer.analyze(dir.resolve("journal"), AnalysisOptions.defaults(),
                fi.palvelurinki.broker.journal.JournalReader.Progress.NONE);
        assertThat(a.callbacks()).hasSize(2);
        CallbackRow kela = a.callbacks().get(0);
        assertThat(kela.key()).isEqualTo("kela");
        assertThat(List.of(kela.requested(), kela.answeredFirst(), kela.answeredSecond(), kela.answeredLater(),
                kela.failed(), kela.cancelled(), kela.unansweredRings())).containsExactly(4L, 1L, 1L, 0L, 1L, 1L, 4L);
        assertThat(kela.lostRinging()).as("four rings of 45 s nobody answered").isEqualTo(Duration.ofSeconds(180));
        assertThat(kela.callbackAsa()).as("(130 + 430) / 2").isEqualTo(Duration.ofSeconds(280));
        assertThat(kela.liveAsa()).isEqualTo(Duration.ofSeconds(245));
        assertThat(a.callbacks().get(1).key()).isEqualTo("all");

        Table table = ReportTables.of(a).stream().filter(t -> t.name().equals("callbacks")).findFirst().orElseThrow();
        assertThat(table.rows()).hasSize(2);
        assertThat(HtmlReport.render(a, ReportTables.of(a))).contains("Call-backs per ring");
    }
}
