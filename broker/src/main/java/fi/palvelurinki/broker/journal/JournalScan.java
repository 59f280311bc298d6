package fi.palvelurinki.broker.journal;

import static fi.palvelurinki.broker.journal.JournalFormat.GROUP_HEADER_BYTES;
import static fi.palvelurinki.broker.journal.JournalFormat.GROUP_MAGIC;
import static fi.palvelurinki.broker.journal.JournalFormat.HEADER_BYTES;
import static fi.palvelurinki.broker.journal.JournalFormat.MAGIC;
import static fi.palvelurinki.broker.journal.JournalFormat.MAX_RECORD_BYTES;
import static fi.palvelurinki.broker.journal.JournalFormat.MIN_RECORD_BYTES;
import static fi.palvelurinki.broker.journal.JournalFormat.RECORD_HEADER_BYTES;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * One pass over a journal directory: hands every readable event to the consumer in order and decides, at
 * each place that cannot be read, whether it is an unfinished last write (torn) or damage.
 *
 * <p>The rule (format 2): a group is acknowledged only after all of it is on disk, and the writer starts a
 * group only after the one before it is on disk. So only the last group of the last segment can be
 * unfinished, and it is unfinished only if it provably is: fewer bytes than a group header remain, or its
 * intact header declares more bytes than the file holds, or every byte from the first unreadable one to the
 * end of the file is zero (a file extended but not written). Everything else is damage: in strict mode
 * (recovery) it stops the reading with a {@link JournalCorruptedException}; in tolerant mode (reports) it is
 * noted, skipped to the next intact group, and the reading goes on.
 *
 * <p>Format 1 segments (records without groups) are read with the best rule they allow: a bad last record
 * is unfinished only if it is incomplete or ends the file, and no intact record can be found after it.
 */
final class JournalScan {
    private enum Shape { INCOMPLETE, ENDS_FILE, OTHER }

    private record Group(long start, int payload, long first, int count) {
        long end() {
            return start + GROUP_HEADER_BYTES + payload;
        }

        long lastSeq() {
            return first + count - 1;
        }
    }

    private final Path dir;
    private final Consumer<JournalEntry> consumer;
    private final JournalReader.Progress progress;
    private final boolean tolerant;
    private final CRC32C crc = new CRC32C();
    private final List<JournalDamage> damage = new ArrayList<>();
    private final List<JournalEntry> groupEntries = new ArrayList<>();
    private JournalDamage torn;
    private long expected = 1;
    private long records;
    private long bytesBefore;
    private long totalBytes;
    private int lastVersion;

    // The segment being read.
    private Path seg;
    private ByteWindow w;
    private long size;
    private boolean last;
    private long nextFirst;

    private JournalScan(Path dir, Consumer<JournalEntry> consumer, JournalReader.Progress progress, boolean tolerant) {
        this.dir = dir;
        this.consumer = consumer;
        this.progress = progress;
        this.tolerant = tolerant;
    }

    static JournalReader.Outcome run(Path dir, Consumer<JournalEntry> consumer, JournalReader.Progress progress,
            boolean tolerant) throws IOException {
        return new JournalScan(dir, consumer, progress, tolerant).run();
    }

