package fi.palvelurinki.app;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.broker.testing.InterpreterJournal;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simulate --ring} of an interpreter ring replays its interpreter needs, not requests nobody makes. */
class SimulateInterpreterRingTest {
    /** The recorded column is worked out by hand from the timeline of {@link InterpreterJournal}. */
    @Test
    void anInterpreterRingReplaysItsInterpreterNeeds(@TempDir Path tulkit) {
        InterpreterJournal.write(tulkit);
        CommandRun r = CommandRun.of("simulate", "--data", tulkit.toString(), "--ring", "tulkit", "--experts", "2");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.lines()).startsWith(
                "simulate: recorded interpreter needs of tulkit, 2026-11-24 10:00 – 2026-11-24 10:15: 4 interpreter needs, 0 booked",
                "experts 2 · seed 1 · mean patience 187 s (estimated from the journal) · ringing 9 s (recorded mean)");
        assertThat(r.lines()).contains("offered                   4          4")
                .anyMatch(l -> l.matches("answered +2 +\\d+"))
                .anyMatch(l -> l.matches("still waiting +1 +\\d+"))
                .as("n2 gave up of the 4").anyMatch(l -> l.startsWith("abandon rate         25.0 %"))
                .as("(17 + 10) / 2 = 13.5 s").anyMatch(l -> l.startsWith("ASA                    0:14"));
    }
}
