package fi.palvelurinki.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
}
