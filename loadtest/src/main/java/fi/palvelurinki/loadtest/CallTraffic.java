package fi.palvelurinki.loadtest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Step 4 of a run (docs/performance.md): calls arriving as a Poisson process (open loop) from random advisors
 * to random rings, after a warm-up that is not measured, with samples for drift; bookings over the API beside
 * them when the scenario has a booking rate; and the server's restart in the middle when it has one.
 */
final class CallTraffic {
    private final LoadRun run;
    private final ServerProbe probe;

    CallTraffic(LoadRun run, ServerProbe probe) {
        this.run = run;
        this.probe = probe;
    }

    /**
     * @param bookings the booking stream, or null
     * @param restart  the restart in the middle, or null
     */
    void run(List<AdvisorClient> advisors, Bookings bookings, RestartPhase restart, Result.Builder result)
            throws Exception {
        Scenario s = run.s;
        Stats stats = run.stats;
        SplittableRandom pick = new SplittableRandom(s.seed() + 7);
        long warm = s.warmUp().toNanos();
        long measured = s.duration().toNanos();
        long start = System.nanoTime();
        long warmEnd = start + warm;
        long end = warmEnd + measured;
        run.out.printf(Locale.ROOT, "Call traffic: %.1f calls/s (Poisson), %s warm-up, %s measured, handle time %s (mean)%s%s%n",
                s.rate(), s.warmUp(), s.duration(), s.handleTime(), bookings == null ? ""
                        : String.format(Locale.ROOT, "; %.1f bookings/s over the API", s.bookingRate()),
                restart == null ? "" : (s.nodes() > 1 ? "; the active node is killed " : "; the server is killed ")
                        + s.killAt().toSeconds() + " s into the measured period");
        List<Thread> threads = new ArrayList<>();
        threads.add(thread("pacer", () -> RelayBench.pace(new Poisson(s.seed() + 11, s.rate(), start), end, t -> {
            AdvisorClient a = advisors.get(pick.nextInt(advisors.size()));
            String ring = run.pop.rings.get(pick.nextInt(run.pop.rings.size()));
            Call cs = run.calls.create("c", ring, t, a, false);
            a.loop.schedule(() -> a.requestCall(cs), Math.max(0, t - System.nanoTime()), TimeUnit.NANOSECONDS);
        })));
        if (bookings != null) {
            threads.add(thread("bookings", () -> bookings.pace(end)));
        }
        if (restart != null) {
            threads.add(thread("restart", () -> {
                TimeUnit.NANOSECONDS.sleep(warmEnd + s.killAt().toNanos() - System.nanoTime());
                restart.run();
            }));
        }
        try {
            // Warm-up, then the measured period with drift samples.
            TimeUnit.NANOSECONDS.sleep(warmEnd - System.nanoTime());
            for (Stats.Latency l : List.of(stats.clickToRing, stats.availableToOffer, stats.acceptToConnected,
                    stats.relayInCalls, stats.booking)) {
                l.reset();
            }
            long sent0 = stats.sent.sum();
            long recv0 = stats.received.sum();
            List<String> drift = new ArrayList<>();
            long sample = s.sampleInterval().toNanos();
            long next = warmEnd + sample;
            while (next < end + sample) {
                next = Math.min(next, end);
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
                drift.add(sample(next - warmEnd));
                next += sample;
            }
            long sent1 = stats.sent.sum();
            long recv1 = stats.received.sum();
            for (Thread t : threads) {
                t.join();
            }
            if (restart != null) {
                restart.rethrow();
            }
            // Drain: the calls under way end; after a restart, not before the restarted server has connected one
            // (on a slow machine the clients may be back only at the end of the schedule).
            long until = System.nanoTime() + Math.max(restart == null ? 20_000_000_000L : 60_000_000_000L,
                    5 * s.handleTime().toNanos());
            while (System.nanoTime() < until && (stats.callsEnded.sum() < stats.callsConnected.sum()
                    || restart != null && run.recovery.callsConnected.sum() == 0)) {
                Thread.sleep(50);
            }
            summary((sent1 - sent0 + recv1 - recv0) / (measured / 1e9), drift, bookings != null, result);
        } finally {
            threads.forEach(Thread::interrupt);
        }
    }

