package fi.palvelurinki.broker;

import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.FileJournal;
import fi.palvelurinki.broker.journal.Journal;
import fi.palvelurinki.broker.journal.JournalEntry;
import fi.palvelurinki.broker.journal.PostgresJournal;
import fi.palvelurinki.broker.routing.RoutingEngine;
import fi.palvelurinki.broker.routing.RoutingPolicy;
import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jctools.queues.MpscArrayQueue;

/**
 * The broker: one thread owns all routing state and is fed by a bounded command queue.
 *
 * <p>Each round the thread takes every queued command (up to {@code maxBatch}), lets the engine handle
 * them one by one, fires due timers, hands the round's events to the journal in one batch, and goes on
 * without waiting for the disk. A command's reply is released when its events are durable; so are the
 * notifications it caused, in order per recipient — except speculative ones (offers), which go out at
 * once unless something for the same recipient is still held back.
 *
 * <p>Futures complete and the {@link NotificationSink} runs on the broker thread: callbacks must be
 * short and must not block.
 */
public final class Broker implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Broker.class.getName());

    private record Pending(Command command, CompletableFuture<Reply> future, long submittedNanos) {}

    private record HeldReply(long seq, CompletableFuture<Reply> future, Reply reply) {}

    /**
     * {@code pending}: how many held notifications its recipient has, shared by all of them (the array in
     * {@link #heldFor}), so that releasing one needs no look-up by recipient.
     */
    private record Held(long seq, Notification notification, Recipient recipient, int[] pending) {}

    private enum Signal { TICK, DURABLE, STOP }

    /**
     * What {@code /healthz} reports. {@code routingDecisions} and {@code offers} are totals since start,
     * as of the broker thread's last round; {@code journalFreeBytes} is -1 when it cannot be told.
     */
    public record Health(boolean loopRunning, boolean journalWritable, long appendedSeq, long durableSeq,
            int queuedCommands, long routingDecisions, long offers, long journalFreeBytes, String problem) {
        public boolean healthy() {
            return loopRunning && journalWritable;
        }
    }

    private final BrokerConfig config;
    private final InstantSource clock;
    private final TimerService timers;
    private final RoutingEngine engine;
    private final Journal journal;
    private final NotificationSink sink;
    private final BrokerMetrics metrics;
    private final MpscArrayQueue<Object> queue;
    private final Thread thread;
    private final long replayed;
    private volatile boolean accepting = true;
    private volatile Throwable fatal;
    private volatile boolean wakeupFired;
    /** The broker thread is parked (or about to park) waiting for work. */
    private volatile boolean sleeping;
    private volatile List<Consumer<List<DomainEvent>>> eventListeners = List.of();
    private volatile long decisions;
    private volatile long offers;

    // Owned by the broker thread.
    private final ArrayDeque<HeldReply> heldReplies = new ArrayDeque<>();
    /** Notifications waiting for durability, in the order they were made. */
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    /** How many of {@link #held} are for each recipient: one with none may get a speculative one at once. */
    private final Map<Recipient, int[]> heldFor = new HashMap<>();
    /** The notifications of the command or round being routed; reused, the engine's own list is cleared. */
    private final List<Notification> made = new ArrayList<>();
    private Instant wakeupAt;
    private TimerService.Cancellable wakeup;

    private Broker(BrokerConfig config, InstantSource clock, TimerService timers, RoutingEngine engine,
            Journal journal, NotificationSink sink, BrokerMetrics metrics, long replayed) {
        this.config = config;
        this.clock = clock;
        this.timers = timers;
        this.engine = engine;
        this.journal = journal;
        this.sink = sink;
        this.metrics = metrics;
        this.replayed = replayed;
        this.queue = new MpscArrayQueue<>(config.commandQueueCapacity());
        this.thread = new Thread(this::run, "broker");
        journal.onDurable(() -> offer(Signal.DURABLE));
    }

    /**
     * Opens the journal (in {@code config.dataDir()/journal}, or in PostgreSQL), rebuilds the state from it, records the
     * recovery (experts OFFLINE, offers withdrawn, calls ended) and starts the broker thread.
     */
    public static Broker start(BrokerConfig config, InstantSource clock, TimerService timers, RoutingPolicy policy,
            NotificationSink sink, BrokerMetrics metrics) throws IOException {
        Objects.requireNonNull(sink, "sink");
        BrokerMetrics m = metrics == null ? BrokerMetrics.NONE : metrics;
        RoutingEngine engine = new RoutingEngine(clock, policy, config);
        long[] count = {0};
        Journal journal;
        Consumer<JournalEntry> replay = e -> {
            engine.replay(e);
            count[0]++;
        };
        try {
            if (config.postgres() != null) {
                journal = PostgresJournal.open(postgresOptions(config.postgres()), m, replay);
            } else {
                journal = FileJournal.open(config.dataDir().resolve("journal"), clock,
                        new FileJournal.Options(config.fsync(), config.journalSegmentBytes(), 8192), m, replay);
            }
        } catch (IllegalStateException e) {
            throw new IOException("the journal does not replay: " + e.getMessage(), e);
        }
        return begin(config, clock, timers, engine, journal, sink, m, count[0]);
    }

    /**
     * Starts the broker on a standby's state once it has taken over the journal: records the recovery as
     * {@link #start} does after replaying, and starts the broker thread.
     */
    public static Broker takeOver(Standby.Takeover t, TimerService timers, NotificationSink sink, BrokerMetrics metrics) {
        Objects.requireNonNull(sink, "sink");
        BrokerMetrics m = metrics == null ? BrokerMetrics.NONE : metrics;
        t.journal().useMetrics(m);
        return begin(t.config(), t.clock(), timers, t.engine(), t.journal(), sink, m, t.replayed());
    }

    private static Broker begin(BrokerConfig config, InstantSource clock, TimerService timers, RoutingEngine engine,
            Journal journal, NotificationSink sink, BrokerMetrics m, long replayed) {
        engine.recover();
        List<DomainEvent> recovery = engine.drainEvents();
        if (journal.failure() == null) {
            journal.append(recovery);
        }
        Broker broker = new Broker(config, clock, timers, engine, journal, sink, m, replayed);
        broker.thread.start();
        return broker;
    }

    static PostgresJournal.Options postgresOptions(BrokerConfig.Postgres p) {
        return new PostgresJournal.Options(p.url(), nodeName(), p.advertisedUrl(), p.leaseTtl(), 8192);
    }

    /** This process as the lease names it: host and process id. */
    static String nodeName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        return host + "/" + ProcessHandle.current().pid();
    }

    /** The journal this broker writes, for readers (reports, the History view). */
    public fi.palvelurinki.broker.journal.JournalSource journalSource() {
        return journalSource(config);
    }

    public static fi.palvelurinki.broker.journal.JournalSource journalSource(BrokerConfig config) {
        return config.postgres() != null ? new fi.palvelurinki.broker.journal.JournalSource.Postgres(config.postgres().url())
                : new fi.palvelurinki.broker.journal.JournalSource.Directory(config.dataDir().resolve("journal"));
    }

    /** Events recovered from the journal at start. */
    public long replayedEvents() {
        return replayed;
    }

    public BrokerConfig config() {
        return config;
    }

    /** Is the journal written with fsync? */
    public boolean fsync() {
        return journal.fsync();
    }

    /**
     * Called on the broker thread with every batch of events as it is handed to the journal (before it
     * is durable); for metrics. Must not block.
     */
    public void addEventListener(Consumer<List<DomainEvent>> listener) {
        List<Consumer<List<DomainEvent>>> l = new ArrayList<>(eventListeners);
        l.add(listener);
        eventListeners = List.copyOf(l);
    }

    /**
     * Queues a command. Never blocks: when the queue is full the future fails at once with
     * {@link ErrorCode#OVERLOADED}, and after {@link #close()} with {@link ErrorCode#UNAVAILABLE}.
     */
    public CompletableFuture<Reply> submit(Command command) {
        Objects.requireNonNull(command, "command");
        CompletableFuture<Reply> f = new CompletableFuture<>();
        if (!accepting || fatal != null) {
            f.completeExceptionally(new BrokerException(ErrorCode.UNAVAILABLE, fatal == null ? "the broker is not running"
                    : unavailableMessage()));
        } else if (!offer(new Pending(command, f, System.nanoTime()))) {
            f.completeExceptionally(new BrokerException(ErrorCode.OVERLOADED,
                    "the broker has " + config.commandQueueCapacity() + " commands queued; try again shortly"));
        }
        return f;
    }

    /** Queues an item for the broker thread and wakes it if it sleeps. Never blocks. */
    private boolean offer(Object item) {
        if (!queue.offer(item)) {
            return false;
        }
        if (sleeping) {
            LockSupport.unpark(thread);
        }
        return true;
    }

    /** Waits for work: a moment of spinning (cheap when busy), then parking until a producer unparks us. */
    private void awaitWork() {
        for (int i = 0; i < 200 && queue.isEmpty(); i++) {
            Thread.onSpinWait();
        }
        if (!queue.isEmpty()) {
            return;
        }
        sleeping = true;
        // Re-check after announcing: a producer that offered before seeing the flag is caught here,
        // one that offered after sees the flag and unparks (the permit makes park return at once).
        while (queue.isEmpty() && !Thread.currentThread().isInterrupted()) {
            LockSupport.park(this);
        }
        sleeping = false;
    }

    /** The journal's lease went to another node: this broker can acknowledge nothing more. */
    public boolean fenced() {
        return journal.failure() instanceof PostgresJournal.FencedException;
    }

    public Health health() {
        String notWritable = journal.notWritable();
        Throwable f = fatal;
        String problem = notWritable != null ? notWritable : f == null ? null : f.toString();
        return new Health(thread.isAlive() && f == null, notWritable == null, journal.appendedSeq(),
                journal.durableSeq(), queue.size(), decisions, offers, journal.freeBytes(), problem);
    }

    // ------------------------------------------------------------------ the broker thread

    private void run() {
        List<Object> batch = new ArrayList<>(config.maxBatch());
        boolean stop = false;
        while (!stop && fatal == null) {
            try {
                batch.clear();
                if (journal.failure() != null) {
                    // Before waiting and before handling anything: a failed write wakes us (its durability
                    // signal), and whatever waits for durability must hear now that it never comes.
                    throw new IllegalStateException("journal write failed: " + journal.failure(), journal.failure());
                }
                if (queue.drain(batch::add, config.maxBatch()) == 0) {
                    awaitWork();
                    if (Thread.currentThread().isInterrupted()) {
                        break;
                    }
                    continue;
                }
                for (Object item : batch) {
                    if (item instanceof Pending p) {
                        handle(p);
                    } else if (item == Signal.STOP) {
                        stop = true;
                    }
                }
                engine.fireDueTimers();
                routeMade(engine.lastSeq());
                engine.publishUpdates();
                routeMade(engine.lastSeq());
                List<DomainEvent> events = engine.drainEvents();
                if (!events.isEmpty()) {
                    checkJournal();
                    long seq = journal.append(events);
                    if (seq != engine.lastSeq()) {
                        throw new IllegalStateException("journal at seq " + seq + ", engine at " + engine.lastSeq());
                    }
                    for (Consumer<List<DomainEvent>> l : eventListeners) {
                        l.accept(events);
                    }
                }
                release(journal.durableSeq());
                rearmWakeup();
                decisions = engine.decisions();
                offers = engine.offers();
            } catch (RuntimeException | Error e) {
                LOG.log(Level.SEVERE, "broker thread stopped", e);
                fatal = e;
                stop = stopRequested(batch);
            }
        }
        if (fatal != null) {
            refuseUntilStopped(stop, batch);
        }
    }

    private static boolean stopRequested(List<Object> batch) {
        return batch.contains(Signal.STOP);
    }

    /**
     * After a fatal error: what was durable is answered, everything else gets {@code unavailable} — the
     * commands held for durability, those of the round that failed, and every command that arrives until
     * {@link #close()} (the thread stays to answer them: a command queued after a last drain would hang).
     */
    private void refuseUntilStopped(boolean stop, List<Object> batch) {
        release(journal.durableSeq());
        BrokerException e = new BrokerException(ErrorCode.UNAVAILABLE, unavailableMessage());
        for (Object item : batch) {
            if (item instanceof Pending p) {
                p.future().completeExceptionally(e);
            }
        }
        stop |= failEverything(e);
        held.clear();
        heldFor.clear();
        while (!stop) {
            batch.clear();
            if (queue.drain(batch::add, config.maxBatch()) == 0) {
                awaitWork();
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                continue;
            }
            for (Object item : batch) {
                if (item instanceof Pending p) {
                    p.future().completeExceptionally(e);
                } else if (item == Signal.STOP) {
                    stop = true;
                }
            }
        }
    }

    private String unavailableMessage() {
        Throwable f = journal.failure();
        if (f != null) {
            return "the journal cannot be written (" + (f.getMessage() == null ? f.toString() : f.getMessage())
                    + "); nothing more is accepted until the server is restarted";
        }
        return "the broker stopped: " + fatal;
    }

    private void checkJournal() {
        Throwable f = journal.failure();
        if (f != null) {
            throw new IllegalStateException("journal write failed: " + f, f);
        }
    }

    private void handle(Pending p) {
        ErrorCode refused = null;
        try {
            Reply reply = engine.handle(p.command());
            long seq = engine.lastSeq();
            routeMade(seq);
            if (seq <= journal.durableSeq()) {
                p.future().complete(reply);
            } else {
                heldReplies.add(new HeldReply(seq, p.future(), reply));
            }
        } catch (BrokerException e) {
            refused = e.code();
            p.future().completeExceptionally(e);
        } catch (RuntimeException e) {
            refused = ErrorCode.INTERNAL;
            LOG.log(Level.SEVERE, "internal error handling " + p.command(), e);
            p.future().completeExceptionally(new BrokerException(ErrorCode.INTERNAL, "internal error: " + e));
            routeMade(engine.lastSeq());
        }
        metrics.commandHandled(p.command().getClass(), System.nanoTime() - p.submittedNanos(), refused);
    }

    private void routeMade(long seq) {
        engine.drainNotificationsInto(made);
        if (made.isEmpty()) {
            return;
        }
        try {
            route(made, seq);
        } finally {
            made.clear();
        }
    }

    private void route(List<Notification> notifications, long seq) {
        long durable = journal.durableSeq();
        for (int i = 0, size = notifications.size(); i < size; i++) {
            Notification n = notifications.get(i);
            boolean ready = n.speculative() || seq <= durable;
            if (ready && held.isEmpty()) {
                deliver(n);
                continue;
            }
            Recipient to = n.recipient();
            int[] pending = heldFor.get(to);
            if (ready && pending == null) {
                deliver(n);
                continue;
            }
            if (pending == null) {
                pending = new int[1];
                heldFor.put(to, pending);
            }
            pending[0]++;
            held.add(new Held(n.speculative() ? 0 : seq, n, to, pending));
        }
    }

    private void deliver(Notification n) {
        try {
            sink.deliver(n);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "notification sink failed for " + n.recipient(), e);
        }
    }

    private void release(long durable) {
        while (!heldReplies.isEmpty() && heldReplies.peek().seq() <= durable) {
            HeldReply r = heldReplies.poll();
            r.future().complete(r.reply());
        }
        // In order of making: a held notification never overtakes an earlier one for the same recipient.
        while (!held.isEmpty() && held.peek().seq() <= durable) {
            Held h = held.poll();
            if (--h.pending()[0] == 0) {
                heldFor.remove(h.recipient());
            }
            deliver(h.notification());
        }
    }

    private void rearmWakeup() {
        if (wakeupFired) {
            wakeupFired = false;
            wakeupAt = null;
        }
        Instant next = engine.nextDeadline();
        if (next == null || (wakeupAt != null && !next.isBefore(wakeupAt))) {
            return;
        }
        if (wakeup != null) {
            wakeup.cancel();
        }
        wakeupAt = next;
        wakeup = timers.schedule(next, () -> {
            wakeupFired = true;
            offer(Signal.TICK);
        });
    }

    /** Fails every queued and held command; true if a stop request was among those queued. */
    private boolean failEverything(BrokerException e) {
        accepting = false;
        boolean stop = false;
        Object o;
        while ((o = queue.poll()) != null) {
            if (o instanceof Pending p) {
                p.future().completeExceptionally(e);
            } else if (o == Signal.STOP) {
                stop = true;
            }
        }
        for (HeldReply r : heldReplies) {
            r.future().completeExceptionally(e);
        }
        heldReplies.clear();
        return stop;
    }

    /**
     * Stops taking commands, finishes those queued, makes every event durable, then answers what was
     * waiting for durability.
     */
    @Override
    public void close() {
        if (!accepting && !thread.isAlive()) {
            return;
        }
        accepting = false;
        try {
            if (thread.isAlive()) {
                while (!offer(Signal.STOP)) {
                    Thread.onSpinWait();
                }
                thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (wakeup != null) {
            wakeup.cancel();
        }
        journal.close();
        if (fatal == null) {
            release(journal.durableSeq());
        }
        failEverything(new BrokerException(ErrorCode.UNAVAILABLE, "the broker stopped"));
    }
}
