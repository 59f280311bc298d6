package fi.palvelurinki.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import fi.palvelurinki.signaling.config.Durations;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The benchmark's last line is an interface (scripts parse it): its exact shape is checked here. */
class BenchRoutingCommandTest {

    @Test
    void printsTheMachineReadableResultLineLast() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            exit = Main.commandLine().execute("bench", "routing", "--duration", "2s", "--warm-up", "0s", "--rate", "2000",
                    "--experts", "60", "--points", "10", "--fsync", "on");
        } finally {
            System.setOut(saved);
        }
        String[] lines = bytes.toString(StandardCharsets.UTF_8).strip().split("\n");
        String last = lines[lines.length - 1];
        assertThat(exit).as(String.join("\n", lines)).isZero();
        assertThat(last).matches("RESULT routing_decisions_per_s=\\d+ decision_p50_us=\\d+ decision_p99_us=\\d+ journal_fsync=on");
        // How fast is the benchmark's to say, not a unit test's (a loaded machine would fail it): here
        // only that it routed calls and that its percentiles are consistent.
        long perSecond = Long.parseLong(last.replaceAll(".*routing_decisions_per_s=(\\d+).*", "$1"));
        long p50 = Long.parseLong(last.replaceAll(".*decision_p50_us=(\\d+).*", "$1"));
        long p99 = Long.parseLong(last.replaceAll(".*decision_p99_us=(\\d+).*", "$1"));
        assertThat(perSecond).as("decisions were made and counted").isPositive();
        assertThat(p50).isLessThanOrEqualTo(p99);
        // What else ran says whether the figures are the broker's: the JIT's work and, on Linux, CPU steal.
        assertThat(lines).anyMatch(l -> l.matches("jit +\\d+ ms compiling during the measured run.*"));
        if (java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/stat"))) {
            assertThat(lines).anyMatch(l -> l.matches("cpu steal +\\d+\\.\\d % of the measured time.*"));
        }
    }

    @Test
    void thePostgreSqlJournalIsMeasuredBesideTheFileJournalInTheSameRun() throws Exception {
        String url = fi.palvelurinki.broker.testing.PostgresCluster.shared().newDatabase();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            exit = Main.commandLine().execute("bench", "routing", "--duration", "2s", "--warm-up", "0s", "--rate", "1000",
                    "--experts", "60", "--points", "10", "--journal", "postgresql", "--journal-url", url);
        } finally {
            System.setOut(saved);
        }
        String[] lines = bytes.toString(StandardCharsets.UTF_8).strip().split("\n");
        String all = String.join("\n", lines);
        assertThat(exit).as(all).isZero();
        assertThat(all).containsPattern("file journal: routing_decisions_per_s=\\d+ ");
        assertThat(lines[lines.length - 1]).matches("RESULT routing_decisions_per_s=\\d+ decision_p50_us=\\d+ "
                + "decision_p99_us=\\d+ journal_fsync=on journal=postgresql file_routing_decisions_per_s=\\d+ "
                + "file_decision_p99_us=\\d+ postgresql_to_file_ratio=\\d+\\.\\d{3}");
        // The run really went through the database: its journal holds the calls.
        try (java.sql.Connection c = fi.palvelurinki.broker.journal.PostgresJournal.connect(url)) {
            assertThat(fi.palvelurinki.broker.journal.PostgresJournal.lastSeq(c)).isPositive();
        }
        // A journal that is not empty is refused: the benchmark writes one of its own.
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        var cl = Main.commandLine();
        cl.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try {
            System.setOut(quiet);
            assertThat(cl.execute("bench", "routing", "--duration", "1s", "--warm-up", "0s", "--rate", "500",
                    "--experts", "60", "--points", "10", "--journal", "postgresql", "--journal-url", url)).isNotZero();
        } finally {
            System.setOut(saved);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("the PostgreSQL journal must be empty");
    }

    @Test
    void badArgumentsAreRefusedWithAClearMessage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        var cl = Main.commandLine();
        cl.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
        assertThat(cl.execute("bench", "routing", "--fsync", "maybe")).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--fsync must be on or off");
        assertThat(cl.execute("bench", "routing", "--duration", "soon")).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot read duration 'soon'");
        assertThat(cl.execute("bench", "routing", "--journal", "postgresql")).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--journal postgresql and --journal-url go together");
    }

    @Test
    void durationsAreReadAsPeopleWriteThem() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("20s")).isEqualTo(Duration.ofSeconds(20));
        assertThat(Durations.parse("1.5m")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("PT2H")).isEqualTo(Duration.ofHours(2));
    }
}
