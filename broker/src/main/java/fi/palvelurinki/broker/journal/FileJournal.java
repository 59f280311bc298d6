package fi.palvelurinki.broker.journal;

import fi.palvelurinki.broker.BrokerMetrics;
import fi.palvelurinki.broker.journal.WriterHandoff.Batch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

/**
 * The embedded journal: append-only segment files in one directory, written by one thread with group
 * commit. The broker thread hands over batches of events ({@link #append}) and never waits for the disk;
 * the writer encodes everything that has queued up, writes it with one call, fsyncs once, then publishes
 * the new {@link #durableSeq()} and runs the durability listener. Under load one fsync covers many
 * batches, so throughput does not collapse to one fsync per event. Each write is one group (format 2,
 * {@link JournalFormat}): that is what lets recovery tell an unfinished write from damage.
 *
 * <p>One writer per directory, across processes: {@link #open} takes the directory's {@link JournalLock}
 * and {@link #close} releases it. When a write or fsync fails (a full disk), the journal stops for good:
 * the group may be half on disk and nothing may follow it; a restart cuts it.
 */
public final class FileJournal implements Journal {
    private static final Logger LOG = Logger.getLogger(FileJournal.class.getName());
    /** Room for at least the largest record: with less free space the journal is reported as not writable. */
    public static final long MIN_FREE_BYTES = JournalFormat.MAX_RECORD_BYTES;
    /** A group ends after this many bytes even when more is queued: readers hold a group in memory. */
    static final int GROUP_SOFT_LIMIT = 8 << 20;

    public record Options(boolean fsync, long segmentBytes, int pendingBatches) {
        public Options {
            if (segmentBytes < 4096) {
                throw new IllegalArgumentException("segment size must be at least 4096 bytes");
            }
            if (pendingBatches < 1) {
                throw new IllegalArgumentException("pending batches must be positive");
            }
        }

        public static Options defaults() {
            return new Options(true, 64L << 20, 8192);
        }
    }

    private final Path dir;
    private final JournalLock lock;
    private final FileStore store;
    private final Options options;
    private final BrokerMetrics metrics;
    private final WriterHandoff handoff;
    private final Thread writer;
    private volatile long durableSeq;
    private volatile Throwable failure;
    private volatile Runnable durabilityListener = () -> {};
    private long appendedSeq;
    private FileChannel channel;
    private long segmentSize;

    private FileJournal(Path dir, JournalLock lock, Options options, BrokerMetrics metrics, long lastSeq, Path appendTo) {
        this.dir = dir;
        this.lock = lock;
        this.options = options;
        this.metrics = metrics;
        this.handoff = new WriterHandoff(options.pendingBatches());
        this.appendedSeq = lastSeq;
        this.durableSeq = lastSeq;
        FileStore fs = null;
        try {
            fs = Files.getFileStore(dir);
            if (appendTo == null) {
                startSegment(lastSeq + 1);
            } else {
                channel = FileChannel.open(appendTo, StandardOpenOption.WRITE);
                segmentSize = channel.size();
                channel.position(segmentSize);
            }
        } catch (IOException e) {
            // Recovery has read everything; the server can still run, answer unavailable and say why.
            LOG.log(Level.SEVERE, "journal: cannot write in " + dir + "; nothing will be acknowledged", e);
            failure = e;
        }
        this.store = fs;
        this.writer = new Thread(this::writeLoop, "journal-writer");
        this.writer.setDaemon(true);
        handoff.writer(writer);
    }

    /**
     * Opens (creating if needed) the journal in {@code dir}: takes the directory's writer lock (or fails at
     * once with {@link JournalLockedException} naming the holder), feeds every recorded event to
     * {@code replay}, cuts an unfinished last write, and starts the writer. Damage stops the opening with
     * {@link JournalCorruptedException}. A journal that cannot be written (no space for a new segment, say)
     * opens all the same, with {@link #failure()} set: the caller decides how to run without it.
     *
     * @param clock tells the lock's holder record since when this process writes
     */
    public static FileJournal open(Path dir, InstantSource clock, Options options, BrokerMetrics metrics,
            Consumer<JournalEntry> replay) throws IOException {
        JournalLock lock = JournalLock.acquire(dir, clock);
        try {
            return open(dir, lock, options, metrics, replay);
        } catch (IOException | RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    private static FileJournal open(Path dir, JournalLock lock, Options options, BrokerMetrics metrics,
            Consumer<JournalEntry> replay) throws IOException {
        JournalReader.Outcome outcome = JournalReader.read(dir, replay);
        Path last = outcome.lastSegment();
        if (outcome.torn() != null) {
            JournalDamage t = outcome.torn();
            LOG.warning(() -> "journal: cutting " + t.describe());
            if (t.offset() < JournalFormat.HEADER_BYTES) {
                Files.delete(last);
                JournalFormat.fsyncDirectory(dir);
                last = null;
            } else {
                try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
                    ch.truncate(t.offset());
                    ch.force(true);
                }
            }
        }
        if (last != null && outcome.lastVersion() == JournalFormat.VERSION_1) {
            // Groups never follow format-1 records in one segment: a new segment starts, or, when the old
            // one holds no record (the new one would have its name), its header is rewritten.
            if (JournalFormat.firstSeqOf(last) == outcome.lastSeq() + 1) {
                try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
                    ch.write(JournalFormat.segmentHeader(outcome.lastSeq() + 1), 0);
                    ch.truncate(JournalFormat.HEADER_BYTES);
                    ch.force(true);
                }
            } else {
                last = null;
            }
        }
        FileJournal journal = new FileJournal(dir, lock, options, metrics == null ? BrokerMetrics.NONE : metrics,
                outcome.lastSeq(), last);
        if (journal.failure == null) {
            journal.writer.start();
        }
        return journal;
    }

