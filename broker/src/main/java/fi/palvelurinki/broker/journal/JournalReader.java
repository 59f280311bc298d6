package fi.palvelurinki.broker.journal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Reads a journal directory. Segment files are named by the sequence number of their first record;
 * each starts with a 16-byte header (magic {@code PRJ1}, format version, first seq) followed by records
 * {@code [int length][int crc32c][long seq][event]}, where length and checksum cover seq and event.
 *
 * <p>Damage handling: only the end of the last segment can be torn by a crash during a write. A last
 * record that is incomplete, or zero-filled, or is the final bytes of the file with a bad checksum, is
 * a torn write and is reported (and cut by {@link FileJournal#open}). Any other damage — a bad record
 * followed by more data, a gap in sequence numbers, damage in an earlier segment — is a
 * {@link JournalCorruptedException}: nothing is silently skipped.
 */
public final class JournalReader {
    static final int MAGIC = 0x50524a31; // "PRJ1"
    static final int VERSION = 1;
    static final int HEADER_BYTES = 16;
    static final int RECORD_HEADER_BYTES = 8;
    static final int MAX_RECORD_BYTES = 1 << 20;
    static final String SUFFIX = ".journal";

    private JournalReader() {}

    /** Where reading stopped. {@code tornAt} is the byte offset of a torn tail in the last segment, or -1. */
    public record Outcome(long lastSeq, long records, Path lastSegment, long tornAt, long tornBytes) {}

    /** Told after each record how many bytes of the journal's segment files have been read. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (done, total) -> { };

        void read(long bytesDone, long bytesTotal);
    }

    /** Reads every intact record in order. A torn tail ends the reading and is reported, not cut. */
    public static Outcome read(Path dir, Consumer<JournalEntry> consumer) throws IOException {
        return read(dir, consumer, Progress.NONE);
    }

    /** As {@link #read(Path, Consumer)}, telling {@code progress} how far it has come (for long analyses). */
    public static Outcome read(Path dir, Consumer<JournalEntry> consumer, Progress progress) throws IOException {
        List<Path> segments = segments(dir);
        long totalBytes = 0;
        for (Path seg : segments) {
            totalBytes += Files.size(seg);
        }
        long bytesBefore = 0;
        long expected = 1;
        long records = 0;
        for (int i = 0; i < segments.size(); i++) {
            Path seg = segments.get(i);
            boolean last = i == segments.size() - 1;
            long first = firstSeqOf(seg);
            if (first != expected) {
                throw new JournalCorruptedException("segment " + seg.getFileName() + " starts at seq " + first
                        + " but seq " + expected + " was expected (missing or extra segment)");
            }
            long size = Files.size(seg);
            try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.READ);
                    DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(ch), 1 << 16))) {
                if (size < HEADER_BYTES) {
                    if (last) {
                        return new Outcome(expected - 1, records, seg, 0, size);
                    }
                    throw new JournalCorruptedException("segment " + seg.getFileName() + " is shorter than its header");
                }
                int magic = in.readInt();
                int version = in.readInt();
                long headerFirst = in.readLong();
                if (magic != MAGIC || version != VERSION || headerFirst != first) {
                    throw new JournalCorruptedException("segment " + seg.getFileName() + " has a bad header (magic "
                            + Integer.toHexString(magic) + ", version " + version + ", first seq " + headerFirst + ")");
                }
                long offset = HEADER_BYTES;
                byte[] buf = new byte[4096];
                CRC32C crc = new CRC32C();
                while (offset < size) {
                    long remaining = size - offset;
                    String damage = null;
                    int length = 0;
                    if (remaining < RECORD_HEADER_BYTES) {
                        damage = "incomplete record header";
                    } else {
                        length = in.readInt();
                        int sum = in.readInt();
                        if (length < 9 || length > MAX_RECORD_BYTES) {
                            damage = "bad record length " + length;
                        } else if (RECORD_HEADER_BYTES + (long) length > remaining) {
                            damage = "incomplete record (" + length + " bytes declared, "
                                    + (remaining - RECORD_HEADER_BYTES) + " present)";
                        } else {
                            if (buf.length < length) {
                                buf = new byte[Math.max(length, buf.length * 2)];
                            }
                            in.readFully(buf, 0, length);
                            crc.reset();
                            crc.update(buf, 0, length);
                            if ((int) crc.getValue() != sum) {
                                damage = "checksum mismatch";
                                if (RECORD_HEADER_BYTES + (long) length < remaining) {
                                    throw corrupt(seg, offset, damage, remaining);
                                }
                            }
                        }
                    }
                    if (damage != null) {
                        boolean tornTail = last && (damage.startsWith("incomplete") || damage.startsWith("checksum")
                                || zeroFilled(seg, offset));
                        if (!tornTail) {
                            throw corrupt(seg, offset, damage, remaining);
                        }
                        return new Outcome(expected - 1, records, seg, offset, remaining);
                    }
                    ByteReader r = new ByteReader(buf, 0, length);
                    long seq = r.getLong();
                    if (seq != expected) {
                        throw new JournalCorruptedException("segment " + seg.getFileName() + " offset " + offset
                                + ": record has seq " + seq + " but " + expected + " was expected");
                    }
                    DomainEvent event;
                    try {
                        event = EventCodec.decode(r);
                    } catch (JournalFormatException e) {
                        throw new JournalCorruptedException("segment " + seg.getFileName() + " offset " + offset
                                + " seq " + seq + ": " + e.getMessage());
                    }
                    consumer.accept(new JournalEntry(seq, event));
                    records++;
                    expected++;
                    offset += RECORD_HEADER_BYTES + length;
                    progress.read(bytesBefore + offset, totalBytes);
                }
                bytesBefore += size;
            } catch (EOFException e) {
                throw new JournalCorruptedException("segment " + seg.getFileName() + " changed while being read");
            }
        }
        return new Outcome(expected - 1, records, segments.isEmpty() ? null : segments.get(segments.size() - 1), -1, 0);
    }

    private static JournalCorruptedException corrupt(Path seg, long offset, String damage, long remaining) {
        return new JournalCorruptedException("segment " + seg.getFileName() + " offset " + offset + ": " + damage
                + ", with " + remaining + " bytes from there to the end of the segment; this is not a torn last write."
                + " Refusing to start: restore the journal from a copy, or move the damaged segment away knowingly.");
    }

    private static boolean zeroFilled(Path seg, long from) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(seg))) {
            in.skipNBytes(from);
            int b;
            while ((b = in.read()) != -1) {
                if (b != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    static List<Path> segments(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path p : ds) {
                firstSeqOf(p);
                out.add(p);
            }
        }
        out.sort((a, b) -> Long.compare(firstSeqOfUnchecked(a), firstSeqOfUnchecked(b)));
        return out;
    }

    static String segmentName(long firstSeq) {
        return String.format(java.util.Locale.ROOT, "%020d%s", firstSeq, SUFFIX);
    }

    private static long firstSeqOf(Path p) throws JournalCorruptedException {
        String name = p.getFileName().toString();
        String digits = name.substring(0, name.length() - SUFFIX.length());
        if (digits.length() != 20 || !digits.chars().allMatch(Character::isDigit)) {
            throw new JournalCorruptedException("unexpected file " + name + " in the journal directory");
        }
        return Long.parseLong(digits);
    }

    private static long firstSeqOfUnchecked(Path p) {
        String name = p.getFileName().toString();
        return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
    }
}
