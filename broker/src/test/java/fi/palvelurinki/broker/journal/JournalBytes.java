package fi.palvelurinki.broker.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/** Builds real journals and damages them byte by byte, for the damage tests. */
public final class JournalBytes {
    /** One group as it lies in a segment. */
    public record Group(long offset, int payload, long firstSeq, int count) {
        public long end() {
            return offset + JournalFormat.GROUP_HEADER_BYTES + payload;
        }

        public long lastSeq() {
            return firstSeq + count - 1;
        }

        public long recordsAt() {
            return offset + JournalFormat.GROUP_HEADER_BYTES;
        }
    }

    public static final InstantSource CLOCK = InstantSource.fixed(JournalTest.T);

    private JournalBytes() {}

    /**
     * Writes {@code groups} groups of {@code perGroup} events each (every write waits for the one before, so
     * each is its own group commit) with segments of {@code segmentBytes}.
     */
    public static void write(Path dir, int groups, int perGroup, long segmentBytes) throws IOException {
        List<DomainEvent> kinds = JournalTest.everyKind();
        try (FileJournal j = FileJournal.open(dir, CLOCK, new FileJournal.Options(false, segmentBytes, 16), null, e -> {})) {
            Object durable = new Object();
            j.onDurable(() -> {
                synchronized (durable) {
                    durable.notifyAll();
                }
            });
            int k = 0;
            for (int g = 0; g < groups; g++) {
                List<DomainEvent> batch = new ArrayList<>();
                for (int i = 0; i < perGroup; i++) {
                    batch.add(kinds.get(k++ % kinds.size()));
                }
                long seq = j.append(batch);
                synchronized (durable) {
                    while (j.durableSeq() < seq && j.failure() == null) {
                        try {
                            durable.wait();
                        } catch (InterruptedException e) {
                            throw new java.io.InterruptedIOException();
                        }
                    }
                }
            }
        }
    }

    public static List<Path> segments(Path dir) throws IOException {
        return JournalFormat.segments(dir);
    }

    public static List<Group> groups(Path segment) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(segment));
        List<Group> out = new ArrayList<>();
        int pos = JournalFormat.HEADER_BYTES;
        while (pos + JournalFormat.GROUP_HEADER_BYTES <= b.limit()) {
            assertThat(b.getInt(pos)).as("a group at " + pos).isEqualTo(JournalFormat.GROUP_MAGIC);
            Group g = new Group(pos, b.getInt(pos + 4), b.getLong(pos + 8), b.getInt(pos + 16));
            out.add(g);
            pos = (int) g.end();
        }
        return out;
    }

    /** Offsets of the records of {@code g}. */
    public static List<Long> records(Path segment, Group g) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(segment));
        List<Long> out = new ArrayList<>();
        long p = g.recordsAt();
        for (int i = 0; i < g.count(); i++) {
            out.add(p);
            p += JournalFormat.RECORD_HEADER_BYTES + b.getInt((int) p);
        }
        return out;
    }

    public static void xor(Path file, long offset, int mask) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ mask)).rewind();
            ch.write(b, offset);
            ch.force(true);
        }
    }

    public static void writeAt(Path file, long offset, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), offset);
        }
    }

    public static void append(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(bytes));
        }
    }

    public static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    public static byte[] slice(Path file, long from, long to) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return java.util.Arrays.copyOfRange(all, (int) from, (int) to);
    }

    /** Rewrites a record's checksum after its bytes were changed on purpose (an intact but odd record). */
    public static void resum(Path file, long recordAt) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all);
        int length = b.getInt((int) recordAt);
        CRC32C crc = new CRC32C();
        crc.update(all, (int) recordAt + JournalFormat.RECORD_HEADER_BYTES, length);
        b.putInt((int) recordAt + 4, (int) crc.getValue());
        Files.write(file, all);
    }

    /** Every byte of every file in {@code dir}, to show that nothing was changed. */
    public static List<String> snapshot(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                if (p.getFileName().toString().endsWith(JournalFormat.SUFFIX)) {
                    out.add(p.getFileName() + ":" + java.util.Arrays.hashCode(Files.readAllBytes(p)) + ":" + Files.size(p));
                }
            }
        }
        return out;
    }
}
