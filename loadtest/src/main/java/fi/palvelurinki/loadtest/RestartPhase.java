package fi.palvelurinki.loadtest;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The restart scenario's kill and restart (docs/performance.md): in the middle of the call traffic the server
 * is killed with SIGKILL and started again on the same data directory and port, while the clients reconnect as
 * docs/protocol.md says. After the run, {@link #check} compares what the killed server acknowledged with what
 * the restarted one knows ({@link Ledger}).
 *
 * <p>The failover scenario's kill and takeover is the same with two nodes: the active node is killed, the
 * standby takes the lease when it expires and serves on its own port, and the clients, which know both nodes,
 * come back to it. What the killed node acknowledged is checked against the PostgreSQL journal and the new
 * active node.
 *
 * <p>Times, from the kill (the moment SIGKILL is sent): {@code restart_ms} until the restarted server listens
 * (JVM start and journal replay), or {@code takeover_ms} until the standby answers as the active node;
 * {@code failover_ms} until the first client has its welcome from the new active node; {@code recovery_ms}
 * until the last client has its welcome from it (the reconnect delays of the pages included);
 * {@code first_ack_ms} until a {@code request_call} is first acknowledged by it.
 */
final class RestartPhase {
    private static final long WAIT_FOR_CLIENTS_NANOS = 120_000_000_000L;

    private final LoadRun run;
    private final ServerControl server;
    private final int clients;
    private volatile long killedAt;
    private volatile long listeningAt;
    private volatile long callsInProgress;
    private volatile List<Call> connectedAtKill = List.of();
    private volatile Exception failure;

    private final boolean failover;

    RestartPhase(LoadRun run, ServerControl server, int clients) {
        if (server == null) {
            throw new IllegalArgumentException("scenario " + run.s.name() + " kills " + (run.s.nodes() > 1
                    ? "the active node" : "and restarts the server") + ": it must be started by the load test "
                    + "(--spawn-server)");
        }
        this.run = run;
        this.server = server;
        this.clients = clients;
        this.failover = run.s.nodes() > 1;
    }

    /** Kills the server, starts it again, and waits (up to 2 minutes) until every client is back. */
    void run() {
        try {
            callsInProgress = run.stats.callsConnected.sum() - run.stats.callsEnded.sum();
            connectedAtKill = run.calls.open().filter(c -> c.connected).toList();
            killedAt = System.nanoTime();
            run.recovery.killedAt = killedAt;
            run.serverDown = true;
            run.killed = 1;
            server.kill();
            // Only now: a connection opened from here on can reach nothing but the restarted server.
            run.generation = 1;
            server.restart();
            listeningAt = System.nanoTime();
            run.http = server.http();
            run.serverDown = false;
            while (run.recovery.back.get() < clients && System.nanoTime() - listeningAt < WAIT_FOR_CLIENTS_NANOS) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failure = e;
        }
    }

    void rethrow() throws IOException {
        if (failure != null) {
            throw new IOException((failover ? "the takeover failed: " : "the restart failed: ") + failure.getMessage(),
                    failure);
        }
    }

    /**
     * After the run: asks the restarted server for the bookings, stops it, reads its journal, and checks that
     * everything the killed server acknowledged is there.
     */
    void check(Bookings bookings, Result.Builder result) throws Exception {
        Map<Long, Instant> confirmed = bookings == null ? Map.of() : bookings.confirmed(run.ledger.bookingStarts());
        run.running = false;
        server.stop();
        Ledger.Outcome o = run.ledger.check(Ledger.Journal.read(server.journal()), confirmed);
        int back = run.recovery.back.get();
        double restartMs = (listeningAt - killedAt) / 1e6;
        double recoveryMs = back < clients ? Double.NaN : (run.recovery.lastBackNanos.get() - killedAt) / 1e6;
        long firstAck = run.recovery.firstAckNanos.get();
        double firstAckMs = firstAck == 0 ? Double.NaN : (firstAck - killedAt) / 1e6;
        long callsAfter = run.recovery.callsConnected.sum();
        Histogram backAfter = run.recovery.backAfterKill.total();
        // Survived: connected at the kill and later ended by a party hanging up, not cut by the restart.
        long survived = connectedAtKill.stream().filter(c -> c.endReason != null && c.endReason.endsWith("_hung_up"))
                .count();
        long firstBack = run.recovery.firstBackNanos.get();
        double failoverMs = firstBack == 0 ? Double.NaN : (firstBack - killedAt) / 1e6;
        if (failover) {
            run.out.printf(Locale.ROOT, "Failover: the active node was killed (SIGKILL) with %,d calls in progress; the "
                    + "standby served after %.0f ms; first client welcomed by it after %s; %,d of %,d clients back after %s "
                    + "(kill -> welcome %s); first request_call acknowledged by it after %s; %,d calls connected through "
                    + "it; %,d of the %,d calls connected at the kill went on and were hung up after it%n",
                    callsInProgress, restartMs, ms(failoverMs), back, clients, ms(recoveryMs), Stats.describe(backAfter),
                    ms(firstAckMs), callsAfter, survived, connectedAtKill.size());
        } else {
            run.out.printf(Locale.ROOT, "Restart: the server was killed (SIGKILL) with %,d calls in progress; it listened "
                    + "again after %.0f ms; %,d of %,d clients back (welcome from the restarted server) after %s (kill -> "
                    + "welcome %s); first request_call acknowledged by it after %s; %,d calls connected through it; %,d of "
                    + "the %,d calls connected at the kill went on and were hung up after it%n", callsInProgress,
                    restartMs, back, clients, ms(recoveryMs), Stats.describe(backAfter), ms(firstAckMs), callsAfter,
                    survived, connectedAtKill.size());
        }
        run.out.printf(Locale.ROOT, "Acknowledged by the killed %s: %,d requests (%,d of them waiting or ringing at the "
                + "kill), %,d calls connected, %,d bookings; lost after the %s: %d%s%n", failover ? "node" : "server",
                o.requests(), o.openAtKill(), o.calls(), o.bookings(), failover ? "takeover" : "restart", o.lost(),
                o.examples().isEmpty() ? "" : " " + o.examples());
        if (failover) {
            result.failover(failoverMs, survived, connectedAtKill.size(), recoveryMs, Stats.ms(backAfter, 50), restartMs,
                    firstAckMs, back, clients, callsAfter, o);
        } else {
            result.restart(recoveryMs, Stats.ms(backAfter, 50), restartMs, firstAckMs, back, clients, callsAfter, o);
            result.callsSurvived(survived, connectedAtKill.size());
        }
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "never" : String.format(Locale.ROOT, "%.0f ms", v);
    }
}
