package fi.palvelurinki.broker.journal;

import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.jctools.queues.SpscArrayQueue;

/**
 * The broker thread's hand-over of its rounds to a journal's one writer thread (the file journal's and the
 * PostgreSQL journal's): lock-free, so handing over a round costs no syscall under load, with back-pressure
 * when the writer is a full queue behind, and the writer parked while there is nothing to write.
 */
final class WriterHandoff {
    /** One broker round's events, numbered from {@code firstSeq}. */
    record Batch(long firstSeq, List<DomainEvent> events) {}

    /** Tells the writer to finish what it has and stop; also what {@link #take} returns when interrupted. */
    static final Batch STOP = new Batch(-1, List.of());

    private final SpscArrayQueue<Batch> pending;
    private volatile boolean writerSleeping;
    private Thread writer;

    WriterHandoff(int capacity) {
        this.pending = new SpscArrayQueue<>(capacity);
    }

    void writer(Thread writer) {
        this.writer = writer;
    }

    /**
     * Hands a batch to the writer; waits only while the writer is a full queue behind.
     *
     * @param failure the writer's failure, if any: a failed or dead writer makes this throw, not wait
     */
    void put(Batch b, Supplier<Throwable> failure) {
        while (!pending.offer(b)) {
            if (failure.get() != null || !writer.isAlive()) {
                throw new IllegalStateException("journal writer is not running", failure.get());
            }
            LockSupport.parkNanos(50_000);
        }
        if (writerSleeping) {
            LockSupport.unpark(writer);
        }
    }

    /** The writer's next batch, parking until there is one; {@link #STOP} when the writer is interrupted. */
    Batch take() {
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

    /** The next batch if one is there (to group more rounds into one write), or null. */
    Batch poll() {
        return pending.poll();
    }
}
