package fi.palvelurinki.app;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.broker.testing.BookingJournal;
import fi.palvelurinki.broker.testing.ReferenceJournal;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {
    @TempDir
    static Path dir;
    static String data;

    @BeforeAll
    static void journal() {
        ReferenceJournal.write(dir);
        data = dir.toString();
    }

    @Test
    void replaysTheRecordedRequestsAgainstAnotherStaffing() {
        // Kela's four requests, one expert. Recorded ringing (10 + 30) / 2 = 20 s; patience estimated
        // (10 + 120 + 3 + 30 s waited) / 2 gave up = 81.5 s. Simulated: r1 at 60 s answered at once
        // (wait = ringing 20 s), busy to 410; r2 at 100 gives up at 220 as recorded; r3 at 380 at 383
        // (a short abandon); r4 at 500 finds the expert free: 20 s. Busy 350 + 330 s of the 770 s from
        // the first arrival to the last call's end.
        CommandRun r = CommandRun.of("simulate", "--data", data, "--ring", "kela", "--experts", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.lines()).containsExactly(
                "simulate: recorded requests of kela, 2026-11-24 10:01 – 2026-11-24 10:08: 4 requests, 0 booked",
                "experts 1 · seed 1 · mean patience 82 s (estimated from the journal) · ringing 20 s (recorded mean)",
                "                   recorded  simulated",
                "offered                   4          4",
                "answered                  2          2",
                "abandoned                 1          1",
                "short abandons            1          1",
                "still waiting             0          0",
                "abandon rate         33.3 %     33.3 %",
                "ASA                    0:20       0:20",
                "wait p50               0:10       0:20",
                "wait p90               0:30       0:20",
                "wait p99               0:30       0:20",
                "wait max               0:30       0:20",
                "SL(20 s)             33.3 %     66.7 %",
                "SL(60 s)             66.7 %     66.7 %",
                "P(wait)                   –     50.0 %",
                "occupancy                 –     88.3 %",
                "expert hours              –        0.2");
    }

    @Test
    void theSameSeedGivesTheSameAnswer() {
        String[] args = {"simulate", "--arrivals", "100", "--period", "30m", "--aht", "180s", "--experts", "14",
            "--length", "7d", "--seed", "3", "--json"};
        CommandRun first = CommandRun.of(args);
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).isEqualTo(CommandRun.of(args).out());
        assertThat(first.out()).matches("\\{\"customers\":\\d+,\"answered\":\\d+,\"abandoned\":0,\"short_abandoned\":0,"
                + "\"still_waiting\":0,\"p_wait\":0\\.1[5-9]\\d*,\"p_abandon\":0,\"asa_seconds\":[0-9.]+,.*"
                + "\"service_levels\":\\{\"20\":0\\.8[5-9]\\d*,\"60\":[0-9.]+},\"occupancy\":0\\.7\\d*,\"expert_hours\":235[2-9][0-9.]*}\\s*");
    }

    @Test
    void startedBookingsAreReplayedAsBookedCallsThatCanBeMadeInstant(@TempDir Path booked) {
        // BookingJournal: b1, b2 and b4 were started (three booked requests), anna marked one more request as
        // booked, and bo made two instant calls.
        BookingJournal.write(booked);
        CommandRun r = CommandRun.of("simulate", "--data", booked.toString(), "--ring", "te", "--experts", "1",
                "--booked-to-instant", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.lines().get(0)).endsWith(": 6 requests, 4 booked");
        assertThat(r.lines()).last().isEqualTo("booked calls: 4, of which 4 made instant; booked slot none");
    }

    @Test
    void callBacksShowTheWaitingTimeTheyGiveBackToThePoints() {
        // 10 erlangs on 11 experts: long waits; half of those still waiting after a minute become call-backs.
        CommandRun r = CommandRun.of("simulate", "--arrivals", "100", "--period", "30m", "--aht", "180s", "--experts", "11",
                "--length", "2d", "--callback-share", "0.5", "--callback-after", "1m");
        assertThat(r.exit()).as(r.err()).isZero();
        String note = r.lines().get(r.lines().size() - 1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("call-backs: ([0-9,]+) waits \\(share 0\\.5 of those"
                + " longer than 1m\\); points waited ([0-9.]+) h instead of ([0-9.]+) h \\(([0-9.]+) h freed\\); ASA .*")
                .matcher(note);
        assertThat(m.matches()).as(note).isTrue();
        assertThat(Integer.parseInt(m.group(1).replace(",", ""))).isPositive();
        assertThat(Double.parseDouble(m.group(2))).isLessThan(Double.parseDouble(m.group(3)));
        CommandRun json = CommandRun.of("simulate", "--arrivals", "100", "--period", "30m", "--aht", "180s", "--experts",
                "11", "--length", "2d", "--callback-share", "0.5", "--callback-after", "1m", "--json");
        assertThat(json.out()).containsPattern("\"callbacks\":[1-9]\\d*,\"point_wait_hours\":[0-9.]+");
    }

    @Test
    void bookedOptionsSayWhenThereIsNothingBooked() {
        CommandRun r = CommandRun.of("simulate", "--data", data, "--ring", "kela", "--experts", "2", "--booked-slot", "20m",
                "--booked-to-instant", "0.5");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.lines()).last().isEqualTo("note: these requests have no booked calls, so"
                + " --booked-slot and --booked-to-instant changed nothing");
    }

    @Test
    void badInputIsRefusedWithTheReason() {
        assertThat(CommandRun.of("simulate", "--experts", "2").err()).startsWith("give either --data DIR --ring RING");
        assertThat(CommandRun.of("simulate", "--data", data, "--experts", "2").err())
                .startsWith("with --data, name the ring(s) to replay with --ring");
        assertThat(CommandRun.of("simulate", "--data", data, "--ring", "tax", "--experts", "2").err())
                .startsWith("the journal has no ring 'tax'; it has [kela, vero]");
        assertThat(CommandRun.of("simulate", "--arrivals", "5", "--period", "1h", "--aht", "5m", "--experts", "2",
                "--booked-to-instant", "0.5").err()).startsWith("Poisson arrivals are all instant calls");
        assertThat(CommandRun.of("simulate", "--arrivals", "5", "--period", "1h", "--aht", "5m", "--experts", "mornings").err())
                .startsWith("cannot read experts 'mornings'");
        assertThat(CommandRun.of("simulate", "--data", data, "--ring", "kela", "--experts", "2", "--from", "2027-01-01").err())
                .startsWith("ring kela had no requests in the period");
    }

    @Test
    void staffingThatCannotCarryTheLoadIsWarnedAboutAsStaffingDoes() {
        // 100 per 30 min of 180 s: 10 erlangs on 2 experts. The waits printed (thousands of hours) only
        // measure how long the run was.
        CommandRun r = CommandRun.of("simulate", "--experts", "2", "--arrivals", "100", "--period", "30m", "--aht", "180s",
                "--length", "2d");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEqualTo("warning: 2 experts cannot carry 10 erlangs: the queue grows without bound, so the"
                + " waits above grow with the length of the run\n");
        assertThat(CommandRun.of("staffing", "--agents", "2", "--arrivals", "100", "--period", "30m", "--aht", "180s").out())
                .contains("2 experts cannot carry 10 erlangs: the queue grows without bound.");
        CommandRun json = CommandRun.of("simulate", "--experts", "8-16=4", "--arrivals", "10", "--period", "1h", "--aht",
                "30m", "--length", "2d", "--json");
        assertThat(json.out()).as("stdout stays one JSON object").startsWith("{").doesNotContain("warning");
        assertThat(json.err()).startsWith("warning: 1.33 experts on average (8-16=4) cannot carry 5 erlangs");
        CommandRun nights = CommandRun.of("simulate", "--experts", "8-16=4", "--arrivals", "10", "--period", "1h", "--aht",
                "5m", "--length", "2d");
        assertThat(nights.err()).isEqualTo("note: at 0-8,16-24 no more experts are signed in than the 0.8333 erlangs"
                + " offered: the queue grows then and is worked off in the other hours\n");
        assertThat(CommandRun.of("simulate", "--experts", "14", "--arrivals", "100", "--period", "30m", "--aht", "180s",
                "--length", "1d").err()).as("enough experts: nothing to warn about").isEmpty();
        assertThat(CommandRun.of("simulate", "--experts", "2", "--arrivals", "100", "--period", "30m", "--aht", "180s",
                "--patience", "2m", "--length", "1d").err()).as("customers who give up keep the queue bounded").isEmpty();
    }
}
