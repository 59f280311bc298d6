package fi.palvelurinki.app;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.broker.journal.JournalBytes;
import fi.palvelurinki.broker.testing.ReferenceJournal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report and simulate on a damaged journal: they read around the damage and say what they left out. */
class ReportOnDamageTest {
    @TempDir
    Path dir;

    @Test
    void reportAndSimulateWarnNamingWhatTheyCouldNotRead() throws Exception {
        Path data = dir.resolve("data");
        ReferenceJournal.write(data);
        CommandRun intact = CommandRun.of("report", "--data", data.toString(), "--out", dir.resolve("intact.html").toString());
        assertThat(intact.exit()).as(intact.err()).isZero();
        Path seg = JournalBytes.segments(data.resolve("journal")).get(0);
        List<JournalBytes.Group> groups = JournalBytes.groups(seg);
        assertThat(groups.size()).isGreaterThan(4);
        JournalBytes.Group g = groups.get(groups.size() / 2);
        JournalBytes.xor(seg, g.recordsAt() + 20, 0x20);
        String seqs = g.count() == 1 ? "seq " + g.firstSeq() : "seq " + g.firstSeq() + "–" + g.lastSeq() + " (" + g.count()
                + " events)";

        CommandRun r = CommandRun.of("report", "--data", data.toString(), "--out", dir.resolve("report.html").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err().lines().toList()).singleElement().asString()
                .startsWith("report: warning: the journal is damaged: this report leaves out " + seqs
                        + " — segment 00000000000000000001.journal, offset ")
                .contains("checksum mismatch in the record of seq " + g.firstSeq())
                .endsWith("(`palvelurinki journal check` says more)")
                .doesNotContain("start");
        assertThat(r.lines().get(0)).as("fewer events read than before").isNotEqualTo(intact.lines().get(0));
        assertThat(Files.readString(dir.resolve("report.html"))).contains("<h2>The journal is damaged</h2>")
                .contains("<li>" + seqs + " — segment 00000000000000000001.journal, offset ");
        assertThat(Files.readString(dir.resolve("intact.html"))).doesNotContain("The journal is damaged");

        CommandRun sim = CommandRun.of("simulate", "--data", data.toString(), "--ring", "kela", "--experts", "1");
        assertThat(sim.exit()).as(sim.err()).isZero();
        assertThat(sim.err()).startsWith("simulate: warning: the journal is damaged: this simulation leaves out " + seqs);
    }
}