    private JournalReader.Outcome run() throws IOException {
        List<Path> segments = JournalFormat.segments(dir);
        for (Path s : segments) {
            totalBytes += Files.size(s);
        }
        for (int i = 0; i < segments.size() && torn == null; i++) {
            seg = segments.get(i);
            last = i == segments.size() - 1;
            nextFirst = last ? -1 : JournalFormat.firstSeqOf(segments.get(i + 1));
            long first = JournalFormat.firstSeqOf(seg);
            try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.READ)) {
                size = ch.size();
                w = new ByteWindow(ch, size);
                if (first > expected) {
                    damage(0, 0, "seq " + fmt(expected) + "–" + fmt(first - 1) + " are in no segment: this one starts at seq "
                            + fmt(first) + " (a segment is missing)", first - 1);
                    expected = first;
                }
                if (first < expected) {
                    damage(0, size, "the segment starts at seq " + fmt(first) + ", but the segments before it hold seq "
                            + fmt(expected - 1) + " already: it overlaps them", expected - 1);
                } else {
                    segment(first);
                }
            }
            bytesBefore += size;
        }
        Path lastSegment = segments.isEmpty() ? null : segments.get(segments.size() - 1);
        return new JournalReader.Outcome(expected - 1, records, lastSegment, lastVersion, torn, List.copyOf(damage));
    }

    private void segment(long first) throws IOException {
        if (size < HEADER_BYTES) {
            unreadable(0, 0, "segment header incomplete (" + size + " of " + HEADER_BYTES + " bytes)", Shape.INCOMPLETE, null);
            return;
        }
        int magic = w.intAt(0);
        int version = w.intAt(4);
        long headerFirst = w.longAt(8);
        if (magic != MAGIC || headerFirst != first || version < JournalFormat.VERSION_1 || version > JournalFormat.VERSION) {
            String reason = magic == MAGIC && headerFirst == first && version > JournalFormat.VERSION
                    ? "written in journal format " + version + " by a newer Palvelurinki; this one reads formats 1 and 2"
                    : String.format(Locale.ROOT, "bad segment header (magic %08x, version %d, first seq %d)", magic, version,
                            headerFirst);
            unreadable(0, 0, reason, Shape.OTHER, null);
            return;
        }
        lastVersion = version;
        long pos = HEADER_BYTES;
        while (pos >= 0 && pos < size) {
            pos = version == JournalFormat.VERSION_1 ? recordV1(pos) : group(pos);
        }
    }

    // ------------------------------------------------------------------ format 2: groups

    /** Reads the group at {@code pos}; returns where reading goes on, or -1 when this segment is done. */
    private long group(long pos) throws IOException {
        long remaining = size - pos;
        if (remaining < GROUP_HEADER_BYTES) {
            return unreadable(pos, pos, "incomplete group header (" + remaining + " of " + GROUP_HEADER_BYTES + " bytes)",
                    Shape.INCOMPLETE, null);
        }
        Group g = groupHeader(pos);
        if (g == null) {
            return unreadable(pos, pos, w.intAt(pos) == GROUP_MAGIC ? "group header checksum mismatch"
                    : "no group starts here (bad group header)", Shape.OTHER, null);
        }
        if (g.payload() < (long) g.count() * (RECORD_HEADER_BYTES + MIN_RECORD_BYTES)) {
            return unreadable(pos, pos, "group header with impossible values (" + g.payload() + " bytes, " + g.count()
                    + " records)", Shape.OTHER, null);
        }
        if (g.end() > size) {
            return unreadable(pos, pos, "incomplete group of " + seqRange(g) + ": " + (remaining - GROUP_HEADER_BYTES)
                    + " of its " + g.payload() + " bytes are there", Shape.INCOMPLETE, g);
        }
        if (g.first() != expected) {
            if (g.first() < expected) {
                damage(pos, g.end() - pos, "the group of " + seqRange(g) + " repeats seq already read", expected - 1);
                return g.end();
            }
            damage(pos, 0, "seq " + fmt(expected) + "–" + fmt(g.first() - 1) + " are missing before the group of "
                    + seqRange(g), g.first() - 1);
            expected = g.first();
        }
        groupEntries.clear();
        long p = pos + GROUP_HEADER_BYTES;
        for (int k = 0; k < g.count(); k++) {
            long left = g.end() - p;
            String problem = left < RECORD_HEADER_BYTES ? "the group's record of seq " + fmt(g.first() + k)
                    + " is cut short by the group's end" : record(p, left, g.first() + k);
            if (problem != null) {
                if (tolerant && !tornShape(p, Shape.OTHER)) {
                    deliver(groupEntries, p);
                }
                return unreadable(p, pos, problem + " (in the group of " + seqRange(g) + ")", Shape.OTHER, g);
            }
            p += RECORD_HEADER_BYTES + w.intAt(p);
        }
        if (p != g.end()) {
            return unreadable(p, pos, (g.end() - p) + " bytes after the last record of the group of " + seqRange(g),
                    Shape.OTHER, g);
        }
        deliver(groupEntries, p);
        return g.end();
    }

    /** The group header at {@code pos} if it is intact, else null. */
    private Group groupHeader(long pos) throws IOException {
        int i = w.fill(pos, GROUP_HEADER_BYTES);
        byte[] b = w.array();
        if (intOf(b, i) != GROUP_MAGIC) {
            return null;
        }
        crc.reset();
        crc.update(b, i, 20);
        if ((int) crc.getValue() != intOf(b, i + 20)) {
            return null;
        }
        int payload = intOf(b, i + 4);
        int count = intOf(b, i + 16);
        if (payload < 0 || count < 0) {
            return null;
        }
        return new Group(pos, payload, ((long) intOf(b, i + 8) << 32) | (intOf(b, i + 12) & 0xffffffffL), count);
    }

    /**
     * Checks and decodes the record at {@code p} (at most {@code left} bytes available to it), expected to
     * hold {@code seq}; adds it to {@link #groupEntries}. Returns what is wrong with it, or null.
     */
    private String record(long p, long left, long seq) throws IOException {
        int length = w.intAt(p);
        int sum = w.intAt(p + 4);
        if (length < MIN_RECORD_BYTES || length > MAX_RECORD_BYTES) {
            return "bad length " + length + " in the record of seq " + fmt(seq);
        }
        if (RECORD_HEADER_BYTES + (long) length > left) {
            return "the record of seq " + fmt(seq) + " declares " + length + " bytes, " + (left - RECORD_HEADER_BYTES)
                    + " are there";
        }
        int i = w.fill(p + RECORD_HEADER_BYTES, length);
        byte[] b = w.array();
        crc.reset();
        crc.update(b, i, length);
        if ((int) crc.getValue() != sum) {
            return "checksum mismatch in the record of seq " + fmt(seq);
        }
        ByteReader r = new ByteReader(b, i, length);
        long recorded = r.getLong();
        if (recorded != seq) {
            return "the record holds seq " + fmt(recorded) + " where seq " + fmt(seq) + " belongs";
        }
        try {
            groupEntries.add(new JournalEntry(seq, EventCodec.decode(r)));
        } catch (JournalFormatException e) {
            return "the intact record of seq " + fmt(seq) + " cannot be decoded (" + e.getMessage()
                    + "): written by a newer Palvelurinki, or a bug";
        }
        return null;
    }

    private void deliver(List<JournalEntry> entries, long endPos) {
        for (JournalEntry e : entries) {
            consumer.accept(e);
            records++;
            expected = e.seq() + 1;
            progress.read(bytesBefore + endPos, totalBytes);
        }
        entries.clear();
    }

    /** The next intact group at or after {@code from} that can continue the reading, or -1. */
    private long resyncGroup(long from) throws IOException {
        for (long q = Math.max(from, HEADER_BYTES); q + GROUP_HEADER_BYTES <= size; q++) {
            if (w.byteAt(q) != (GROUP_MAGIC >>> 24)) {
                continue;
            }
            Group g = groupHeader(q);
            if (g != null && g.first() >= expected && g.end() <= size) {
                return q;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------ format 1: records

    private long recordV1(long pos) throws IOException {
        long remaining = size - pos;
        if (remaining < RECORD_HEADER_BYTES) {
            return unreadable(pos, pos, "incomplete record header (" + remaining + " of " + RECORD_HEADER_BYTES + " bytes)",
                    Shape.INCOMPLETE, null);
        }
        int length = w.intAt(pos);
        groupEntries.clear();
        String problem = record(pos, remaining, expected);
        if (problem == null) {
            deliver(groupEntries, pos + RECORD_HEADER_BYTES + length);
            return pos + RECORD_HEADER_BYTES + length;
        }
        boolean validLength = length >= MIN_RECORD_BYTES && length <= MAX_RECORD_BYTES;
        Shape shape = !validLength ? Shape.OTHER
                : RECORD_HEADER_BYTES + (long) length > remaining ? Shape.INCOMPLETE
                : RECORD_HEADER_BYTES + (long) length == remaining && problem.startsWith("checksum") ? Shape.ENDS_FILE
                : Shape.OTHER;
        return unreadable(pos, pos, problem + " (format 1 segment)", shape, null);
    }

    /** The next intact format-1 record at or after {@code from} that can continue the reading, or -1. */
    private long resyncRecord(long from) throws IOException {
        for (long q = from; q + RECORD_HEADER_BYTES + MIN_RECORD_BYTES <= size; q++) {
            int length = w.intAt(q);
            if (length < MIN_RECORD_BYTES || length > MAX_RECORD_BYTES || q + RECORD_HEADER_BYTES + length > size) {
                continue;
            }
            long seq = w.longAt(q + RECORD_HEADER_BYTES);
            if (seq < expected || seq > expected + size) {
                continue;
            }
            int i = w.fill(q + RECORD_HEADER_BYTES, length);
            crc.reset();
            crc.update(w.array(), i, length);
            if ((int) crc.getValue() == w.intAt(q + 4)) {
                return q;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------ deciding: torn or damaged

    private boolean tornShape(long from, Shape shape) throws IOException {
        if (!last) {
            return false;
        }
        if (shape == Shape.INCOMPLETE && lastVersion != JournalFormat.VERSION_1) {
            return true;
        }
        if (w.zeroFrom(from)) {
            return true;
        }
        // Format 1 has no groups: an incomplete or file-ending bad record is torn if nothing intact follows.
        return lastVersion == JournalFormat.VERSION_1 && shape != Shape.OTHER && resyncRecord(from + 1) < 0;
    }

    /**
     * Bytes from {@code from} cannot be read; {@code unitStart} is where their group (or record, or the
     * segment header) starts, {@code g} the group if its header is intact. Returns where reading goes on in
     * this segment, or -1 when it is done with it.
     */
    private long unreadable(long from, long unitStart, String reason, Shape shape, Group g) throws IOException {
        if (from == 0) {
            lastVersion = 0;
        }
        boolean v1 = lastVersion == JournalFormat.VERSION_1;
        if (tornShape(from, shape)) {
            torn = new JournalDamage(seg, unitStart, size - unitStart, reason, expected, g == null ? -1 : g.lastSeq(), true);
            return -1;
        }
        long resume = from == 0 ? -1 : v1 ? resyncRecord(from + 1)
                : resyncGroup(g != null && g.end() <= size ? Math.max(g.end(), from + 1) : from + 1);
        long toSeq;
        if (resume >= 0) {
            toSeq = (v1 ? w.longAt(resume + RECORD_HEADER_BYTES) : groupHeader(resume).first()) - 1;
        } else if (!last) {
            toSeq = nextFirst - 1;
        } else {
            toSeq = g != null && (g.end() >= size || w.zeroFrom(g.end())) ? g.lastSeq() : -1;
        }
        damage(from, (resume >= 0 ? resume : size) - from, reason, toSeq);
        if (toSeq >= 0) {
            expected = toSeq + 1;
        }
        return resume;
    }

    /** Damage at {@code offset}, hiding seq {@link #expected}..{@code toSeq}: noted, or thrown in strict mode. */
    private void damage(long offset, long bytes, String reason, long toSeq) throws JournalCorruptedException {
        JournalDamage d = new JournalDamage(seg, offset, bytes, reason, expected, toSeq, false);
        if (!tolerant) {
            throw new JournalCorruptedException(d, "the journal is damaged: " + d.where() + ". Events from seq "
                    + fmt(expected) + " on may have been acknowledged, so this is not cut as an unfinished write; nothing"
                    + " was changed. `palvelurinki journal check --data " + dir.toAbsolutePath().getParent() + "` shows"
                    + " what is affected; `journal repair` moves the damaged part aside.");
        }
        damage.add(d);
    }

    private static String seqRange(Group g) {
        return g.count() == 0 ? "no records" : g.count() == 1 ? "seq " + fmt(g.first())
                : "seq " + fmt(g.first()) + "–" + fmt(g.lastSeq());
    }

    private static String fmt(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static int intOf(byte[] b, int i) {
        return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }
}
