package fi.palvelurinki.loadtest;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Steps 2 and 3 of a run (docs/performance.md): the baselines — the server's plain relay and the bare Netty
 * relay, first flooded for their ceilings, then at {@code relayCeilingShare} of the plain relay's ceiling —
 * and the same rate and messages through calls held open on {@code /ws}.
 */
final class RelayPhase {
    private final LoadRun run;

    RelayPhase(LoadRun run) {
        this.run = run;
    }

    void run(List<AdvisorClient> advisors, URI bareRelay, Result.Builder result) throws Exception {
        Scenario s = run.s;
        int pairs = s.relayCalls();
        String operatorToken = run.operatorToken();
        String base = run.wsUri(run.firstNode).toString().replaceAll("/ws$", "");
        RelayBench bench = new RelayBench(run.ws, run.payloads, run.stats);
        List<RelayBench.Link> benchLinks = bench.open(p -> URI.create(base + "/bench/relay?pair=" + p), operatorToken,
                pairs, "bench");
        long ceilingWindow = Math.min(1000, s.relayDuration().toMillis() / 2);
        long ceilingMeasure = Math.min(3000, s.relayDuration().toMillis());
        // Twice the scenario's warm-up: a server JVM on one CPU compiles the relay's path in steps, with plateaus
        // of several seconds on the way up, for 10-15 s under a flood (docs/performance.md, issue 20, Round 4).
        long warmUp = 2 * s.warmUp().toMillis();
        RelayBench.Ceiling benchWarm = bench.ceiling(benchLinks, 8, ceilingWindow, warmUp, ceilingMeasure);
        double benchCeiling = benchWarm.msgPerSecond();
        RelayBench bare = null;
        List<RelayBench.Link> bareLinks = null;
        RelayBench.Ceiling bareWarm = null;
        if (bareRelay != null) {
            bare = new RelayBench(run.ws, run.payloads, run.stats);
            bareLinks = bare.open(p -> URI.create(bareRelay + "?pair=" + p), operatorToken, pairs, "bare");
            bareWarm = bare.ceiling(bareLinks, 8, ceilingWindow, warmUp, ceilingMeasure);
        }
        double bareCeiling = bareWarm == null ? Double.NaN : bareWarm.msgPerSecond();
        double rate = Math.max(1, s.relayCeilingShare() * benchCeiling);
        run.out.printf(Locale.ROOT, "Relay ceilings (%d pairs, 8 messages in flight per direction, 1 SDP of %d bytes in 10 "
                + "messages; each flooded for the warm-up of %.0f s and until steady, then measured for %.1f s): server's "
                + "plain relay %,.0f msg/s; bare Netty relay %s%n", pairs, s.sdpBytes(), warmUp / 1000.0,
                ceilingMeasure / 1000.0, benchCeiling, bareWarm == null ? "not run" : String.format(Locale.ROOT,
                "%,.0f msg/s", bareCeiling));
        run.out.printf(Locale.ROOT, "  warm-up, thousands of msg/s per %.1f s: plain relay %s%s%n", ceilingWindow / 1000.0,
                benchWarm.describeWarmUp(), bareWarm == null ? "" : "; bare relay " + bareWarm.describeWarmUp());
        long millis = s.relayDuration().toMillis();
        Stats.Latency bAll = new Stats.Latency();
        Stats.Latency bSmall = new Stats.Latency();
        Stats.Latency bLarge = new Stats.Latency();
        bench.fixedRate(benchLinks, rate, millis, s.seed(), bAll, bSmall, bLarge);
        bench.close(benchLinks);
        Histogram benchH = bAll.total();
        Histogram benchSmall = bSmall.total();
        run.out.printf(Locale.ROOT, "Baseline, server's plain relay at %,.0f msg/s (%.0f %% of its ceiling): %s; small "
                + "messages %s%n", rate, 100 * s.relayCeilingShare(), Stats.describe(benchH), Stats.describe(benchSmall));
        Histogram bareH = null;
        if (bare != null) {
            Stats.Latency xAll = new Stats.Latency();
            Stats.Latency xSmall = new Stats.Latency();
            Stats.Latency xLarge = new Stats.Latency();
            bare.fixedRate(bareLinks, rate, millis, s.seed(), xAll, xSmall, xLarge);
            bare.close(bareLinks);
            bareH = xAll.total();
            run.out.printf(Locale.ROOT, "Baseline, bare Netty relay at %,.0f msg/s: %s%n", rate, Stats.describe(bareH));
        }
        Histogram wsH = throughCalls(advisors, rate, millis);
        result.relay(benchCeiling, bareCeiling, rate, benchH, benchSmall, bareH, wsH);
    }

    private void paceThroughCalls(List<Call> live, double rate, long millis, SplittableRandom pick, AtomicLong n)
            throws InterruptedException {
        long start = System.nanoTime();
        RelayBench.pace(new Poisson(pick.nextLong(), rate, start), start + TimeUnit.MILLISECONDS.toNanos(millis), t -> {
            Call cs = live.get(pick.nextInt(live.size()));
            boolean fromAdvisor = pick.nextBoolean();
            Client from = fromAdvisor ? cs.advisor : cs.expert;
            int k = (int) n.incrementAndGet();
            from.loop.schedule(() -> cs.signal(fromAdvisor, t, run.payloads.mixed(from.id(), cs.callId, k)),
                    Math.max(0, t - System.nanoTime()), TimeUnit.NANOSECONDS);
        });
    }

    /** The same through calls on /ws (after a warm-up at the same rate): advisors request, experts accept at once. */
    private Histogram throughCalls(List<AdvisorClient> advisors, double rate, long millis) throws Exception {
        Scenario s = run.s;
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < s.relayCalls(); i++) {
            AdvisorClient a = advisors.get(i % advisors.size());
            String ring = run.pop.rings.get(i % run.pop.rings.size());
            Call cs = run.calls.create("relay-", ring, System.nanoTime(), a, true);
            calls.add(cs);
            a.loop.execute(() -> a.requestCall(cs));
        }
        long until = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < until && !calls.stream().allMatch(c -> c.connected)) {
            Thread.sleep(20);
        }
        List<Call> live = calls.stream().filter(c -> c.connected).toList();
        if (live.size() < calls.size()) {
            run.stats.error("relay_call_not_connected");
        }
        SplittableRandom pick = new SplittableRandom(s.seed());
        AtomicLong n = new AtomicLong();
        // The same warm-up as the baselines had (they were flooded first): the calls' path is compiled before it is
        // measured, not during.
        paceThroughCalls(live, rate, s.warmUp().toMillis(), pick, n);
        Stats.Latency recorder = new Stats.Latency();
        live.forEach(c -> c.relayRecorder = recorder);
        paceThroughCalls(live, rate, millis, pick, n);
        Thread.sleep(1000);
        live.forEach(c -> c.relayRecorder = null);
        Histogram wsH = recorder.total();
        run.out.printf(Locale.ROOT, "Relay through %d calls on /ws at %,.0f msg/s: %s%n", live.size(), rate,
                Stats.describe(wsH));
        // Hang up; the experts say ready and are available for the call traffic.
        for (Call cs : live) {
            cs.advisor.loop.execute(() -> cs.advisor.hangUp(cs));
        }
        until = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < until && !live.stream().allMatch(Call::over)) {
            Thread.sleep(20);
        }
        Thread.sleep(500);
        return wsH;
    }
}
