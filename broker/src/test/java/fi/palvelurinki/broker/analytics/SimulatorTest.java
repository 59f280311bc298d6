package fi.palvelurinki.broker.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import fi.palvelurinki.broker.CallKind;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.journal.JournalReader;
import fi.palvelurinki.broker.ring.RingConfig;
import fi.palvelurinki.broker.testing.JournalScript;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimulatorTest {
    /** Tuesday 2026-11-24 10:00 Finnish time, in epoch seconds. */
    static final double TEN = Instant.parse("2026-11-24T08:00:00Z").getEpochSecond();

    static Simulator.Config config(ExpertSchedule experts) {
        return new Simulator.Config(experts, 0, 0, 0, 1, Duration.ZERO, List.of(Duration.ofSeconds(20)));
    }

    static Simulator.Result poisson(Workload w, int experts, long customers, long seed) {
        return Simulator.run(Simulator.poisson(w, TEN, customers / w.arrivalsPerSecond(), seed),
                config(ExpertSchedule.constant(experts)));
    }

    @ParameterizedTest(name = "{0} erlangs on {1} experts")
    @CsvSource({"0.5, 1, 1000000", "1.5, 2, 1000000", "10, 12, 1000000", "10, 14, 1000000", "40, 46, 4000000"})
    void agreesWithErlangCOnMMc(double erlangs, int experts, long customers) {
        Workload w = Workload.withoutAbandonment(erlangs / 180, 180);
        StaffingEstimate exact = Erlang.evaluate(w, experts, 20);
        Simulator.Result r = poisson(w, experts, customers, 1);
        assertThat(r.pWait()).isCloseTo(exact.pWait(), within(0.02 * exact.pWait()));
        assertThat(r.occupancy()).isCloseTo(exact.occupancy(), within(0.01));
        assertThat(r.queue().serviceLevels().get(0)).isCloseTo(exact.serviceLevel(), within(0.01));
    }

    @Test
    void agreesWithErlangAWhenCustomersGiveUp() {
        Workload w = new Workload(100 / 1800.0, 180, 300);
        StaffingEstimate exact = Erlang.evaluate(w, 14, 20);
        Simulator.Result r = poisson(w, 14, 1_000_000, 1);
        assertThat(r.pWait()).isCloseTo(exact.pWait(), within(0.02 * exact.pWait()));
        assertThat(r.pAbandon()).isCloseTo(exact.pAbandon().getAsDouble(), within(0.05 * exact.pAbandon().getAsDouble()));
        assertThat(r.queue().serviceLevels().get(0)).isCloseTo(exact.serviceLevel(), within(0.005));
    }

    @Test
    void theSameSeedGivesTheSameResult() {
        Workload w = Workload.withoutAbandonment(10 / 180.0, 180);
        assertThat(poisson(w, 12, 20_000, 7)).isEqualTo(poisson(w, 12, 20_000, 7));
        assertThat(poisson(w, 12, 20_000, 8).pWait()).isNotEqualTo(poisson(w, 12, 20_000, 7).pWait());
    }

    @Test
    void expertsFollowTheScheduleAndFinishTheirCallWhenTheirHourEnds() {
        // One expert 10-11. 10:00 a call of 100 s; 10:00:50 one waits 50 s; 10:59 a call of 300 s runs
        // to 11:04; 10:59:30 one waits and, with nobody after 11, gives up after its 600 s of patience.
        List<Arrival> arrivals = List.of(new Arrival(TEN, 100, 600, false), new Arrival(TEN + 50, 100, 600, false),
                new Arrival(TEN + 3540, 300, 600, false), new Arrival(TEN + 3570, 100, 600, false));
        Simulator.Result r = Simulator.run(arrivals.iterator(), config(ExpertSchedule.parse("10-11=1")));
        assertThat(r.queue().offered()).isEqualTo(4);
        assertThat(r.queue().answered()).isEqualTo(3);
        assertThat(r.queue().asa()).isEqualTo(Duration.ofMillis(16_667));
        assertThat(r.queue().waitMax()).isEqualTo(Duration.ofSeconds(50));
        assertThat(r.queue().abandoned()).isEqualTo(1);
        assertThat(r.queue().meanTimeToAbandon()).isEqualTo(Duration.ofSeconds(600));
        assertThat(r.pWait()).isEqualTo(0.5);
        assertThat(r.expertHours()).as("10:00-11:04").isEqualTo(Duration.ofSeconds(3840));
        assertThat(r.occupancy()).isCloseTo(500 / 3840.0, within(1e-12));
    }

    @Test
    void bookedCallsGoFirstAndHoldTheirSlotUnlessMadeInstant() {
        // One expert; an instant and then a booked call wait behind a call of 100 s.
        List<Arrival> arrivals = List.of(new Arrival(TEN, 100, Double.POSITIVE_INFINITY, false),
                new Arrival(TEN + 10, 60, Double.POSITIVE_INFINITY, false),
                new Arrival(TEN + 20, 60, Double.POSITIVE_INFINITY, true));
        Simulator.Config slot = new Simulator.Config(ExpertSchedule.constant(1), 0, 900, 0, 1, Duration.ZERO,
                List.of(Duration.ofSeconds(60)));
        Simulator.Result r = Simulator.run(arrivals.iterator(), slot);
        // booked: 100 - 20 = 80 s, holds the expert 900 s; instant: waits 100 + 900 - 10 = 990 s.
        assertThat(r.queue().waitMax()).isEqualTo(Duration.ofSeconds(990));
        assertThat(r.booked()).isEqualTo(1);
        Simulator.Config instead = new Simulator.Config(ExpertSchedule.constant(1), 0, 900, 1, 1, Duration.ZERO,
                List.of(Duration.ofSeconds(60)));
        Simulator.Result moved = Simulator.run(arrivals.iterator(), instead);
        assertThat(moved.movedToInstant()).isEqualTo(1);
        // In arrival order, each taking its handle time: waits 0, 90, 100 + 60 - 20 = 140.
        assertThat(moved.queue().waitMax()).isEqualTo(Duration.ofSeconds(140));
        assertThat(moved.queue().asa()).as("(0 + 90 + 140) / 3").isEqualTo(Duration.ofMillis(76_667));
    }

    @Test
    void callBacksKeepTheirPlaceStopGivingUpAndFreeThePointsWaitingTime() {
        // One expert busy 600 s; two customers wait behind, the second gives up after 300 s when it is a live wait.
        List<Arrival> arrivals = List.of(new Arrival(TEN, 600, Double.POSITIVE_INFINITY, false),
                new Arrival(TEN + 1, 60, Double.POSITIVE_INFINITY, false),
                new Arrival(TEN + 2, 60, 300, false));
        Simulator.Config live = new Simulator.Config(ExpertSchedule.constant(1), 0, 0, 0, 1, Duration.ZERO,
                List.of(Duration.ofSeconds(60)));
        Simulator.Result without = Simulator.run(arrivals.iterator(), live);
        assertThat(without.queue().abandoned()).isEqualTo(1);
        assertThat(without.pointWaiting()).as("0 + 599 + 300").isEqualTo(Duration.ofSeconds(899));
        assertThat(without.callbacks()).isZero();

        Simulator.Config after2Min = new Simulator.Config(ExpertSchedule.constant(1), 0, 0, 0, 1, Duration.ZERO,
                List.of(Duration.ofSeconds(60)), 1, 120);
        Simulator.Result with = Simulator.run(arrivals.iterator(), after2Min);
        assertThat(with.callbacks()).isEqualTo(2);
        assertThat(with.queue().abandoned()).as("a call-back does not give up").isZero();
        assertThat(with.queue().answered()).isEqualTo(3);
        // In arrival order: answered at 600 and 660, so waits 599 and 658.
        assertThat(with.queue().waitMax()).isEqualTo(Duration.ofSeconds(658));
        assertThat(with.pointWaiting()).as("the points waited 2 min each, then did other work").isEqualTo(
                Duration.ofSeconds(240));
    }

    @Test
    void ringingTakesTheExpertAndCountsInTheWait() {
        List<Arrival> arrivals = List.of(new Arrival(TEN, 100, Double.POSITIVE_INFINITY, false),
                new Arrival(TEN + 10, 100, Double.POSITIVE_INFINITY, false));
        Simulator.Result r = Simulator.run(arrivals.iterator(), new Simulator.Config(ExpertSchedule.constant(1), 5, 0, 0,
                1, Duration.ZERO, List.of(Duration.ofSeconds(20))));
        // first: rings 5 s, talks to 105; second: waits 95 s + rings 5 s.
        assertThat(r.queue().waitMax()).isEqualTo(Duration.ofSeconds(100));
        assertThat(r.queue().waitP50()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void withNobodyEverOnDutyCustomersAreLeftWaiting() {
        Simulator.Result r = Simulator.run(List.of(new Arrival(TEN, 100, Double.POSITIVE_INFINITY, false)).iterator(),
                config(ExpertSchedule.constant(0)));
        assertThat(r.unserved()).isEqualTo(1);
        assertThat(r.queue().stillWaiting()).isEqualTo(1);
    }

    @Test
    void schedulesAreReadAsPeopleWriteThem() {
        assertThat(ExpertSchedule.parse("4").at(3)).isEqualTo(4);
        ExpertSchedule s = ExpertSchedule.parse("8-12=4, 12-16=3");
        assertThat(List.of(s.at(7), s.at(8), s.at(11), s.at(12), s.at(16))).containsExactly(0, 4, 4, 3, 0);
        assertThat(s).hasToString("8-12=4,12-16=3");
        assertThatThrownBy(() -> ExpertSchedule.parse("mornings")).hasMessageContaining("write a number");
        assertThatThrownBy(() -> ExpertSchedule.parse("12-8=2")).hasMessageContaining("must run forward");
        assertThatThrownBy(() -> ExpertSchedule.parse("8-12=2,10-14=1")).hasMessageContaining("hour 10 is named twice");
    }

    @Test
    void replaysRecordedRequestsOfPooledRings(@TempDir Path dir) throws IOException {
        try (JournalScript s = new JournalScript(dir)) {
            s.authority("kela", "Kela")
                    .ring(RingConfig.builder("a", "kela").wrapUp(Duration.ofSeconds(20)).build())
                    .ring(RingConfig.builder("b", "kela").build())
                    .point("p", "P", "Mikkeli").advisor("x", "p").expert("e", "Eeva", "a");
            s.presence("e", Presence.AVAILABLE);
            long r1 = s.request("x", "a");
            s.at(4);
            long c1 = s.accept("e", r1);
            s.at(10);
            s.request("x", "b", CallKind.BOOKED);
            s.at(30);
            long r3 = s.request("x", "a");
            s.at(94).hangUp("x", c1);
            s.at(120).cancel("x", r3);
            s.at(200).presence("e", Presence.OFFLINE);
        }
        AnalysisOptions all = new AnalysisOptions(null, null, Duration.ZERO, List.of(Duration.ofSeconds(20)), 0.8);
        RecordedTraffic t = RecordedTraffic.read(dir.resolve("journal"), Set.of("a", "b"), all, null, 1,
                JournalReader.Progress.NONE);
        assertThat(t.arrivals()).hasSize(3);
        assertThat(t.booked()).isEqualTo(1);
        assertThat(t.arrivals().get(0).handleSeconds()).as("90 s talk + 20 s wrap-up").isEqualTo(110);
        assertThat(t.arrivals().get(1).handleSeconds()).as("never answered: drawn from the recorded").isEqualTo(110);
        assertThat(t.arrivals().get(2).patienceSeconds()).as("gave up after 90 s").isEqualTo(90);
        // Waiting: 4 s (answered) + 190 s (b, to the journal's end) + 90 s (gave up); one gave up.
        assertThat(t.meanPatienceSeconds()).isEqualTo(284);
        assertThat(t.arrivals().get(1).patienceSeconds()).as("waited 190 s at least").isGreaterThan(190);
        assertThat(t.answerDelaySeconds()).isEqualTo(4);
        assertThat(t.recorded().answered()).isEqualTo(1);
        assertThat(t.recorded().stillWaiting()).isEqualTo(1);
        assertThat(t.recorded().abandoned()).isEqualTo(1);

        Simulator.Result r = Simulator.run(t.arrivals().iterator(), new Simulator.Config(ExpertSchedule.constant(2),
                t.answerDelaySeconds(), 0, 0, 1, Duration.ZERO, List.of(Duration.ofSeconds(20))));
        assertThat(r.queue().answered()).as("two experts answer everyone").isEqualTo(3);

        assertThatThrownBy(() -> RecordedTraffic.read(dir.resolve("journal"), Set.of("c"), all, null, 1,
                JournalReader.Progress.NONE)).hasMessageContaining("no ring 'c'");
    }
    /** Figures by hand from the timeline in {@link fi.palvelurinki.broker.testing.InterpreterJournal}. */
    @Test
    void anInterpreterRingReplaysTheInterpreterNeeds(@TempDir Path dir) throws IOException {
        fi.palvelurinki.broker.testing.InterpreterJournal.write(dir);
        AnalysisOptions all = new AnalysisOptions(null, null, Duration.ofSeconds(10), List.of(Duration.ofSeconds(20)), 0.8);
        RecordedTraffic t = RecordedTraffic.read(dir.resolve("journal"), Set.of("tulkit"), all, null, 1,
                JournalReader.Progress.NONE);
        assertThat(t.interpreting()).isTrue();
        double t0 = fi.palvelurinki.broker.testing.InterpreterJournal.T0.getEpochSecond();
        assertThat(t.arrivals()).extracting(a -> a.at() - t0).as("n1, n2, n3, n4").containsExactly(10.0, 400.0, 520.0,
                900.0);
        assertThat(t.arrivals().get(0).handleSeconds()).as("n1: joined 27, call ended 327, + the ring's 30 s wrap-up")
                .isEqualTo(330);
        assertThat(t.arrivals().get(2).handleSeconds()).as("n3: joined 530, left 700 with wrap-up until 730")
                .isEqualTo(200);
        assertThat(t.arrivals().get(1).handleSeconds()).as("unmet: drawn from the recorded").isIn(330.0, 200.0);
        assertThat(t.arrivals().get(1).patienceSeconds()).as("n2 gave up when its request was abandoned").isEqualTo(60);
        assertThat(t.meanPatienceSeconds()).as("(17 + 60 + 10 + 100 still waiting) / 1 gave up").isEqualTo(187);
        assertThat(t.answerDelaySeconds()).as("(27 - 19 + 530 - 520) / 2").isEqualTo(9);
        assertThat(List.of(t.recorded().offered(), t.recorded().answered(), t.recorded().abandoned(),
                t.recorded().stillWaiting())).containsExactly(4L, 2L, 1L, 1L);
        assertThat(t.recorded().asa()).as("(17 + 10) / 2").isEqualTo(Duration.ofMillis(13_500));
        assertThat(List.of(t.handled(), t.meanHandleSeconds())).containsExactly(2L, 265.0);
        assertThat(List.of(t.fromSeconds() - t0, t.toSeconds() - t0)).containsExactly(0.0, 1000.0);

        RecordedTraffic kela = RecordedTraffic.read(dir.resolve("journal"), Set.of("kela"), all, null, 1,
                JournalReader.Progress.NONE);
        assertThat(kela.interpreting()).isFalse();
        assertThat(kela.arrivals()).as("r1, r2, r3, r6: requests, not needs").hasSize(4);
        assertThat(kela.arrivals().get(2).handleSeconds()).as("r3: c2 from 505 to e2's wrap-up end at 830, not t1's at 730")
                .isEqualTo(325);
        assertThatThrownBy(() -> RecordedTraffic.read(dir.resolve("journal"), Set.of("kela", "tulkit"), all, null, 1,
                JournalReader.Progress.NONE)).hasMessageContaining("interpreter rings (tulkit) answer interpreter needs");
    }
}
