package fi.palvelurinki.broker.journal;

import static fi.palvelurinki.broker.journal.JournalBytes.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per journal directory: in one JVM, and between two real processes. */
class JournalLockTest {
    @TempDir
    Path dir;

    private static final String HOST = hostName();

    @Test
    void aSecondWriterInTheSameProcessIsRefusedNamingTheHolder() throws IOException {
        try (FileJournal first = FileJournal.open(dir, CLOCK, FileJournal.Options.defaults(), null, e -> {})) {
            first.append(JournalTest.everyKind());
            assertThatThrownBy(() -> FileJournal.open(dir, CLOCK, FileJournal.Options.defaults(), null, e -> {}))
                    .isInstanceOf(JournalLockedException.class)
                    .hasMessage("the journal " + dir.toAbsolutePath() + " is in use by pid " + ProcessHandle.current().pid()
                            + " on host " + HOST + " since " + JournalTest.T.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                            + "; one writer at a time: stop that one first (report and journal check can read it meanwhile)");
            // The refused attempt did not take the lock from the first writer, which goes on.
            first.append(JournalTest.everyKind());
        }
        List<JournalEntry> read = new ArrayList<>();
        JournalReader.read(dir, read::add);
        assertThat(read).hasSize(2 * JournalTest.everyKind().size());
        try (FileJournal again = FileJournal.open(dir, CLOCK, FileJournal.Options.defaults(), null, e -> {})) {
            assertThat(again.appendedSeq()).as("closing released the lock").isEqualTo(read.size());
        }
    }

    @Test
    void anotherProcessCannotWriteWhileThisOneHoldsTheJournalAndReadersCarryOn() throws Exception {
        try (FileJournal mine = FileJournal.open(dir, CLOCK, FileJournal.Options.defaults(), null, e -> {})) {
            mine.append(JournalTest.everyKind());
            org.awaitility.Awaitility.await().until(() -> mine.durableSeq() == JournalTest.everyKind().size());
            // Looked at with stat only: opening and closing the lock file here would drop this process's lock.
            var lockBefore = Files.getLastModifiedTime(dir.resolve(JournalLock.FILE));
            // A reader in this process must not drop the OS lock (closing any channel of the file would).
            long[] n = {0};
            JournalReader.readAround(dir, e -> n[0]++, JournalReader.Progress.NONE);
            assertThat(n[0]).isEqualTo(JournalTest.everyKind().size());
            assertThat(Files.getLastModifiedTime(dir.resolve(JournalLock.FILE))).as("readers leave the lock file alone")
                    .isEqualTo(lockBefore);

            List<String> out = runChild("try");
            assertThat(out).containsExactly("REFUSED the journal " + dir.toAbsolutePath() + " is in use by pid "
                    + ProcessHandle.current().pid() + " on host " + HOST + " since "
                    + JournalTest.T.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                    + "; one writer at a time: stop that one first (report and journal check can read it meanwhile)");
        }
        assertThat(runChild("try")).containsExactly("OPENED");
    }

    @Test
    void aJournalHeldByAnotherProcessIsRefusedUntilThatProcessIsKilled() throws Exception {
        Process holder = child("hold");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            String line = in.readLine();
            assertThat(line).as("the holder started; see child.err").isEqualTo("HOLDING " + holder.pid());
            assertThatThrownBy(() -> FileJournal.open(dir, CLOCK, FileJournal.Options.defaults(), null, e -> {}))
                    .isInstanceOf(JournalLockedException.class)
                    .hasMessageContaining("is in use by pid " + holder.pid() + " on host " + HOST + " since ")
                    .satisfies(e -> assertThat(((JournalLockedException) e).holder().pid()).isEqualTo(holder.pid()));
            // Readers carry on while another process writes.
            List<JournalEntry> read = new ArrayList<>();
            JournalReader.read(dir, read::add);
            assertThat(read).hasSize(1);

            // kill -9: no shutdown hook releases anything; the OS drops the lock with the process.
            new ProcessBuilder("kill", "-9", Long.toString(holder.pid())).inheritIO().start().waitFor();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            holder.destroyForcibly();
        }
        try (FileJournal mine = FileJournal.open(dir, CLOCK, FileJournal.Options.defaults(), null, e -> {})) {
            assertThat(mine.appendedSeq()).isEqualTo(1);
        }
    }

    private Process child(String mode) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                JournalLockMain.class.getName(), mode, dir.toString())
                .redirectError(dir.resolveSibling(dir.getFileName() + "-child.err").toFile())
                .start();
    }

    private List<String> runChild(String mode) throws Exception {
        Process p = child(mode);
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l = in.readLine(); l != null; l = in.readLine()) {
                lines.add(l);
            }
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return lines;
    }

    private static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
