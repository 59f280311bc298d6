package fi.palvelurinki.app;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.broker.journal.JournalEntry;
import fi.palvelurinki.broker.journal.JournalReader;
import fi.palvelurinki.broker.testing.PostgresCluster;
import fi.palvelurinki.broker.testing.ReferenceJournal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file journal moved into PostgreSQL and back, and the reports reading the PostgreSQL one: the same
 * figures from either backend.
 */
class JournalCopyCommandTest {
    @TempDir
    Path dir;

    @Test
    void aFileJournalGoesIntoPostgresqlAndBackAndReportsReadEither() throws Exception {
        String url = PostgresCluster.shared().newDatabase();
        Path data = dir.resolve("data");
        ReferenceJournal.write(data);

        CommandRun to = CommandRun.of("journal", "copy", "--data", data.toString(), "--to", url);
        assertThat(to.exit()).as(to.err()).isZero();
        assertThat(to.lines()).singleElement().asString().matches(
                "journal copy: \\d+ events copied from .*journal to jdbc:postgresql:.* and verified record by record");

        CommandRun again = CommandRun.of("journal", "copy", "--data", data.toString(), "--to", url);
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("already holds").contains("copy only into an empty one");

        CommandRun fromFiles = CommandRun.of("report", "--data", data.toString(), "--from", "2026-11-24", "--to", "2026-11-24",
                "--out", dir.resolve("a/report.html").toString(), "--csv", dir.resolve("a/csv").toString());
        CommandRun fromDb = CommandRun.of("report", "--journal-url", url, "--from", "2026-11-24", "--to", "2026-11-24",
                "--out", dir.resolve("b/report.html").toString(), "--csv", dir.resolve("b/csv").toString());
        assertThat(fromDb.exit()).as(fromDb.err()).isZero();
        assertThat(fromDb.lines().get(0)).isEqualTo(fromFiles.lines().get(0));
        try (Stream<Path> csv = Files.list(dir.resolve("a/csv"))) {
            for (Path f : (Iterable<Path>) csv::iterator) {
                assertThat(dir.resolve("b/csv").resolve(f.getFileName())).as(f.getFileName().toString())
                        .hasSameTextualContentAs(f);
            }
        }

        CommandRun sim = CommandRun.of("simulate", "--journal-url", url, "--ring", "kela", "--experts", "1");
        assertThat(sim.exit()).as(sim.err()).isZero();
        assertThat(sim.lines()).isEqualTo(CommandRun.of("simulate", "--data", data.toString(), "--ring", "kela",
                "--experts", "1").lines());

        Path back = dir.resolve("back");
        CommandRun from = CommandRun.of("journal", "copy", "--data", back.toString(), "--from", url);
        assertThat(from.exit()).as(from.err()).isZero();
        assertThat(read(back.resolve("journal"))).isEqualTo(read(data.resolve("journal")));
    }

    private static List<JournalEntry> read(Path journal) throws IOException {
        List<JournalEntry> all = new ArrayList<>();
        JournalReader.read(journal, all::add);
        return all;
    }
}
