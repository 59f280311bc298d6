package fi.palvelurinki.broker.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * The journal's file layout (docs/journal.md). A segment is named by the sequence number of its first
 * record and starts with a 16-byte header: magic {@code PRJ1}, format version, first seq.
 *
 * <p>Format 2 frames each group commit (one write, one fsync) as a group: a 24-byte header (magic
 * {@code PRGC}, payload bytes, first seq, record count, crc32c of those 20 bytes) and then exactly that many
 * records. The framing is what lets recovery tell a torn write from damage: a group is acknowledged only
 * after all of it is on disk, so only a group that is provably incomplete may be cut. Format 1 (before
 * the framing) had records only; its segments are still read.
 *
 * <p>A record is {@code [int length][int crc32c][long seq][event]}; length and checksum cover seq and event.
 */
final class JournalFormat {
    static final int MAGIC = 0x50524a31; // "PRJ1"
    static final int VERSION_1 = 1;
    static final int VERSION = 2;
    static final int HEADER_BYTES = 16;
    static final int GROUP_MAGIC = 0x50524743; // "PRGC"
    static final int GROUP_HEADER_BYTES = 24;
    static final int RECORD_HEADER_BYTES = 8;
    /** seq (8) and the event's type tag (1): no record is shorter. */
    static final int MIN_RECORD_BYTES = 9;
    static final int MAX_RECORD_BYTES = 1 << 20;
    static final String SUFFIX = ".journal";

    private JournalFormat() {}

    static String segmentName(long firstSeq) {
        return String.format(Locale.ROOT, "%020d%s", firstSeq, SUFFIX);
    }

    /** The segment files of {@code dir} in order; a {@code *.journal} file not named like one is damage. */
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

    static long firstSeqOf(Path p) throws JournalCorruptedException {
        String name = p.getFileName().toString();
        String digits = name.substring(0, name.length() - SUFFIX.length());
        if (digits.length() != 20 || !digits.chars().allMatch(Character::isDigit)) {
            throw new JournalCorruptedException("unexpected file " + name + " in the journal directory " + p.getParent()
                    + ": only segments (20 digits + .journal) belong there; move it elsewhere");
        }
        return Long.parseLong(digits);
    }

    private static long firstSeqOfUnchecked(Path p) {
        String name = p.getFileName().toString();
        return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
    }

    static ByteBuffer segmentHeader(long firstSeq) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.putInt(MAGIC).putInt(VERSION).putLong(firstSeq).flip();
        return header;
    }

    /** Fills in the group header at {@code at} of {@code out}, whose payload (the records) follows it. */
    static void putGroupHeader(ByteWriter out, int at, int payloadBytes, long firstSeq, int count, CRC32C crc) {
        out.putIntAt(at, GROUP_MAGIC);
        out.putIntAt(at + 4, payloadBytes);
        out.putIntAt(at + 8, (int) (firstSeq >>> 32));
        out.putIntAt(at + 12, (int) firstSeq);
        out.putIntAt(at + 16, count);
        crc.reset();
        crc.update(out.array(), at, 20);
        out.putIntAt(at + 20, (int) crc.getValue());
    }

    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
