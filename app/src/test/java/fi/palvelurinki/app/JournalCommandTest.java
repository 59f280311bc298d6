package fi.palvelurinki.app;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.broker.journal.JournalBytes;
import fi.palvelurinki.broker.journal.JournalLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code journal check} and {@code journal repair} as an operator runs them. */
class JournalCommandTest {
    @TempDir
    Path data;

    private Path journal() {
        return data.resolve("journal").toAbsolutePath();
    }

    /** 30 groups of 5 events, then one byte of a length field in the 25th group flipped. */
    private long damaged() throws Exception {
        JournalBytes.write(journal(), 30, 5, 64L << 20);
        Path seg = JournalBytes.segments(journal()).get(0);
        JournalBytes.Group g = JournalBytes.groups(seg).get(24);
        JournalBytes.xor(seg, JournalBytes.records(seg, g).get(1) + 1, 0x01);
        return g.offset();
    }

    @Test
    void checkNamesTheDamageAndWhatARepairDropsThenRepairMovesItAsideAndTheServerStarts() throws Exception {
        long groupAt = damaged();
        long size = Files.size(JournalBytes.segments(journal()).get(0));
        CommandRun check = CommandRun.of("journal", "check", "--data", data.toString());
        assertThat(check.exit()).as(check.err()).isEqualTo(1);
        List<String> lines = check.lines();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo(String.format(Locale.ROOT,
                "journal check: %s: 1 segment, %,d bytes; 146 events read, the last seq 150", journal(), size));
        assertThat(lines.get(1)).startsWith("journal check: damaged: seq 122–125 (4 events) unread — segment"
                + " 00000000000000000001.journal, offset ").contains("the record of seq 122 declares");
        assertThat(lines.get(2)).startsWith("journal check: the server does not start on it: `palvelurinki journal repair"
                + " --data " + data + "` would move aside seq 121–150 (30 events): 26 intact events after the damage (")
                .endsWith(") and unreadable seq 122–125 (4 events)");

        CommandRun repair = CommandRun.of("journal", "repair", "--data", data.toString());
        assertThat(repair.exit()).as(repair.err()).isEqualTo(0);
        List<String> r = repair.lines();
        assertThat(r.get(0)).startsWith("journal repair: damage at segment 00000000000000000001.journal, offset ");
        assertThat(r.get(1)).startsWith("journal repair: moved aside to " + data.toAbsolutePath().resolve("journal-damaged"))
                .endsWith(" (nothing deleted):");
        assertThat(r.get(2)).isEqualTo(String.format(Locale.ROOT, "journal repair:   00000000000000000001.journal from"
                + " offset %,d (%,d bytes) -> 00000000000000000121.journal (after a 16-byte segment header)", groupAt,
                size - groupAt));
        assertThat(r.get(3)).isEqualTo("journal repair: dropped seq 121–150 (30 events): "
                + lines.get(2).substring(lines.get(2).indexOf("26 intact")));
        assertThat(r.get(4)).isEqualTo("journal repair: the journal now ends at seq 120; the server starts on it");
        assertThat(r).hasSize(5);

        CommandRun again = CommandRun.of("journal", "check", "--data", data.toString());
        assertThat(again.exit()).isEqualTo(0);
        assertThat(again.lines()).last().isEqualTo("journal check: sound: the server starts on it");
        assertThat(CommandRun.of("journal", "repair", "--data", data.toString()).lines())
                .containsExactly("journal repair: " + journal() + " has no damage: nothing to repair");
    }

    @Test
    void repairIsRefusedWhileAServerHoldsTheJournalAndCheckReadsItMeanwhile() throws Exception {
        damaged();
        // Held as a running server holds it (a damaged journal cannot be opened for writing at all).
        try (JournalLock held = JournalLock.acquire(journal(), JournalBytes.CLOCK)) {
            CommandRun check = CommandRun.of("journal", "check", "--data", data.toString());
            assertThat(check.exit()).isEqualTo(1);
            CommandRun repair = CommandRun.of("journal", "repair", "--data", data.toString());
            assertThat(repair.exit()).isEqualTo(1);
            assertThat(repair.err().lines().toList()).singleElement().asString()
                    .startsWith("journal repair: the journal " + journal() + " is in use by pid "
                            + ProcessHandle.current().pid() + " on host ");
        }
    }
}
