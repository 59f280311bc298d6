package fi.palvelurinki.broker.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.broker.CallKind;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.Notification;
import fi.palvelurinki.broker.Party;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.journal.JournalReader;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.RingConfig;
import fi.palvelurinki.broker.testing.JournalScript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interpreter figures of a journal written by the real broker (the routing engine's joint decision and
 * a party added during a call), worked out by hand: seconds after 10:00:00 Finnish time,
 *
 * <pre>
 *   10  r1 anna → kela with an Arabic interpreter: offered to e1 and, need n1, to t1
 *   15  e1 accepts: held for the interpreter       18  t1 declines
 *   19  t2 signs in and is offered n1              27  t2 accepts: call c1 starts, t2 joins
 *  327  anna hangs up c1
 *  400  r2 anna → kela, offered to e1             405  e1 accepts: call c2
 *  420  e1 adds an Arabic interpreter: need n2    430  the interpreter offered accepts and joins c2
 *  500  anna hangs up c2
 * </pre>
 */
class InterpreterEngineReportTest {
    @TempDir
    Path dir;

    @Test
    void theFiguresOfAJournalTheEngineWrote() throws Exception {
        try (JournalScript j = new JournalScript(dir)) {
            j.authority("kela", "Kela").ring(RingConfig.builder("kela", "kela").name("Kela").build())
                    .authority("tulkkaus", "Tulkkauspalvelu")
                    .ring(RingConfig.builder("tulkit", "tulkkaus").name("Tulkit").languages(Set.of(Language.FI))
                            .interpreting(Set.of("ar")).wrapUp(Duration.ofSeconds(30)).build())
                    .point("mikkeli", "Mikkelin Asiointipiste", "Mikkeli").advisor("anna", "mikkeli")
                    .expert("e1", "Eeva", "kela");
            for (String t : List.of("t1", "t2")) {
                j.submit(new Command.DefineExpert(new ExpertProfile(t, "Tulkki " + t, Set.of("tulkit"),
                        Set.of(Language.FI), Set.of(), Set.of("ar")), "test"));
            }
            j.presence("e1", Presence.AVAILABLE).presence("t1", Presence.AVAILABLE);
            j.newOffers();
            j.at(10);
            long r1 = ((Reply.Queued) j.submit(new Command.RequestCall("anna", "kela", "general", Language.FI, false, "",
                    CallKind.INSTANT, 0, "ar"))).requestId();
            long n1 = interpreterOffer(j, "t1");
            j.at(15).submit(new Command.AcceptOffer("e1", r1));
            j.at(18).decline("t1", n1);
            j.at(19).presence("t2", Presence.AVAILABLE);
            assertThat(interpreterOffer(j, "t2")).isEqualTo(n1);
            long c1 = ((Reply.InterpreterAccepted) j.at(27).submit(new Command.AcceptOffer("t2", n1))).callId();
            j.at(327).hangUp("anna", c1);
            j.at(400);
            long r2 = j.request("anna", "kela");
            j.newOffers();
            long c2 = j.at(405).accept("e1", r2);
            j.at(420).submit(new Command.AddParty(c2, Party.EXPERT, "e1", "ar", null, null, null));
            Notification.Offer o = j.newOffers().stream().filter(x -> "interpreter".equals(x.role())).findFirst()
                    .orElseThrow();
            j.at(430).submit(new Command.AcceptOffer(o.expertId(), o.requestId()));
            j.at(500).hangUp("anna", c2);
            j.at(600);
        }
        JournalAnalysis a = JournalAnalyzer.analyze(dir.resolve("journal"), AnalysisOptions.defaults(),
                JournalReader.Progress.NONE);
        InterpreterFigures f = a.interpreters();
        assertThat(f.waits()).extracting(InterpreterWaitRow::key).containsExactly("fi-ar", "all");
        InterpreterWaitRow ar = f.waits().get(0);
        assertThat(List.of(ar.needs(), ar.joint(), ar.duringCall(), ar.met(), ar.unmet(), ar.open()))
                .containsExactly(2L, 1L, 1L, 2L, 0L, 0L);
        assertThat(List.of(ar.waitP50(), ar.waitP90())).as("n2 10 s, n1 17 s")
                .containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(17));
        assertThat(f.holds()).extracting(HoldRow::held).as("t2 joined the instant they accepted: no interpreter hold")
                .containsExactly("expert", "all");
        HoldRow expert = f.holds().get(0);
        assertThat(List.of(expert.holds(), expert.toCall(), expert.released(), expert.stillHeld()))
                .containsExactly(1L, 1L, 0L, 0L);
        assertThat(expert.total()).as("e1 held 15 → 27").isEqualTo(Duration.ofSeconds(12));
        PartyCallRow total = f.calls().get(0);
        assertThat(List.of(total.calls(), total.withInterpreter(), total.threeParties(), total.fourParties()))
                .containsExactly(2L, 2L, 2L, 0L);
        HandleFigures kela = a.rows(Dimension.RING).stream().filter(r -> r.key().equals("kela")).findFirst()
                .orElseThrow().handle();
        assertThat(List.of(kela.calls(), kela.talk())).as("300 + 95 s, whatever the interpreters' wrap-ups")
                .containsExactly(2L, Duration.ofSeconds(395));

        RecordedTraffic t = RecordedTraffic.read(dir.resolve("journal"), Set.of("tulkit"), AnalysisOptions.defaults(),
                null, 1, JournalReader.Progress.NONE);
        assertThat(t.arrivals()).extracting(Arrival::handleSeconds).as("27 → 327 + 30 s wrap-up; 430 → 500 + 30 s")
                .containsExactly(330.0, 100.0);
        assertThat(List.of(t.recorded().answered(), t.recorded().abandoned())).containsExactly(2L, 0L);
        assertThat(a.staffing()).filteredOn(r -> r.ringId().equals("tulkit")).singleElement()
                .satisfies(r -> assertThat(List.of(r.arrivals(), Math.round(r.ahtSeconds()))).containsExactly(2L, 215L));
    }

    private static long interpreterOffer(JournalScript j, String interpreter) {
        return j.newOffers().stream().filter(o -> o.expertId().equals(interpreter)).reduce((x, y) -> y).orElseThrow()
                .requestId();
    }
}
