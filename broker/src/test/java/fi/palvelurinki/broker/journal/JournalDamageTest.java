package fi.palvelurinki.broker.journal;

import static fi.palvelurinki.broker.journal.JournalBytes.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fi.palvelurinki.broker.journal.JournalBytes.Group;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every row of the damage table in docs/journal.md: what recovery does (cut an unfinished last write, or
 * stop naming segment and offset without changing a byte) and what a report reads around it.
 */
class JournalDamageTest {
    @TempDir
    Path dir;

    /** 30 groups of 5 events in one segment: group g (0-based) holds seq 5g+1 … 5g+5. */
    private Path oneSegment() throws IOException {
        JournalBytes.write(dir, 30, 5, 64L << 20);
        List<Path> s = JournalBytes.segments(dir);
        assertThat(s).hasSize(1);
        return s.get(0);
    }

    // ------------------------------------------------------------------ cut: an unfinished last write

    @Test
    void aTornLastGroupIsCut() throws IOException {
        Path seg = oneSegment();
        Group last = JournalBytes.groups(seg).get(29);
        JournalBytes.truncate(seg, last.offset() + JournalFormat.GROUP_HEADER_BYTES + last.payload() / 2);
        assertReportSees(145, List.of());
        assertCutTo(seg, last.offset(), 145);
    }

    @Test
    void aTornGroupHeaderIsCut() throws IOException {
        Path seg = oneSegment();
        Group last = JournalBytes.groups(seg).get(29);
        JournalBytes.truncate(seg, last.offset() + 10);
        assertCutTo(seg, last.offset(), 145);
    }

    @Test
    void aZeroFilledTailIsCut() throws IOException {
        Path seg = oneSegment();
        long size = Files.size(seg);
        JournalBytes.append(seg, new byte[8192]);
        assertCutTo(seg, size, 150);
    }

    @Test
    void aLastGroupWrittenInPartWithZerosToTheEndIsCut() throws IOException {
        // The file grew to its full length, but the end of the group never reached the disk.
        Path seg = oneSegment();
        Group last = JournalBytes.groups(seg).get(29);
        long from = JournalBytes.records(seg, last).get(2);
        JournalBytes.writeAt(seg, from, new byte[(int) (last.end() - from)]);
        assertCutTo(seg, last.offset(), 145);
    }

    @Test
    void aTruncatedHeaderOfTheLastSegmentIsCut() throws IOException {
        oneSegment();
        Path next = dir.resolve(JournalFormat.segmentName(151));
        Files.write(next, java.util.Arrays.copyOf(JournalFormat.segmentHeader(151).array(), 10));
        try (FileJournal j = FileJournal.open(dir, CLOCK, FileJournal.Options.defaults(), null, e -> {})) {
            assertThat(j.appendedSeq()).isEqualTo(150);
            j.append(List.of(JournalTest.everyKind().get(0)));
        }
        assertThat(Files.size(next)).as("the cut segment starts afresh").isGreaterThan(JournalFormat.HEADER_BYTES);
        assertThat(readAll()).hasSize(151);
    }

    // ------------------------------------------------------------------ stop: damage

    @Test
    void aDamagedLengthFieldNearTheTailWithDataAfterItStops() throws IOException {
        // The case that was once cut silently: one byte of a length field, 5 groups before the end.
        Path seg = oneSegment();
        Group g = JournalBytes.groups(seg).get(24);
        long record = JournalBytes.records(seg, g).get(1);
        JournalBytes.xor(seg, record + 1, 0x01);
        assertStops(seg, record, "the record of seq 122 declares 65");
        assertReportSees(146, List.of("seq 122–125 (4 events) unread"));
    }

    @Test
    void aDamagedLengthFieldInTheLastCompleteGroupStops() throws IOException {
        // Nothing follows it, but the group is complete: it may have been acknowledged.
        Path seg = oneSegment();
        Group last = JournalBytes.groups(seg).get(29);
        long record = JournalBytes.records(seg, last).get(1);
        JournalBytes.xor(seg, record + 2, 0x40);
        assertStops(seg, record, "record of seq 147");
        assertReportSees(146, List.of("seq 147–150 (4 events) unread"));
    }

    @Test
    void aDamagedChecksumInTheMiddleStops() throws IOException {
        Path seg = oneSegment();
        Group g = JournalBytes.groups(seg).get(9);
        long record = JournalBytes.records(seg, g).get(2);
        JournalBytes.xor(seg, record + JournalFormat.RECORD_HEADER_BYTES + 12, 0x10);
        assertStops(seg, record, "checksum mismatch in the record of seq 48");
        assertReportSees(147, List.of("seq 48–50 (3 events) unread"));
    }