    private String sample(long sinceWarmEnd) {
        Histogram h = run.stats.clickToRing.interval();
        Histogram r = run.stats.relayInCalls.interval();
        String server;
        try {
            server = String.format(Locale.ROOT, "heap used %,9d KB  live after last major GC %,9d KB",
                    probe.heapUsed() / 1024, (long) probe.sum("jvm_gc_live_data_size_bytes", "") / 1024);
        } catch (IOException e) {
            server = "server not answering (" + e.getClass().getSimpleName() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server = "interrupted";
        }
        return String.format(Locale.ROOT, "  %6.0f s  click-to-ring p99 %7.2f ms  relay p99 %7.2f ms  %s", sinceWarmEnd / 1e9,
                Stats.ms(h, 99), Stats.ms(r, 99), server);
    }

    private void summary(double msgs, List<String> drift, boolean withBookings, Result.Builder result) {
        Stats stats = run.stats;
        Histogram ctr = stats.clickToRing.total();
        Histogram ato = stats.availableToOffer.total();
        Histogram atc = stats.acceptToConnected.total();
        Histogram rel = stats.relayInCalls.total();
        run.out.printf(Locale.ROOT, "Calls: %,d requested, %,d connected, %,d ended; %,d declines, %,d offers missed, %,d "
                + "answers too late (the offer was withdrawn first); %,d queue updates; about %,d still waiting at the end%n",
                stats.callsRequested.sum(), stats.callsConnected.sum(), stats.callsEnded.sum(), stats.declines.sum(),
                stats.missed.sum(), stats.offersGoneBeforeAnswer.sum(), stats.queueUpdates.sum(), run.calls.stillWaiting());
        if (stats.reconnects.sum() > 0) {
            run.out.printf(Locale.ROOT, "Connections lost and re-opened: %,d reconnect attempts; %,d calls and requests "
                    + "gone with the lost sessions; %,d calls placed while disconnected (sent after the welcome, not in "
                    + "click to ring); %,d messages of lost sessions not sent%n", stats.reconnects.sum(),
                    stats.callsCut.sum(), stats.deferred.sum(), stats.staleDropped.sum());
        }
        if (run.nodes.size() > 1) {
            run.out.printf(Locale.ROOT, "Two nodes: %,d times a client went on to the other node after one refused%n",
                    stats.nodeSwitches.sum());
        }
        run.out.println("Click to ring (request_call intended send -> offer at the expert's socket): " + Stats.describe(ctr));
        run.out.println("Ready for next -> next offer (end_wrap_up sent while the offered request was already there): "
                + Stats.describe(ato));
        run.out.println("Accept -> both parties told call_connected: " + Stats.describe(atc));
        run.out.println("SDP/ICE relay in the calls (one hop, from intended send): " + Stats.describe(rel));
        if (withBookings) {
            Histogram b = stats.booking.total();
            run.out.printf(Locale.ROOT, "Bookings: %,d confirmed, %,d refused as taken, %,d not answered while the server "
                    + "was down; %,d booking pushes; intended send -> 201: %s%n", stats.bookingsConfirmed.sum(),
                    stats.bookingsSlotTaken.sum(), stats.bookingsServerDown.sum(), stats.bookingPushes.sum(),
                    Stats.describe(b));
            result.bookings(b);
        }
        run.out.printf(Locale.ROOT, "Messages in the measured period: %,.0f per second (sent + received by the clients)%n",
                msgs);
        run.out.println("Drift (per " + run.s.sampleInterval().toSeconds() + " s interval):");
        drift.forEach(run.out::println);
        result.calls(ctr, ato, atc, rel, msgs);
    }

    private interface Body {
        void run() throws Exception;
    }

    private Thread thread(String name, Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception | Error e) {
                run.stats.error(name + "_failed:" + e.getClass().getSimpleName());
                e.printStackTrace(run.out);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
