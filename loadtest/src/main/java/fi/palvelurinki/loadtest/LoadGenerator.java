package fi.palvelurinki.loadtest;

import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load generator: plays a scenario's service points, advisors and experts against a running server
 * over the WebSocket protocol (docs/protocol.md), like any other client, and measures what users feel.
 *
 * <p>The run: connect everyone (heap per session from the server's /metrics around it, after a GC); the
 * baselines and the relay through held calls ({@link RelayPhase}); the storm clients' requests; the call
 * traffic, with bookings and the server's restart when the scenario has them ({@link CallTraffic},
 * {@link RestartPhase}); then the reconnect storm ({@link StormPhase}). See docs/performance.md. The clients
 * are {@link AdvisorClient}, {@link ExpertClient} and {@link StormClient}, each a {@link Client} that
 * reconnects and resumes as the protocol says.
 */
public final class LoadGenerator {
    /**
     * @param nodes      the server's base URL; or both nodes' on one PostgreSQL journal, which the clients know
     * @param firstNode  the index in {@code nodes} of the one that serves at the start
     * @param secret     the server's token secret (both nodes')
     * @param bareRelay  the bare Netty relay's WebSocket URL ({@code ws://…/relay}), or null to skip it
     * @param server     the server process or nodes, when the run started them (the restart and failover
     *                   scenarios need them), or null
     */
    public record Target(List<URI> nodes, int firstNode, byte[] secret, URI bareRelay, ServerControl server) {
        public Target {
            nodes = List.copyOf(nodes);
            if (nodes.isEmpty() || firstNode < 0 || firstNode >= nodes.size()) {
                throw new IllegalArgumentException("no server to load");
            }
        }

        public Target(URI http, byte[] secret, URI bareRelay) {
            this(List.of(http), 0, secret, bareRelay, null);
        }
    }

    public record Options(Scenario scenario, Target target, int clientThreads, PrintStream out) {}

    private final Options o;

    public LoadGenerator(Options o) {
        this.o = o;
    }

    /** Runs the scenario and prints the summary; the caller prints {@link Result#line()} last. */
    public Result run() throws Exception {
        Scenario s = o.scenario();
        LoadRun run = new LoadRun(s, o.target().nodes(), o.target().firstNode(), o.target().secret(), o.clientThreads(),
                o.out());
        PrintStream out = run.out;
        Stats stats = run.stats;
        ServerProbe probe = new ServerProbe(() -> run.http);
        Result.Builder result = new Result.Builder(s.name());
        try {
            long seed = s.seed();
            List<AdvisorClient> advisors = new ArrayList<>();
            for (Population.Advisor a : run.pop.advisors) {
                advisors.add(new AdvisorClient(run, a, ++seed));
            }
            List<Client> everyone = new ArrayList<>();
            for (Population.Expert e : run.pop.experts) {
                everyone.add(new ExpertClient(run, e, ++seed));
            }
            everyone.addAll(advisors);
            for (Population.Advisor a : run.pop.idle) {
                everyone.add(new StormClient(run, a, ++seed));
            }
            List<StormClient> storm = new ArrayList<>();
            for (Population.Advisor a : run.pop.storm) {
                storm.add(new StormClient(run, a, ++seed));
            }
            everyone.addAll(storm);
            RestartPhase restart = s.killAt().isZero() ? null
                    : new RestartPhase(run, o.target().server(), everyone.size());
            Bookings bookings = s.bookingRate() > 0 && s.rate() > 0 ? new Bookings(run) : null;

            // Sessions and heap per session.
            long heapBefore = probe.heapAfterGc();
            long t0 = System.nanoTime();
            int held = connectAll(run, everyone);
            double connectSeconds = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(500);
            long heapAfter = probe.heapAfterGc();
            double perSessionKb = held == 0 ? Double.NaN : (heapAfter - heapBefore) / 1024.0 / held;
            out.printf(Locale.ROOT, "Sessions: %,d connected and welcomed in %.1f s; server heap after GC %,d KB before, "
                    + "%,d KB after: %.2f KB per session%n", held, connectSeconds, heapBefore / 1024, heapAfter / 1024,
                    perSessionKb);
            result.sessions(held).heapPerSessionKb(perSessionKb);
            everyone.forEach(LoadGenerator::pingEvery10s);
            if (!s.holdTime().isZero()) {
                Thread.sleep(s.holdTime().toMillis());
                long open = everyone.stream().filter(c -> c.conn != null && c.conn.open()).count();
                long heapHeld = probe.heapAfterGc();
                double heldKb = open == 0 ? Double.NaN : (heapHeld - heapBefore) / 1024.0 / open;
                out.printf(Locale.ROOT, "Held for %d s (pinging every 10 s): %,d sessions still open; server heap after GC "
                        + "%,d KB: %.2f KB per session%n", s.holdTime().toSeconds(), open, heapHeld / 1024, heldKb);
                result.sessions((int) open);
                result.heldHeapPerSessionKb(heldKb);
            }
            if (s.relayCalls() > 0) {
                new RelayPhase(run).run(advisors, o.target().bareRelay(), result);
            }
            StormPhase stormPhase = new StormPhase(run, storm);
            if (!storm.isEmpty()) {
                stormPhase.queue();
            }
            if (bookings != null) {
                bookings.prepare();
            }
            if (s.rate() > 0) {
                new CallTraffic(run, probe).run(advisors, bookings, restart, result);
            }
            if (!storm.isEmpty() && s.stormRounds() > 0) {
                stormPhase.rounds(result);
            }
            result.messages(stats.sent.sum(), stats.received.sum());
            // What is still in flight arrives (a withdrawal that explains a refusal), then what is unexplained counts.
            Thread.sleep(1000);
            for (Client c : everyone) {
                c.loop.submit(c::finish).get(10, TimeUnit.SECONDS);
            }
            if (restart != null) {
                restart.check(bookings, result);
            }
            run.running = false;
            Map<String, Long> kinds = stats.errorKinds();
            out.println("Errors and protocol violations: " + stats.errors.sum() + (kinds.isEmpty() ? "" : " " + kinds));
            result.errors(stats.errors.sum());
            return result.build();
        } finally {
            run.running = false;
            run.ws.close();
        }
    }

    /** Pings every 10 s (the server's heartbeat is 15 s), each client at its own phase of the interval. */
    private static void pingEvery10s(Client c) {
        long phase = Math.floorMod(c.user.hashCode(), 10_000);
        c.loop.scheduleAtFixedRate(c::heartbeat, phase, 10_000, TimeUnit.MILLISECONDS);
    }

    /** Connects with at most 200 handshakes under way; returns how many were welcomed. */
    private static int connectAll(LoadRun run, List<? extends Client> clients) throws InterruptedException {
        Semaphore inFlight = new Semaphore(200);
        AtomicInteger welcomed = new AtomicInteger();
        for (Client c : clients) {
            inFlight.acquire();
            c.loop.execute(() -> c.connect(false).orTimeout(60, TimeUnit.SECONDS).whenComplete((w, e) -> {
                if (e != null) {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    run.stats.error("connect_failed:" + cause.getClass().getSimpleName());
                } else {
                    welcomed.incrementAndGet();
                }
                inFlight.release();
            }));
        }
        inFlight.acquire(200);
        inFlight.release(200);
        return welcomed.get();
    }
}