    @Test
    void aDamagedGroupHeaderInTheMiddleStops() throws IOException {
        Path seg = oneSegment();
        Group g = JournalBytes.groups(seg).get(9);
        JournalBytes.xor(seg, g.offset() + 6, 0x01);
        assertStops(seg, g.offset(), "group header checksum mismatch");
        assertReportSees(145, List.of("seq 46–50 (5 events) unread"));
    }

    @Test
    void aDamagedHeaderOfTheLastCompleteGroupStops() throws IOException {
        Path seg = oneSegment();
        Group last = JournalBytes.groups(seg).get(29);
        JournalBytes.xor(seg, last.offset() + 17, 0x01);
        assertStops(seg, last.offset(), "group header checksum mismatch");
        assertReportSees(145, List.of("seq 146 onwards unread"));
    }

    @Test
    void anIntactRecordThatCannotBeDecodedStops() throws IOException {
        // Written by a newer version with an event type this one does not know: never skipped.
        Path seg = oneSegment();
        Group g = JournalBytes.groups(seg).get(9);
        long record = JournalBytes.records(seg, g).get(0);
        JournalBytes.writeAt(seg, record + JournalFormat.RECORD_HEADER_BYTES + 8, new byte[] {0x7f});
        JournalBytes.resum(seg, record);
        assertStops(seg, record, "cannot be decoded");
        assertReportSees(145, List.of("seq 46–50 (5 events) unread"));
    }

    @Test
    void aSegmentOfANewerFormatStops() throws IOException {
        Path seg = oneSegment();
        JournalBytes.writeAt(seg, 4, new byte[] {0, 0, 0, 3});
        assertStops(seg, 0, "journal format 3 by a newer Palvelurinki");
    }

    @Test
    void aTruncatedHeaderOfAnEarlierSegmentStops() throws IOException {
        JournalBytes.write(dir, 30, 5, 4096);
        List<Path> segments = JournalBytes.segments(dir);
        assertThat(segments.size()).isGreaterThan(2);
        JournalBytes.truncate(segments.get(1), 10);
        assertStops(segments.get(1), 0, "segment header incomplete");
    }

    @Test
    void aMissingSegmentStops() throws IOException {
        JournalBytes.write(dir, 30, 5, 4096);
        List<Path> segments = JournalBytes.segments(dir);
        long lost = JournalFormat.firstSeqOf(segments.get(2)) - JournalFormat.firstSeqOf(segments.get(1));
        Files.delete(segments.get(1));
        String seqs = String.format(Locale.ROOT, "seq %d–%d are in no segment",
                JournalFormat.firstSeqOf(segments.get(1)), JournalFormat.firstSeqOf(segments.get(2)) - 1);
        assertStops(segments.get(2), 0, seqs);
        assertReportSees(150 - lost, List.of(seqs));
    }

    @Test
    void aMissingFirstSegmentStops() throws IOException {
        JournalBytes.write(dir, 30, 5, 4096);
        List<Path> segments = JournalBytes.segments(dir);
        Files.delete(segments.get(0));
        assertStops(segments.get(1), 0, "seq 1–");
    }

    @Test
    void aMissingLastSegmentCannotBeToldFromAJournalThatEndedThere() throws IOException {
        // Documented as a limit: nothing records how far the journal went, so recovery ends earlier.
        JournalBytes.write(dir, 30, 5, 4096);
        List<Path> segments = JournalBytes.segments(dir);
        Path last = segments.get(segments.size() - 1);
        long first = JournalFormat.firstSeqOf(last);
        Files.delete(last);
        try (FileJournal j = FileJournal.open(dir, CLOCK, FileJournal.Options.defaults(), null, e -> {})) {
            assertThat(j.appendedSeq()).isEqualTo(first - 1);
        }
    }

    @Test
    void aStrayFileNamedLikeASegmentStops() throws IOException {
        oneSegment();
        Files.writeString(dir.resolve("copy.journal"), "x");
        assertThatThrownBy(() -> FileJournal.open(dir, CLOCK, FileJournal.Options.defaults(), null, e -> {}))
                .isInstanceOf(JournalCorruptedException.class).hasMessageContaining("unexpected file copy.journal");
    }

    // ------------------------------------------------------------------ format 1 (journals written before groups)

    @Test
    void aFormat1JournalIsReadAndContinuedInAFormat2Segment() throws IOException {
        copyFormat1();
        List<JournalEntry> read = readAll();
        List<DomainEvent> expected = new ArrayList<>();
        // The kinds the format-1 writer knew: CallQualityReported (tag 40), all later tags and CallOutcomeRecorded
        // (tag 23, added in a free slot) came after the fixture was written.
        List<DomainEvent> format1Kinds = JournalTest.everyKind().stream()
                .filter(e -> e.type().tag() < DomainEvent.Type.CALL_QUALITY_REPORTED.tag()
                        && e.type() != DomainEvent.Type.CALL_OUTCOME_RECORDED && !interpreting(e)).toList();
        for (int i = 0; i < 5; i++) {
            expected.addAll(format1Kinds);
        }
        assertThat(read).extracting(JournalEntry::event).containsExactlyElementsOf(expected);
        try (FileJournal j = FileJournal.open(dir, CLOCK, FileJournal.Options.defaults(), null, e -> {})) {
            assertThat(j.appendedSeq()).isEqualTo(130);
            j.append(JournalTest.everyKind());
        }
        assertThat(JournalBytes.segments(dir)).last().extracting(p -> p.getFileName().toString())
                .isEqualTo(JournalFormat.segmentName(131));
        assertThat(readAll()).hasSize(130 + JournalTest.everyKind().size());
    }

