package fi.palvelurinki.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A real server restarted on a journal with waiting requests; the RESULT line is an interface. */
class BenchRestartCommandTest {

    @Test
    void restartsOnTheJournalAndPrintsTheResultLineLast() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            exit = Main.commandLine().execute("bench", "restart", "--waiting", "250", "--advisors", "2", "--runs", "1",
                    "--server-heap", "256m");
        } finally {
            System.setOut(saved);
        }
        String[] lines = bytes.toString(StandardCharsets.UTF_8).strip().split("\n");
        String last = lines[lines.length - 1];
        assertThat(exit).as(String.join("\n", lines)).isZero();
        assertThat(last).matches("RESULT restart_waiting=250 healthz_ms_median=\\d+ healthz_cpu_ms_median=\\d+ welcome_ms_median=\\d+ welcome_bytes=\\d+"
                + " slowest_command_ms_max=\\d+\\.\\d");
        // a0 has 125 waiting requests: the welcome carries the first page of 100.
        assertThat(String.join("\n", lines)).contains("100 requests");
    }

    @Test
    void moreAdvisorsThanRequestsIsRefused() {
        CommandRun r = CommandRun.of("bench", "restart", "--waiting", "5", "--advisors", "6");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("--advisors between 1 and --waiting");
    }
}
