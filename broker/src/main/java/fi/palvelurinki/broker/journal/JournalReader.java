package fi.palvelurinki.broker.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a journal directory without ever writing to it (docs/journal.md has the format and the damage rules).
 *
 * <p>Two ways: {@link #read} is recovery's — it stops at the first damage with a
 * {@link JournalCorruptedException} naming segment and offset, and reports an unfinished last write without
 * cutting it. {@link #readAround} is the reports' — it reads every intact event, and names in
 * {@link Outcome#damage()} each part it could not read. Both are safe on a journal a server is writing: the
 * last group may then be a write in progress, which they treat like an unfinished one.
 */
public final class JournalReader {
    private JournalReader() {}

    /**
     * Where reading ended.
     *
     * @param lastSeq     the last sequence number read
     * @param records     events read
     * @param lastSegment the last segment file, or null when there is none
     * @param lastVersion the format of the last segment (1 or 2; 0 when its header was unreadable)
     * @param torn        the unfinished last write at the end, or null; never read, and cut by recovery
     * @param damage      the parts that could not be read (only {@link #readAround} returns any)
     */
    public record Outcome(long lastSeq, long records, Path lastSegment, int lastVersion, JournalDamage torn,
            List<JournalDamage> damage) {
        /** Byte offset of the unfinished last write in the last segment, or -1. */
        public long tornAt() {
            return torn == null ? -1 : torn.offset();
        }

        public long tornBytes() {
            return torn == null ? 0 : torn.bytes();
        }
    }

    /** Told after each record how many bytes of the journal's segment files have been read. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (done, total) -> { };

        void read(long bytesDone, long bytesTotal);
    }

    /** Reads every event in order; stops with {@link JournalCorruptedException} at damage. */
    public static Outcome read(Path dir, Consumer<JournalEntry> consumer) throws IOException {
        return read(dir, consumer, Progress.NONE);
    }

    /** As {@link #read(Path, Consumer)}, telling {@code progress} how far it has come (for long analyses). */
    public static Outcome read(Path dir, Consumer<JournalEntry> consumer, Progress progress) throws IOException {
        return JournalScan.run(dir, consumer, progress, false);
    }

    /**
     * Reads every intact event in order, going on past damage; {@link Outcome#damage()} names what could not
     * be read. For reports: they must say what they leave out, never stop at the first bad byte.
     */
    public static Outcome readAround(Path dir, Consumer<JournalEntry> consumer, Progress progress) throws IOException {
        return JournalScan.run(dir, consumer, progress, true);
    }

    /** Everything a reading could not read: its damage, then the unfinished last write if there is one. */
    public static List<JournalDamage> unread(Outcome o) {
        if (o.torn() == null) {
            return o.damage();
        }
        List<JournalDamage> all = new java.util.ArrayList<>(o.damage());
        all.add(o.torn());
        return List.copyOf(all);
    }
}
