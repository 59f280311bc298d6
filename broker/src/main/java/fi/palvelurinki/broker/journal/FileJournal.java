package fi.palvelurinki.broker.journal;

import fi.palvelurinki.broker.BrokerMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32C;
import org.jctools.queues.SpscArrayQueue;

/**
 * The embedded journal: append-only segment files in one directory, written by one thread with group
 * commit. The broker thread hands over batches of events ({@link #append}) and never waits for the disk;
 * the writer encodes everything that has queued up, writes it with one call, fsyncs once, then publishes
 * the new {@link #durableSeq()} and runs the durability listener. Under load one fsync covers many
 * batches, so throughput does not collapse to one fsync per event.
 */
public final class FileJournal implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FileJournal.class.getName());

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

    private record Batch(long firstSeq, List<DomainEvent> events) {}

    private static final Batch STOP = new Batch(-1, List.of());

    private final Path dir;
    private final Options options;
    private final BrokerMetrics metrics;
    /** From the broker thread to the writer: lock-free, so handing over a round costs no syscall under load. */
    private final SpscArrayQueue<Batch> pending;
    private volatile boolean writerSleeping;
    private final Thread writer;
    private volatile long durableSeq;
    private volatile Throwable failure;
    private volatile Runnable durabilityListener = () -> {};
    private long appendedSeq;
    private FileChannel channel;
    private long segmentSize;

    private FileJournal(Path dir, Options options, BrokerMetrics metrics, long lastSeq, Path lastSegment) throws IOException {
        this.dir = dir;
        this.options = options;
        this.metrics = metrics;
        this.pending = new SpscArrayQueue<>(options.pendingBatches());
        this.appendedSeq = lastSeq;
        this.durableSeq = lastSeq;
        if (lastSegment == null) {
            startSegment(lastSeq + 1);
        } else {
            channel = FileChannel.open(lastSegment, StandardOpenOption.WRITE);
            segmentSize = channel.size();
            channel.position(segmentSize);
        }
        this.writer = new Thread(this::writeLoop, "journal-writer");
        this.writer.setDaemon(true);
    }

    /**
     * Opens (creating if needed) the journal in {@code dir}, feeds every recorded event to {@code replay},
     * cuts a torn last record, and starts the writer.
     */
    public static FileJournal open(Path dir, Options options, BrokerMetrics metrics, Consumer<JournalEntry> replay)
            throws IOException {
        Files.createDirectories(dir);
        JournalReader.Outcome outcome = JournalReader.read(dir, replay);
        Path last = outcome.lastSegment();
        if (outcome.tornAt() >= 0) {
            LOG.warning(() -> "journal: cutting a torn last write of " + outcome.tornBytes() + " bytes at offset "
                    + outcome.tornAt() + " of " + outcome.lastSegment().getFileName() + " (after seq " + outcome.lastSeq() + ")");
            if (outcome.tornAt() < JournalReader.HEADER_BYTES) {
                Files.delete(last);
                fsyncDirectory(dir);
                last = null;
            } else {
                try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
                    ch.truncate(outcome.tornAt());
                    ch.force(true);
                }
            }
        }
        FileJournal journal = new FileJournal(dir, options, metrics == null ? BrokerMetrics.NONE : metrics,
                outcome.lastSeq(), last);
        journal.writer.start();
        return journal;
    }

    /** The sequence number of the last event handed to {@link #append}. */
    public long appendedSeq() {
        return appendedSeq;
    }

    /** Every event up to this sequence number is on disk (fsynced when fsync is on). */
    public long durableSeq() {
        return durableSeq;
    }

    /** Non-null once a write failed; nothing after that failure becomes durable. */
    public Throwable failure() {
        return failure;
    }

    public boolean fsync() {
        return options.fsync();
    }

    /** Runs on the writer thread after each group commit; must not block. */
    public void onDurable(Runnable listener) {
        this.durabilityListener = Objects.requireNonNull(listener);
    }

    /**
     * Queues events for writing, numbered {@code appendedSeq()+1} onwards. Called by one thread (the
     * broker's), which hands over the list and must not change it afterwards. Waits only when the
     * writer is {@code pendingBatches} behind: that is back-pressure.
     */
    public long append(List<DomainEvent> events) {
        if (events.isEmpty()) {
            return appendedSeq;
        }
        if (failure != null) {
            throw new IllegalStateException("journal failed earlier", failure);
        }
        put(new Batch(appendedSeq + 1, events));
        appendedSeq += events.size();
        return appendedSeq;
    }

    /** Hands a batch to the writer; waits (back-pressure) only while the writer is a full queue behind. */
    private void put(Batch b) {
        while (!pending.offer(b)) {
            if (failure != null || !writer.isAlive()) {
                throw new IllegalStateException("journal writer is not running", failure);
            }
            LockSupport.parkNanos(50_000);
        }
        if (writerSleeping) {
            LockSupport.unpark(writer);
        }
    }

    private Batch take() {
        Batch b = pending.poll();
        if (b != null) {
            return b;
        }
        writerSleeping = true;
        while ((b = pending.poll()) == null) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                writerSleeping = false;
                return STOP;
            }
        }
        writerSleeping = false;
        return b;
    }

    private void writeLoop() {
        ByteWriter out = new ByteWriter(1 << 16);
        CRC32C crc = new CRC32C();
        List<Batch> batches = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            try {
                batches.clear();
                batches.add(take());
                pending.drain(batches::add);
                out.reset();
                long first = -1;
                long last = -1;
                int count = 0;
                for (Batch b : batches) {
                    if (b == STOP) {
                        stopping = true;
                        continue;
                    }
                    long seq = b.firstSeq();
                    if (first < 0) {
                        first = seq;
                    }
                    for (DomainEvent e : b.events()) {
                        int start = out.position();
                        out.putInt(0);
                        out.putInt(0);
                        out.putLong(seq);
                        EventCodec.encode(e, out);
                        int length = out.position() - start - JournalReader.RECORD_HEADER_BYTES;
                        if (length > JournalReader.MAX_RECORD_BYTES) {
                            throw new IllegalStateException("event " + e.type() + " at seq " + seq + " encodes to "
                                    + length + " bytes, over the record limit");
                        }
                        crc.reset();
                        crc.update(out.array(), start + JournalReader.RECORD_HEADER_BYTES, length);
                        out.putIntAt(start, length);
                        out.putIntAt(start + 4, (int) crc.getValue());
                        last = seq++;
                        count++;
                    }
                }
                if (count == 0) {
                    continue;
                }
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
                durableSeq = last;
                durabilityListener.run();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.SEVERE, "journal write failed; no further event will be acknowledged", e);
                failure = e;
                durabilityListener.run();
                return;
            }
        }
    }

    private void startSegment(long firstSeq) throws IOException {
        Path p = dir.resolve(JournalReader.segmentName(firstSeq));
        channel = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ByteBuffer header = ByteBuffer.allocate(JournalReader.HEADER_BYTES);
        header.putInt(JournalReader.MAGIC).putInt(JournalReader.VERSION).putLong(firstSeq).flip();
        while (header.hasRemaining()) {
            channel.write(header);
        }
        channel.force(true);
        fsyncDirectory(dir);
        segmentSize = JournalReader.HEADER_BYTES;
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    public Path directory() {
        return dir;
    }

    /** Writes and syncs everything appended so far, then stops the writer. */
    @Override
    public void close() {
        if (writer.isAlive()) {
            try {
                put(STOP);
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IllegalStateException writerGone) {
                // the writer failed earlier; there is nothing left to flush
            }
        }
        try {
            if (channel.isOpen()) {
                channel.force(true);
                channel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
