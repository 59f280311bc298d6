package fi.palvelurinki.broker.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The operator's tools for a damaged journal: {@link #examine} says what is damaged and what a repair would
 * drop (reading only); {@link #repair} moves the damaged part aside — never deleting a byte — so that the
 * server starts again on the journal up to the damage.
 *
 * <p>A repair keeps the journal a prefix of its history: from the first damaged group on, everything moves
 * aside, intact groups after the damage included. Replaying events after a gap would apply changes whose
 * causes are missing (an accepted offer for a request never queued), so they are not kept in place; they
 * stay readable in the moved files.
 */
public final class JournalRepair {
    static final String ASIDE = "journal-damaged";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private JournalRepair() {}

    /**
     * What a journal holds and what a repair would do to it.
     *
     * @param read       every event that can be read, and every part that cannot
     * @param damage     the damage that stops the server's start (the first), or null when it would start
     * @param cutFromSeq the first seq a repair drops (the first of the damaged group), or -1
     * @param dropped    intact events a repair moves aside with the damage, by event type
     * @param droppedTo  the last seq a repair drops, or -1 when the journal's end cannot be read
     */
    public record Examination(JournalReader.Outcome read, JournalDamage damage, long cutFromSeq,
            Map<String, Long> dropped, long droppedTo) {
        public boolean sound() {
            return damage == null;
        }

        public long droppedIntact() {
            return dropped.values().stream().mapToLong(Long::longValue).sum();
        }

        /** The unreadable parts a repair moves aside. */
        public List<JournalDamage> unreadable() {
            return read.damage().stream().filter(d -> d.toSeq() < 0 || d.toSeq() >= cutFromSeq).toList();
        }

        /** "seq 122–150 (29 events)" or "seq 122 onwards". */
        public String droppedSeqs() {
            return new JournalDamage(damage.segment(), 0, 0, "", cutFromSeq, droppedTo, false).seqs();
        }
    }

    /** What a repair did. */
    public record Result(Examination examination, Path aside, List<String> moved, long lastSeq) {}

    /** Reads {@code dir} without writing anything; a stray file in it is a {@link JournalCorruptedException}. */
    public static Examination examine(Path dir) throws IOException {
        JournalDamage damage = null;
        try {
            JournalReader.read(dir, e -> { });
        } catch (JournalCorruptedException e) {
            if (e.damage() == null) {
                throw e;
            }
            damage = e.damage();
        }
        long cut = damage == null ? Long.MAX_VALUE : damage.fromSeq();
        Map<String, Long> dropped = new TreeMap<>();
        long[] last = {-1};
        JournalReader.Outcome read = JournalReader.readAround(dir, e -> {
            if (e.seq() >= cut) {
                dropped.merge(e.event().getClass().getSimpleName(), 1L, Long::sum);
                last[0] = Math.max(last[0], e.seq());
            }
        }, JournalReader.Progress.NONE);
        if (damage == null) {
            return new Examination(read, null, -1, Map.of(), -1);
        }
        long to = Math.max(last[0], damage.toSeq());
        for (JournalDamage d : read.damage()) {
            if (d.toSeq() < 0) {
                to = -1;
                break;
            }
            to = Math.max(to, d.toSeq());
        }
        return new Examination(read, damage, cut, dropped, to);
    }

    /**
     * Takes the journal's writer lock (so never while a server runs), and moves everything from the first
     * damaged group on into {@code DATA/journal-damaged/<UTC time>/}, with a README saying what it is. Returns
     * null when there is nothing to repair.
     */
    public static Result repair(Path dir, InstantSource clock) throws IOException {
        try (JournalLock lock = JournalLock.acquire(dir, clock)) {
            Examination x = examine(dir);
            if (x.sound()) {
                return null;
            }
            Path segment = x.damage().segment();
            long cut = x.damage().offset() < JournalFormat.HEADER_BYTES ? 0 : groupStart(segment, x.damage().offset());
            Path aside = asideDir(dir, clock);
            List<String> moved = new ArrayList<>();
            if (cut == 0) {
                move(segment, aside, moved);
            } else {
                // The tail keeps its bytes exactly, behind a segment header of its own: the moved part is a
                // journal segment that `journal check` can read.
                Path copy = aside.resolve(JournalFormat.segmentName(x.cutFromSeq()));
                long bytes = copyTail(segment, cut, x.cutFromSeq(), copy);
                moved.add(String.format(Locale.ROOT, "%s from offset %,d (%,d bytes) -> %s (after a %d-byte segment"
                        + " header)", segment.getFileName(), cut, bytes, copy.getFileName(), JournalFormat.HEADER_BYTES));
                try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
                    ch.truncate(cut);
                    ch.force(true);
                }
            }
            for (Path later : JournalFormat.segments(dir)) {
                if (JournalFormat.firstSeqOf(later) > JournalFormat.firstSeqOf(segment)) {
                    move(later, aside, moved);
                }
            }
            Files.writeString(aside.resolve("README.txt"), readme(dir, x, moved), StandardCharsets.UTF_8);
            JournalFormat.fsyncDirectory(aside);
            JournalFormat.fsyncDirectory(dir);
            long lastSeq = JournalReader.read(dir, e -> { }).lastSeq();
            return new Result(x, aside, List.copyOf(moved), lastSeq);
        }
    }

    /** The start of the group (or format-1 record) holding {@code offset}: the journal is cut there. */
    private static long groupStart(Path segment, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
            ByteWindow w = new ByteWindow(ch, ch.size());
            if (w.intAt(4) == JournalFormat.VERSION_1) {
                return offset;
            }
            long pos = JournalFormat.HEADER_BYTES;
            while (pos < offset) {
                long end = pos + JournalFormat.GROUP_HEADER_BYTES + w.intAt(pos + 4);
                if (end > offset) {
                    return pos;
                }
                pos = end;
            }
            return pos;
        }
    }

    private static Path asideDir(Path dir, InstantSource clock) throws IOException {
        Path parent = dir.toAbsolutePath().getParent().resolve(ASIDE);
        String stamp = STAMP.format(clock.instant());
        Path aside = parent.resolve(stamp);
        for (int n = 2; Files.exists(aside); n++) {
            aside = parent.resolve(stamp + "-" + n);
        }
        Files.createDirectories(aside);
        JournalFormat.fsyncDirectory(parent);
        return aside;
    }

    private static void move(Path segment, Path aside, List<String> moved) throws IOException {
        long size = Files.size(segment);
        Files.move(segment, aside.resolve(segment.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        moved.add(String.format(Locale.ROOT, "%s (%,d bytes)", segment.getFileName(), size));
    }

    private static long copyTail(Path segment, long from, long firstSeq, Path copy) throws IOException {
        try (FileChannel in = FileChannel.open(segment, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer header = JournalFormat.segmentHeader(firstSeq);
            ByteBuffer version = ByteBuffer.allocate(4);
            in.read(version, 4);
            header.putInt(4, version.getInt(0));
            while (header.hasRemaining()) {
                out.write(header);
            }
            long size = in.size();
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            for (long p = from; p < size; ) {
                buf.clear();
                int n = in.read(buf, p);
                buf.flip();
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
                p += n;
            }
            out.force(true);
            return size - from;
        }
    }

    private static String readme(Path dir, Examination x, List<String> moved) {
        StringBuilder b = new StringBuilder();
        b.append("Moved aside from ").append(dir.toAbsolutePath()).append(" by `palvelurinki journal repair`.\n\n");
        b.append("Damage that stopped the server: ").append(x.damage().where()).append("\n");
        b.append("Sequence numbers dropped from the journal: ").append(x.droppedSeqs()).append("\n\n");
        b.append("Files here:\n");
        for (String m : moved) {
            b.append("  ").append(m).append("\n");
        }
        b.append("\nThey are journal segments: to read the intact events among them, copy them into a directory\n"
                + "named journal and run `palvelurinki journal check --data` on its parent (or `report`); it names the\n"
                + "sequence numbers before them as missing, since those stayed in the journal.\n");
        return b.toString();
    }
}
