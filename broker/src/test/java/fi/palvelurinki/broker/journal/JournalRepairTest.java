package fi.palvelurinki.broker.journal;

import static fi.palvelurinki.broker.journal.JournalBytes.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fi.palvelurinki.broker.journal.JournalBytes.Group;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's repair: what it drops is named exactly, and every byte it moves is still there. */
class JournalRepairTest {
    @TempDir
    Path data;

    Path dir() {
        return data.resolve("journal");
    }

    @Test
    void aDamagedGroupAndEverythingAfterItMoveAsideByteForByte() throws IOException {
        JournalBytes.write(dir(), 30, 5, 64L << 20);
        Path seg = JournalBytes.segments(dir()).get(0);
        Group g = JournalBytes.groups(seg).get(24);
        long record = JournalBytes.records(seg, g).get(1);
        JournalBytes.xor(seg, record + 1, 0x01);
        byte[] before = Files.readAllBytes(seg);

        JournalRepair.Examination x = JournalRepair.examine(dir());
        assertThat(x.sound()).isFalse();
        assertThat(x.cutFromSeq()).as("the whole damaged group").isEqualTo(121);
        assertThat(x.droppedSeqs()).isEqualTo("seq 121–150 (30 events)");
        assertThat(x.droppedIntact()).as("121 before the bad record, 126–150 after its group").isEqualTo(26);
        assertThat(x.unreadable()).extracting(JournalDamage::seqs).containsExactly("seq 122–125 (4 events)");
        assertThat(Files.readAllBytes(seg)).as("examining changes nothing").isEqualTo(before);

        JournalRepair.Result r = JournalRepair.repair(dir(), CLOCK);
        assertThat(r.lastSeq()).isEqualTo(120);
        assertThat(r.aside()).isEqualTo(data.resolve("journal-damaged").resolve("20261124T080000Z"));
        Path copy = r.aside().resolve(JournalFormat.segmentName(121));
        assertThat(r.moved()).containsExactly(String.format(java.util.Locale.ROOT,
                "00000000000000000001.journal from offset %,d (%,d bytes) -> 00000000000000000121.journal (after a"
                        + " 16-byte segment header)", g.offset(), before.length - g.offset()));
        byte[] kept = Files.readAllBytes(seg);
        byte[] moved = Files.readAllBytes(copy);
        assertThat(kept.length).isEqualTo(g.offset());
        byte[] joined = Arrays.copyOf(kept, kept.length + moved.length - JournalFormat.HEADER_BYTES);
        System.arraycopy(moved, JournalFormat.HEADER_BYTES, joined, kept.length, moved.length - JournalFormat.HEADER_BYTES);
        assertThat(joined).as("not a byte lost").isEqualTo(before);
        assertThat(Files.readString(r.aside().resolve("README.txt"))).contains("seq 121–150 (30 events)")
                .contains("offset " + String.format(java.util.Locale.ROOT, "%,d", record));

        // The server starts on what is left, and the moved part is a segment a report can read.
        try (FileJournal j = FileJournal.open(dir(), CLOCK, FileJournal.Options.defaults(), null, e -> {})) {
            assertThat(j.appendedSeq()).isEqualTo(120);
        }
        List<Long> intact = new ArrayList<>();
        JournalReader.Outcome aside = JournalReader.readAround(r.aside(), e -> intact.add(e.seq()), JournalReader.Progress.NONE);
        assertThat(intact).hasSize(26).startsWith(121L, 126L).endsWith(150L);
        assertThat(aside.damage()).extracting(JournalDamage::seqs)
                .as("what stayed in the journal is missing here, then the damage")
                .containsExactly("seq 1–120 (120 events)", "seq 122–125 (4 events)");
    }

    @Test
    void aMissingSegmentMovesTheSegmentsAfterTheGapAside() throws IOException {
        JournalBytes.write(dir(), 30, 5, 4096);
        List<Path> segments = JournalBytes.segments(dir());
        long gapFrom = JournalFormat.firstSeqOf(segments.get(1));
        Files.delete(segments.get(1));
        JournalRepair.Examination x = JournalRepair.examine(dir());
        assertThat(x.droppedSeqs()).isEqualTo(String.format("seq %d–150 (%d events)", gapFrom, 151 - gapFrom));
        JournalRepair.Result r = JournalRepair.repair(dir(), CLOCK);
        assertThat(r.lastSeq()).isEqualTo(gapFrom - 1);
        assertThat(JournalBytes.segments(dir())).containsExactly(segments.get(0));
        assertThat(r.moved()).hasSize(segments.size() - 2);
        for (Path p : segments.subList(2, segments.size())) {
            assertThat(r.aside().resolve(p.getFileName())).exists();
        }
    }

    @Test
    void anUnreadableEndIsNamedAsSuch() throws IOException {
        JournalBytes.write(dir(), 30, 5, 64L << 20);
        Path seg = JournalBytes.segments(dir()).get(0);
        Group last = JournalBytes.groups(seg).get(29);
        JournalBytes.xor(seg, last.offset() + 17, 0x01);
        JournalRepair.Examination x = JournalRepair.examine(dir());
        assertThat(x.droppedSeqs()).isEqualTo("seq 146 onwards");
        assertThat(x.unreadable()).extracting(JournalDamage::seqs).containsExactly("seq 146 onwards");
        assertThat(JournalRepair.repair(dir(), CLOCK).lastSeq()).isEqualTo(145);
    }

    @Test
    void aRepairIsRefusedWhileTheJournalIsHeldAndThereIsNothingToRepairInASoundOne() throws IOException {
        JournalBytes.write(dir(), 3, 5, 64L << 20);
        try (FileJournal server = FileJournal.open(dir(), CLOCK, FileJournal.Options.defaults(), null, e -> {})) {
            assertThatThrownBy(() -> JournalRepair.repair(dir(), CLOCK)).isInstanceOf(JournalLockedException.class);
            assertThat(JournalRepair.examine(dir()).sound()).as("reading goes on meanwhile").isTrue();
        }
        assertThat(JournalRepair.repair(dir(), CLOCK)).isNull();
        assertThat(data.resolve("journal-damaged")).doesNotExist();
    }
}
