package fi.palvelurinki.broker.journal;

import fi.palvelurinki.broker.BrokerMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Moves a journal between the backends: a file journal into an empty PostgreSQL one, or back into an
 * empty directory. Neither may be written meanwhile: the copy holds the directory's lock and the
 * database's lease throughout. Afterwards both are read again side by side and compared record by
 * record (number and encoded bytes); the first difference is named.
 */
public final class JournalCopy {
    private static final int BATCH = 8192;
    private static final JournalEntry END = new JournalEntry(-1, null);

    /** What was copied: the number of events, which is also the last sequence number. */
    public record Result(long events) {}

    private JournalCopy() {}

    /**
     * Copies the file journal in {@code dir} into the PostgreSQL journal at {@code url}, which must hold no
     * event yet. An unfinished last write in the files is left behind (it was never acknowledged);
     * damage stops the copy before anything is committed in the database.
     */
    public static Result fileToPostgres(Path dir, String url, String holder, InstantSource clock) throws IOException {
        try (JournalLock lock = JournalLock.acquire(dir, clock)) {
            // Read all once strictly first: damage must stop the copy before anything is written.
            JournalReader.Outcome check = JournalReader.read(dir, e -> { });
            PostgresJournal target = PostgresJournal.open(PostgresJournal.Options.of(url, holder, null), BrokerMetrics.NONE,
                    e -> { });
            try {
                if (target.appendedSeq() != 0) {
                    throw new IOException("the journal " + target.describe() + " already holds " + target.appendedSeq()
                            + " events; copy only into an empty one");
                }
                Batcher b = new Batcher(target);
                JournalReader.read(dir, b);
                b.flush();
            } finally {
                target.close();
            }
            if (target.failure() != null) {
                throw new IOException("writing " + target.describe() + " failed: " + target.failure().getMessage(),
                        target.failure());
            }
            verify(new JournalSource.Directory(dir), new JournalSource.Postgres(url), check.lastSeq());
            return new Result(check.lastSeq());
        }
    }

    /** Copies the PostgreSQL journal at {@code url} into {@code dir}, which must hold no journal yet. */
    public static Result postgresToFile(String url, Path dir, String holder, InstantSource clock) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                if (files.anyMatch(p -> p.getFileName().toString().endsWith(".journal"))) {
                    throw new IOException(dir + " already holds a journal; copy only into an empty directory");
                }
            }
        }
        long last;
        try (FileJournal target = FileJournal.open(dir, clock, FileJournal.Options.defaults(), BrokerMetrics.NONE, e -> { })) {
            Batcher b = new Batcher(target);
            // Opening takes the lease: no node writes the database while it is copied.
            PostgresJournal source = PostgresJournal.open(PostgresJournal.Options.of(url, holder, null), BrokerMetrics.NONE,
                    b);
            last = source.appendedSeq();
            source.close();
            b.flush();
            target.close();
            if (target.failure() != null) {
                throw new IOException("writing " + dir + " failed: " + target.failure().getMessage(), target.failure());
            }
        }
        verify(new JournalSource.Postgres(url), new JournalSource.Directory(dir), last);
        return new Result(last);
    }

    /** Hands the events to a journal in batches, checking each keeps its number. */
    private static final class Batcher implements Consumer<JournalEntry> {
        private final Journal target;
        private List<DomainEvent> batch = new ArrayList<>(BATCH);
        private long expected = 1;

        Batcher(Journal target) {
            this.target = target;
        }

        @Override
        public void accept(JournalEntry e) {
            if (e.seq() != expected++) {
                throw new IllegalStateException("seq " + e.seq() + " where " + (expected - 1) + " was expected");
            }
            batch.add(e.event());
            if (batch.size() == BATCH) {
                flush();
            }
        }

        void flush() {
            if (!batch.isEmpty()) {
                target.append(batch);
                batch = new ArrayList<>(BATCH);
            }
        }
    }

    /**
     * Reads both journals side by side and compares every record: same number, same bytes. The source is
     * read on another thread through a bounded queue, so neither is held in memory whole.
     */
    static void verify(JournalSource source, JournalSource target, long events) throws IOException {
        BlockingQueue<JournalEntry> queue = new ArrayBlockingQueue<>(BATCH);
        IOException[] failed = {null};
        Thread reader = new Thread(() -> {
            try {
                source.readAround(JournalCopy.put(queue), JournalReader.Progress.NONE);
            } catch (IOException | RuntimeException e) {
                failed[0] = e instanceof IOException io ? io : new IOException(e);
            } finally {
                put(queue).accept(END);
            }
        }, "journal-copy-verify");
        reader.setDaemon(true);
        reader.start();
        ByteWriter w1 = new ByteWriter(1 << 12);
        ByteWriter w2 = new ByteWriter(1 << 12);
        long[] compared = {0};
        String[] difference = {null};
        JournalReader.Outcome read = target.readAround(t -> {
            if (difference[0] != null) {
                return;
            }
            JournalEntry s = take(queue);
            if (s == END) {
                difference[0] = "the copy has seq " + t.seq() + " after the original's last, " + compared[0];
            } else if (s.seq() != t.seq()
                    || !Arrays.equals(PostgresJournal.encode(s.event(), w1), PostgresJournal.encode(t.event(), w2))) {
                difference[0] = "seq " + s.seq() + " of the original differs from seq " + t.seq() + " of the copy";
            } else {
                compared[0]++;
            }
        }, JournalReader.Progress.NONE);
        if (difference[0] == null) {
            JournalEntry s = take(queue);
            if (s != END) {
                difference[0] = "the copy ends at seq " + compared[0] + " but the original goes on at seq " + s.seq();
            }
        }
        reader.interrupt();
        if (failed[0] != null) {
            throw failed[0];
        }
        if (difference[0] == null && (!read.damage().isEmpty() || compared[0] != events)) {
            difference[0] = "the copy has " + compared[0] + " readable events of " + events;
        }
        if (difference[0] != null) {
            throw new IOException("the copy does not match the original: " + difference[0] + " (" + source.describe()
                    + " -> " + target.describe() + ")");
        }
    }

    private static Consumer<JournalEntry> put(BlockingQueue<JournalEntry> q) {
        return e -> {
            try {
                q.put(e);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("verification stopped");
            }
        };
    }

    private static JournalEntry take(BlockingQueue<JournalEntry> q) {
        try {
            return q.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while verifying", e);
        }
    }

}