    /** Interpreter rings and interpreters came later too, as fields appended to old kinds' records. */
    private static boolean interpreting(DomainEvent e) {
        return e instanceof DomainEvent.RingConfigured r && r.ring().interpreterRing()
                || e instanceof DomainEvent.ExpertDefined x && !x.expert().interprets().isEmpty();
    }

    @Test
    void aTornLastRecordOfAFormat1JournalIsCut() throws IOException {
        Path last = copyFormat1();
        long size = Files.size(last);
        // The first 20 bytes of a record: its header and the start of its event.
        JournalBytes.append(last, java.util.Arrays.copyOf(JournalBytes.slice(last, format1LastRecord(last), size), 20));
        try (FileJournal j = FileJournal.open(dir, CLOCK, FileJournal.Options.defaults(), null, e -> {})) {
            assertThat(j.appendedSeq()).isEqualTo(130);
        }
        assertThat(Files.size(last)).isEqualTo(size);
    }

    @Test
    void aDamagedLengthNearTheTailOfAFormat1JournalStops() throws IOException {
        // The same damage as once cut silently in a format-1 file: a length now larger than what is left.
        Path last = copyFormat1();
        long record = JournalFormat.HEADER_BYTES;
        JournalBytes.writeAt(last, record + 1, new byte[] {0x0f});
        assertStops(last, record, "record of seq 105");
    }

    // ------------------------------------------------------------------ helpers

    private Path copyFormat1() throws IOException {
        Path fixture = Path.of("src/test/resources/journal-v1");
        List<Path> copied = new ArrayList<>();
        try (var files = Files.list(fixture)) {
            for (Path p : files.sorted().toList()) {
                copied.add(Files.copy(p, dir.resolve(p.getFileName())));
            }
        }
        return copied.get(copied.size() - 1);
    }

    private static long format1LastRecord(Path seg) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(seg));
        long p = JournalFormat.HEADER_BYTES;
        long last = p;
        while (p < b.limit()) {
            last = p;
            p += JournalFormat.RECORD_HEADER_BYTES + b.getInt((int) p);
        }
        return last;
    }

    private void assertCutTo(Path seg, long size, int events) throws IOException {
        List<JournalEntry> seen = new ArrayList<>();
        try (FileJournal j = FileJournal.open(dir, CLOCK, FileJournal.Options.defaults(), null, seen::add)) {
            assertThat(seen).hasSize(events);
            assertThat(Files.size(seg)).as("the unfinished write is cut").isEqualTo(size);
            j.append(List.of(JournalTest.everyKind().get(0)));
        }
        List<JournalEntry> after = readAll();
        assertThat(after).hasSize(events + 1);
        assertThat(after.get(events).seq()).isEqualTo(events + 1);
    }

    private void assertStops(Path seg, long offset, String reason) throws IOException {
        List<String> before = JournalBytes.snapshot(dir);
        assertThatThrownBy(() -> FileJournal.open(dir, CLOCK, FileJournal.Options.defaults(), null, e -> {}))
                .isInstanceOf(JournalCorruptedException.class)
                .hasMessageContaining("segment " + seg.getFileName())
                .hasMessageContaining(String.format(Locale.ROOT, "offset %,d ", offset))
                .hasMessageContaining(reason)
                .hasMessageContaining("journal repair")
                .satisfies(e -> assertThat(((JournalCorruptedException) e).damage().offset()).isEqualTo(offset));
        assertThat(JournalBytes.snapshot(dir)).as("nothing was changed").isEqualTo(before);
    }

    private void assertReportSees(long events, List<String> unread) throws IOException {
        long[] n = {0};
        JournalReader.Outcome o = JournalReader.readAround(dir, e -> n[0]++, JournalReader.Progress.NONE);
        assertThat(n[0]).isEqualTo(events);
        assertThat(o.damage()).hasSize(unread.size());
        for (int i = 0; i < unread.size(); i++) {
            assertThat(o.damage().get(i).describe()).contains(unread.get(i));
        }
    }

    private List<JournalEntry> readAll() throws IOException {
        List<JournalEntry> out = new ArrayList<>();
        JournalReader.read(dir, out::add);
        return out;
    }
}