    /** The free space for the journal on its file system, in bytes; -1 when it cannot be told. */
    @Override
    public long freeBytes() {
        if (store == null) {
            return -1;
        }
        try {
            return store.getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Null when the journal can be written; else why not (a failed write, or too little free space left). */
    @Override
    public String notWritable() {
        Throwable f = failure;
        if (f != null) {
            return "the journal cannot be written: " + (f.getMessage() == null ? f.toString() : f.getMessage());
        }
        long free = freeBytes();
        if (free >= 0 && free < MIN_FREE_BYTES) {
            return "the journal's file system has " + free + " bytes free, less than " + MIN_FREE_BYTES
                    + ": the next writes would fail";
        }
        return null;
    }

    /** The sequence number of the last event handed to {@link #append}. */
    @Override
    public long appendedSeq() {
        return appendedSeq;
    }

    /** Every event up to this sequence number is on disk (fsynced when fsync is on). */
    @Override
    public long durableSeq() {
        return durableSeq;
    }

    /** Non-null once a write failed; nothing after that failure becomes durable. */
    @Override
    public Throwable failure() {
        return failure;
    }

    @Override
    public boolean fsync() {
        return options.fsync();
    }

    /** Runs on the writer thread after each group commit; must not block. */
    @Override
    public void onDurable(Runnable listener) {
        this.durabilityListener = Objects.requireNonNull(listener);
    }

    /**
     * Queues events for writing, numbered {@code appendedSeq()+1} onwards. Called by one thread (the
     * broker's), which hands over the list and must not change it afterwards. Waits only when the
     * writer is {@code pendingBatches} behind: that is back-pressure.
     */
    @Override
    public long append(List<DomainEvent> events) {
        if (events.isEmpty()) {
            return appendedSeq;
        }
        if (failure != null) {
            throw new IllegalStateException("journal failed earlier", failure);
        }
        handoff.put(new Batch(appendedSeq + 1, events), () -> failure);
        appendedSeq += events.size();
        return appendedSeq;
    }

    private void writeLoop() {
        ByteWriter out = new ByteWriter(1 << 16);
        CRC32C crc = new CRC32C();
        boolean stopping = false;
        while (!stopping) {
            try {
                out.reset();
                out.position(JournalFormat.GROUP_HEADER_BYTES);
                long first = -1;
                long seq = -1;
                int count = 0;
                for (Batch b = handoff.take(); b != null; b = out.position() < GROUP_SOFT_LIMIT ? handoff.poll() : null) {
                    if (b == WriterHandoff.STOP) {
                        stopping = true;
                        break;
                    }
                    if (first < 0) {
                        first = b.firstSeq();
                        seq = first;
                    }
                    for (DomainEvent e : b.events()) {
                        encode(out, crc, seq++, e);
                        count++;
                    }
                }
                if (count == 0) {
                    continue;
                }
                JournalFormat.putGroupHeader(out, 0, out.position() - JournalFormat.GROUP_HEADER_BYTES, first, count, crc);
                if (segmentSize >= options.segmentBytes()) {
                    channel.force(true);
                    channel.close();
                    startSegment(first);
                }
                long t0 = System.nanoTime();
                ByteBuffer buf = ByteBuffer.wrap(out.array(), 0, out.position());
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
                segmentSize += out.position();
                if (options.fsync()) {
                    channel.force(false);
                }
                metrics.journalSynced(count, out.position(), System.nanoTime() - t0);
                durableSeq = seq - 1;
                durabilityListener.run();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.SEVERE, "journal write failed; no further event will be acknowledged", e);
                failure = e;
                durabilityListener.run();
                return;
            }
        }
    }

    private static void encode(ByteWriter out, CRC32C crc, long seq, DomainEvent e) {
        int start = out.position();
        out.putInt(0);
        out.putInt(0);
        out.putLong(seq);
        EventCodec.encode(e, out);
        int length = out.position() - start - JournalFormat.RECORD_HEADER_BYTES;
        if (length > JournalFormat.MAX_RECORD_BYTES) {
            throw new IllegalStateException("event " + e.type() + " at seq " + seq + " encodes to " + length
                    + " bytes, over the record limit");
        }
        crc.reset();
        crc.update(out.array(), start + JournalFormat.RECORD_HEADER_BYTES, length);
        out.putIntAt(start, length);
        out.putIntAt(start + 4, (int) crc.getValue());
    }

    private void startSegment(long firstSeq) throws IOException {
        Path p = dir.resolve(JournalFormat.segmentName(firstSeq));
        channel = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ByteBuffer header = JournalFormat.segmentHeader(firstSeq);
        while (header.hasRemaining()) {
            channel.write(header);
        }
        channel.force(true);
        JournalFormat.fsyncDirectory(dir);
        segmentSize = JournalFormat.HEADER_BYTES;
    }

    public Path directory() {
        return dir;
    }

    @Override
    public String describe() {
        return dir.toString();
    }

    /** Writes and syncs everything appended so far, stops the writer and releases the directory's lock. */
    @Override
    public void close() {
        if (writer.isAlive()) {
            try {
                handoff.put(WriterHandoff.STOP, () -> failure);
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IllegalStateException writerGone) {
                // the writer failed earlier; there is nothing left to flush
            }
        }
        try {
            if (channel != null && channel.isOpen()) {
                channel.force(true);
                channel.close();
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "journal: the last sync at close failed", e);
        } finally {
            try {
                lock.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "journal: releasing the writer lock failed", e);
            }
        }
    }
}
