package fi.palvelurinki.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The storm clients (docs/performance.md, step 5): each queues one request in the ring nobody answers; in
 * each round all drop their TCP connections at once (no close handshake) and at once resume.
 */
final class StormPhase {
    private final LoadRun run;
    private final List<StormClient> storm;
    private long queued;

    StormPhase(LoadRun run, List<StormClient> storm) {
        this.run = run;
        this.storm = storm;
    }

    /** Every storm client queues its request; waits (up to a minute) until all are acknowledged. */
    void queue() throws InterruptedException {
        for (StormClient c : storm) {
            c.loop.execute(c::queue);
        }
        long until = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < until && !storm.stream().allMatch(c -> c.requestId >= 0)) {
            Thread.sleep(20);
        }
        queued = storm.stream().filter(c -> c.requestId >= 0).count();
        run.out.printf(Locale.ROOT, "Storm clients: %,d requests waiting in the ring nobody answers%n", queued);
    }

    void rounds(Result.Builder result) throws InterruptedException {
        Stats stats = run.stats;
        Thread.sleep(1000);
        for (int round = 1; round <= run.s.stormRounds(); round++) {
            stats.resume.reset();
            long t0 = System.nanoTime();
            for (StormClient c : storm) {
                c.droppedAt = t0;
                c.resumedOk = false;
                c.loop.execute(() -> c.conn.drop());
            }
            List<CompletableFuture<JsonNode>> back = new ArrayList<>();
            for (StormClient c : storm) {
                CompletableFuture<JsonNode> w = new CompletableFuture<>();
                c.loop.execute(() -> c.connect(true).whenComplete((m, e) -> {
                    if (e != null) {
                        w.completeExceptionally(e);
                    } else {
                        w.complete(m);
                    }
                }));
                back.add(w.orTimeout(120, TimeUnit.SECONDS).exceptionally(e -> {
                    stats.error("resume_connect_failed");
                    return null;
                }));
            }
            CompletableFuture.allOf(back.toArray(CompletableFuture[]::new)).join();
            double all = (System.nanoTime() - t0) / 1e6;
            long ok = storm.stream().filter(c -> c.resumedOk).count();
            Histogram h = stats.resume.total();
            run.out.printf(Locale.ROOT, "Reconnect storm round %d: %,d clients with %,d queued requests dropped at once; %,d "
                    + "resumed with their request (%,d lost); all back in %.0f ms; drop -> welcome %s%n", round,
                    storm.size(), queued, ok, storm.size() - ok, all, Stats.describe(h));
            result.storm(storm.size(), storm.size() - ok, h);
            Thread.sleep(1000);
        }
    }
}
