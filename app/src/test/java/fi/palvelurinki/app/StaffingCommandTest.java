package fi.palvelurinki.app;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.broker.testing.InterpreterJournal;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The staffing command's output is read by people and, with --json, by scripts: both are checked exactly. */
class StaffingCommandTest {
    static final String[] REFERENCE = {"staffing", "--arrivals", "100", "--period", "30m", "--aht", "180s"};

    static String[] with(String... more) {
        String[] all = java.util.Arrays.copyOf(REFERENCE, REFERENCE.length + more.length);
        System.arraycopy(more, 0, all, REFERENCE.length, more.length);
        return all;
    }

    @Test
    void findsTheFewestExpertsAndShowsTheirNeighbours() {
        CommandRun r = CommandRun.of(with());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.lines()).containsExactly(
                "Erlang C: 100 arrivals per 30m, AHT 180 s: 10 erlangs offered",
                "  experts  P(wait)   SL(20 s)  ASA s  occupancy",
                "       12   0.4494     0.6402   40.4     0.8333",
                "       13   0.2853     0.7956   17.1     0.7692",
                ">      14   0.1741     0.8884    7.8     0.7143",
                "       15   0.1020     0.9415    3.7     0.6667",
                "       16   0.0573     0.9706    1.7     0.6250",
                "14 experts are the fewest that answer 80 % within 20 s.");
    }

    @Test
    void jsonHasExactlyTheAgreedKeys() {
        assertThat(CommandRun.of(with("--agents", "14", "--json")).out().strip()).isEqualTo(
                "{\"offered_load_erlangs\":10,\"agents\":14,\"p_wait\":0.174132,\"service_level\":0.88835,"
                        + "\"asa_seconds\":7.835937,\"occupancy\":0.714286}");
        assertThat(CommandRun.of(with("--json")).out()).as("the minimum for 80/20").contains("\"agents\":14,");
        assertThat(CommandRun.of(with("--agents", "15", "--json")).out())
                .contains("\"p_wait\":0.102042,\"service_level\":0.941453,");
    }

    @Test
    void withPatienceItIsErlangA() {
        assertThat(CommandRun.of(with("--agents", "14", "--patience", "5m", "--json")).out().strip()).isEqualTo(
                "{\"offered_load_erlangs\":10,\"agents\":14,\"p_wait\":0.14526,\"service_level\":0.916792,"
                        + "\"asa_seconds\":3.87848,\"occupancy\":0.704297,\"p_abandon\":0.013984}");
        CommandRun table = CommandRun.of(with("--agents", "14", "--patience", "5m"));
        assertThat(table.lines()).containsExactly(
                "Erlang A: 100 arrivals per 30m, AHT 180 s, mean patience 300 s: 10 erlangs offered",
                "  experts  P(wait)   SL(20 s)  ASA s  occupancy  P(abandon)",
                "       14   0.1453     0.9168    3.9     0.7043      0.0140",
                "14 experts answer 91.7 % within 20 s: the target of 80 % is met.");
    }

    @Test
    void tooFewExpertsAreSaidToBeUnstable() {
        CommandRun r = CommandRun.of(with("--agents", "10", "--json"));
        assertThat(r.out()).contains("\"p_wait\":1,\"service_level\":0,\"asa_seconds\":null,\"occupancy\":1}");
        assertThat(CommandRun.of(with("--agents", "9")).out())
                .contains("9 experts cannot carry 10 erlangs: the queue grows without bound.");
    }

    @Test
    void badInputIsRefusedWithTheReason() {
        CommandRun target = CommandRun.of(with("--target", "80"));
        assertThat(target.exit()).isNotZero();
        assertThat(target.err()).startsWith("--target must be between 0 and 1 (e.g. 0.8), got 80.0");
        assertThat(CommandRun.of(with("--agents", "0")).err()).startsWith("the number of experts must be 1-");
        assertThat(CommandRun.of("staffing", "--arrivals", "0", "--period", "30m", "--aht", "3m").err())
                .startsWith("--arrivals must be a positive number, got 0;");
        assertThat(CommandRun.of("staffing", "--arrivals", "-5", "--period", "30m", "--aht", "3m").err())
                .as("in what was typed, not the model's arrivals per second")
                .isEqualTo("--arrivals must be a positive number, got -5; see 'palvelurinki staffing --help'\n");
        assertThat(CommandRun.of("staffing", "--arrivals", "5", "--period", "0s", "--aht", "3m").err())
                .startsWith("--period must be positive, got 0s");
        assertThat(CommandRun.of("staffing", "--arrivals", "5", "--period", "1h").err())
                .contains("Missing required option: '--aht=DURATION'");
    }

    /**
     * The interpreter ring of {@link InterpreterJournal}: 4 interpreter needs over the 1,000 s the journal
     * covers; handle times 330 s (n1: joined 27, call ended 327, + 30 s wrap-up) and 200 s (n3: joined 530,
     * left 700, wrap-up until 730), mean 265 s; 4 / 1000 × 265 = 1.06 erlangs. Erlang C by hand: 2
     * interpreters C = 0.36719, SL(20 s) = 1 − C·e^(−0.94·20/265) = 0.6580 < 0.8; 3: C = 0.10481, SL = 0.9095.
     */
    @Test
    void anInterpreterRingIsStaffedForItsRecordedInterpreterNeeds(@TempDir Path dir) {
        InterpreterJournal.write(dir);
        CommandRun r = CommandRun.of("staffing", "--data", dir.toString(), "--ring", "tulkit");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.lines()).contains(
                "staffing: tulkit, 2026-11-24 10:00 – 2026-11-24 10:16: 4 interpreter needs recorded, AHT 265 s (mean of 2 recorded)",
                "Erlang C: 4 arrivals per 1000s, AHT 265 s: 1.06 erlangs offered",
                "        2   0.3672     0.6580  103.5     0.5300",
                ">       3   0.1048     0.9095   14.3     0.3533",
                "3 experts are the fewest that answer 80 % within 20 s.");
        assertThat(CommandRun.of("staffing", "--data", dir.toString(), "--ring", "tulkit", "--agents", "3", "--json").out())
                .startsWith("{\"offered_load_erlangs\":1.06,\"agents\":3,\"p_wait\":0.10481,");
        assertThat(CommandRun.of("staffing", "--data", dir.toString(), "--ring", "kela").lines().get(0))
                .as("an authority's ring: its requests r1, r2, r3, r6; handle times 330 s (c1) and 325 s (c2)")
                .matches("staffing: kela, .*: 4 requests recorded, AHT 327.5 s \\(mean of 2 recorded\\)");
        assertThat(CommandRun.of("staffing", "--data", dir.toString(), "--ring", "tulkit", "--aht", "3m").err())
                .startsWith("--arrivals, --period and --aht are for a workload typed in");
        assertThat(CommandRun.of("staffing", "--data", dir.toString()).err())
                .startsWith("with --data, name the ring(s) to staff with --ring");
        assertThat(CommandRun.of("staffing", "--data", dir.toString(), "--ring", "tulkit", "--from", "2026-11-25").err())
                .startsWith("ring tulkit had no interpreter needs in the period");
    }
}
