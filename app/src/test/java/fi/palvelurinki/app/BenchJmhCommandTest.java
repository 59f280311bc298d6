package fi.palvelurinki.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code bench jmh} finds the benchmarks compiled into the build (JMH's generated list) and passes JMH's options on. */
class BenchJmhCommandTest {

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        int exit;
        try {
            // JMH prints to the process's streams, not to picocli's writers.
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = Main.commandLine().execute(args);
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void listsTheBenchmarks() {
        Run r = run("bench", "jmh", "-l");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("fi.palvelurinki.loadtest.jmh.DecisionBenchmark.callCycle");
    }

    @Test
    void aPatternSelectsAndParametersAreListed() {
        Run r = run("bench", "jmh", "Decision", "-lp");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("DecisionBenchmark.callCycle").contains("param \"waiting\" = {0, 2000, 100000}");
    }

    @Test
    void badOptionsAndUnknownBenchmarksAreRefusedWithAClearMessage() {
        Run bad = run("bench", "jmh", "-f", "many");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).startsWith("bench jmh: ");
        Run none = run("bench", "jmh", "NoSuchBenchmark", "-f", "0", "-wi", "0", "-i", "1");
        assertThat(none.exit()).isNotZero();
        assertThat(none.err()).contains("no benchmark matches").contains("bench jmh -l");
    }
}
