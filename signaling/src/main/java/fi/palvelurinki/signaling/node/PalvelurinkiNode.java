package fi.palvelurinki.signaling.node;

import fi.palvelurinki.broker.Standby;
import fi.palvelurinki.broker.journal.JournalLeasedException;
import fi.palvelurinki.broker.routing.LongestIdlePolicy;
import fi.palvelurinki.signaling.PalvelurinkiServer;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One {@code serve} process: with the file journal simply the server; with the journal in PostgreSQL
 * either the active node (holding the lease) or a warm standby ({@link Standby}) that answers on the
 * server's port with where the active one is ({@link StandbyFront}) and starts the full server on its
 * state when it takes over. An active node whose lease was taken over (it was paused or cut off from the
 * database) stops its server and stands by again, rather than serve clients it can acknowledge nothing to.
 */
public final class PalvelurinkiNode implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PalvelurinkiNode.class.getName());

    private final PalvelurinkiServer.Options options;
    private final Consumer<PalvelurinkiServer> onActive;
    private final Thread watch;
    private volatile PalvelurinkiServer server;
    private volatile Standby standby;
    private volatile StandbyFront front;
    private volatile boolean closed;
    private volatile Exception failure;

    private PalvelurinkiNode(PalvelurinkiServer.Options options, Consumer<PalvelurinkiServer> onActive) {
        this.options = options;
        this.onActive = onActive;
        this.watch = new Thread(this::watch, "node-watch");
        this.watch.setDaemon(true);
    }

    /**
     * Starts the node: the server at once when the journal is a file or the lease is free, else a standby.
     * {@code onActive} runs each time this node's server has started (at once, or on taking over).
     */
    public static PalvelurinkiNode start(PalvelurinkiServer.Options options, Consumer<PalvelurinkiServer> onActive)
            throws Exception {
        PalvelurinkiNode n = new PalvelurinkiNode(options, onActive);
        if (options.broker().postgres() == null) {
            n.activate(PalvelurinkiServer.start(options));
            return n;
        }
        try {
            n.activate(PalvelurinkiServer.start(options));
        } catch (JournalLeasedException e) {
            LOG.info(() -> "node: " + e.getMessage());
            n.standBy();
        }
        n.watch.start();
        return n;
    }

    private void activate(PalvelurinkiServer s) {
        server = s;
        onActive.accept(s);
    }

    private void standBy() throws Exception {
        Standby s = Standby.start(options.broker(), options.clock(), new LongestIdlePolicy());
        standby = s;
        front = StandbyFront.start(options.signaling().host(), options.signaling().port(), options.transport(), s);
    }

    /** Takes over when the standby has the lease; stands by again when the active one lost it. */
    private void watch() {
        while (!closed) {
            try {
                Standby s = standby;
                PalvelurinkiServer active = server;
                if (s != null && s.takeover().isDone()) {
                    Standby.Takeover t = s.takeover().join();
                    long stopping = System.nanoTime();
                    front.close();
                    long stoppedMs = (System.nanoTime() - stopping) / 1_000_000;
                    front = null;
                    standby = null;
                    LOG.warning(() -> "node: taking over as the active node (the standby's front stopped in " + stoppedMs
                            + " ms)");
                    activate(PalvelurinkiServer.start(options, t));
                } else if (active != null && active.broker().fenced()) {
                    LOG.warning("node: the lease went to another node; this one stops serving and stands by");
                    server = null;
                    active.close();
                    standBy();
                }
            } catch (CancellationException e) {
                return;
            } catch (Exception | Error e) {
                LOG.log(Level.SEVERE, "node: cannot take over", e);
                failure = e instanceof Exception x ? x : new RuntimeException(e);
                return;
            }
            LockSupport.parkNanos(50_000_000L);
        }
    }

    /** The running server; null while this node stands by. */
    public PalvelurinkiServer server() {
        return server;
    }

    public boolean active() {
        return server != null;
    }

    /** Non-null when taking over failed for good (the journal could not be followed): the process should stop. */
    public Exception failure() {
        return failure;
    }

    /** The port listened on, by the server or by the standby's front. */
    public int port() {
        PalvelurinkiServer s = server;
        if (s != null) {
            return s.port();
        }
        StandbyFront f = front;
        return f == null ? -1 : f.port();
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(watch);
        try {
            watch.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        StandbyFront f = front;
        if (f != null) {
            f.close();
        }
        Standby s = standby;
        if (s != null) {
            s.close();
        }
        PalvelurinkiServer a = server;
        if (a != null) {
            a.close();
        }
    }
}
