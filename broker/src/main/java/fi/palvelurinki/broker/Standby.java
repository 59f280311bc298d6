package fi.palvelurinki.broker;

import fi.palvelurinki.broker.journal.JournalEntry;
import fi.palvelurinki.broker.journal.PostgresJournal;
import fi.palvelurinki.broker.journal.PostgresLease;
import fi.palvelurinki.broker.routing.RoutingEngine;
import fi.palvelurinki.broker.routing.RoutingPolicy;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A warm standby on the journal in PostgreSQL: one thread polls the table for events committed after the
 * last it has, replays them into its own routing engine — the state is current to within a poll — and
 * looks at the lease. When the lease has expired (the active died, was paused or lost the database) it
 * takes it over ({@link PostgresJournal#takeOver}), replays what was committed until then, and completes
 * {@link #takeover()}; {@link Broker#takeOver} then starts the broker on that state, as a restart would
 * but without reading the journal from the start.
 */
public final class Standby implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Standby.class.getName());
    /** How often the table and the lease are looked at: a takeover comes at most this long after the lease expired. */
    static final Duration POLL = Duration.ofMillis(200);

    /** What a takeover hands to {@link Broker#takeOver}: the state and the journal now written by this node. */
    public record Takeover(BrokerConfig config, InstantSource clock, RoutingEngine engine, PostgresJournal journal,
            long replayed) {}

    private final BrokerConfig config;
    private final InstantSource clock;
    private final RoutingEngine engine;
    private final PostgresJournal.Options options;
    private final CompletableFuture<Takeover> takeover = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile PostgresLease.State lease;
    private volatile long followedSeq;
    private long replayed;

    private Standby(BrokerConfig config, InstantSource clock, RoutingPolicy policy) {
        this.config = config;
        this.clock = clock;
        this.engine = new RoutingEngine(clock, policy, config);
        this.options = Broker.postgresOptions(config.postgres());
        this.thread = new Thread(this::follow, "standby");
        this.thread.setDaemon(true);
    }

    /** Starts following the journal of {@code config.postgres()}. */
    public static Standby start(BrokerConfig config, InstantSource clock, RoutingPolicy policy) {
        Objects.requireNonNull(config.postgres(), "a standby needs the journal in PostgreSQL");
        Standby s = new Standby(config, clock, policy);
        s.thread.start();
        return s;
    }

    /** Completes when this node has taken over; fails when following failed for good (a damaged journal). */
    public CompletableFuture<Takeover> takeover() {
        return takeover;
    }

    /** The lease as last seen: who is active and where clients reach it; null before the first look. */
    public PostgresLease.State lease() {
        return lease;
    }

    /** The last event replayed. */
    public long followedSeq() {
        return followedSeq;
    }

    private void follow() {
        Connection c = null;
        while (!stopping) {
            try {
                if (c == null) {
                    c = PostgresJournal.connect(options.url());
                    PostgresJournal.createSchema(c);
                }
                long before = followedSeq;
                long last = PostgresJournal.readFrom(c, before, this::apply, options.url());
                followedSeq = last;
                PostgresLease.State s = PostgresLease.read(c);
                lease = s;
                if (s == null || s.expired()) {
                    PostgresJournal j = PostgresJournal.takeOver(options, null, followedSeq, this::apply);
                    if (j != null) {
                        long seq = j.appendedSeq();
                        LOG.warning(() -> "standby: the lease had expired (" + (s == null ? "never held"
                                : "held by " + s.holder() + " in epoch " + s.epoch()) + "); this node takes over in epoch "
                                + j.epoch() + " at seq " + seq);
                        followedSeq = seq;
                        closeQuietly(c);
                        takeover.complete(new Takeover(config, clock, engine, j, replayed));
                        return;
                    }
                }
            } catch (SQLException | IOException e) {
                if (e instanceof fi.palvelurinki.broker.journal.JournalCorruptedException) {
                    LOG.log(Level.SEVERE, "standby: the journal cannot be followed", e);
                    takeover.completeExceptionally(e);
                    closeQuietly(c);
                    return;
                }
                LOG.log(Level.WARNING, "standby: cannot read the journal now; trying again", e);
                closeQuietly(c);
                c = null;
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "standby: replaying failed", e);
                takeover.completeExceptionally(e);
                closeQuietly(c);
                return;
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
        closeQuietly(c);
    }

    private void apply(JournalEntry e) {
        engine.replay(e);
        replayed++;
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // nothing more to do with it
            }
        }
    }

    /** Stops following (a node shutting down while standing by). */
    @Override
    public void close() {
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        takeover.cancel(false);
    }
}
