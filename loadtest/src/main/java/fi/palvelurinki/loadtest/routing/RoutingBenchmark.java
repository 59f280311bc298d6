package fi.palvelurinki.loadtest.routing;

import fi.palvelurinki.broker.Broker;
import fi.palvelurinki.broker.BrokerConfig;
import fi.palvelurinki.broker.BrokerMetrics;
import fi.palvelurinki.broker.CallKind;
import fi.palvelurinki.broker.ErrorCode;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.Notification;
import fi.palvelurinki.broker.NotificationSink;
import fi.palvelurinki.broker.Party;
import fi.palvelurinki.broker.Recipient;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.ScheduledTimerService;
import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.point.Advisor;
import fi.palvelurinki.broker.point.ServicePoint;
import fi.palvelurinki.broker.ring.Authority;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.RingConfig;
import fi.palvelurinki.broker.routing.LongestIdlePolicy;
import fi.palvelurinki.loadtest.Directories;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Drives the broker in-process (no sockets) the way a national service would, only faster: Poisson
 * arrivals (open loop) of calls to several rings from many service points, experts simulated by one
 * driver thread that accepts offers (declining a share), talks for an exponentially distributed handle
 * time, hangs up and says "ready for next call". The journal is real, with fsync unless switched off.
 *
 * <p>Three phases: 40 % of the time steady arrivals at {@code rate}; 20 % a staff shortage, in which nine
 * in ten experts take a break after their call whenever fewer than {@code peakWaiting} requests wait,
 * and come back when that many do (so the queues hover around the peak);
 * 40 % at 0.7 × rate, draining the queues. A <em>routing decision</em> is one
 * evaluation of the routing state that matches a request to the experts or an expert to the queues
 * (a new request, an expert ready again, a decline). Decision latency is measured from the
 * moment a command that needs a decision is submitted until the broker thread has made it, queueing
 * included.
 */
public final class RoutingBenchmark {

    public record Options(Duration duration, Duration warmUp, int rings, int experts, int points, double rate,
            Duration meanHandle, int peakWaiting, double declineShare, boolean fsync, long seed, Path dataDir,
            String journalUrl) {
        public Options {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("duration must be positive");
            }
            if (warmUp.isNegative()) {
                throw new IllegalArgumentException("warm-up must not be negative");
            }
            if (rings < 1 || rings > RING_NAMES.length) {
                throw new IllegalArgumentException("rings must be 1-" + RING_NAMES.length);
            }
            if (experts < rings || points < 1) {
                throw new IllegalArgumentException("need at least one expert per ring and one point");
            }
            if (rate <= 0) {
                throw new IllegalArgumentException("rate must be positive");
            }
            if (meanHandle.toNanos() < 100_000) {
                throw new IllegalArgumentException("mean handle time must be at least 0.1 ms");
            }
            if (declineShare < 0 || declineShare > 0.5) {
                throw new IllegalArgumentException("decline share must be 0-0.5");
            }
        }

        /** 5 rings, 300 experts, 150 points, 20,000 calls/s, 2,000 waiting at peak. */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(20), Duration.ofSeconds(20), 5, 300, 150, 20_000, Duration.ofMillis(1),
                    2000, 0.05, true, 1, null, null);
        }

        /** The same run on the journal in PostgreSQL at {@code url} (an empty journal) instead of the file. */
        public Options withJournalUrl(String url) {
            return new Options(duration, warmUp, rings, experts, points, rate, meanHandle, peakWaiting, declineShare,
                    fsync, seed, dataDir, url);
        }

        public double capacityPerSecond() {
            return experts / (meanHandle.toNanos() / 1e9);
        }
    }

    public record Result(Duration elapsed, long arrivals, long offers, long calls, long declines, long decisions,
            long peakWaiting, long errors, Histogram decisionNanos, Histogram generatorLagNanos, long syncs,
            long syncedEvents, Histogram fsyncNanos, boolean fsync, long replayedEvents, Duration replay,
            java.util.Map<String, Long> refusals, double cpuSteal, long jitMillis) {

        public long decisionP99Micros() {
            return micros(decisionNanos.getValueAtPercentile(99));
        }

        public long decisionsPerSecond() {
            return Math.round(decisions / (elapsed.toNanos() / 1e9));
        }

        public String resultLine() {
            return String.format(Locale.ROOT,
                    "RESULT routing_decisions_per_s=%d decision_p50_us=%d decision_p99_us=%d journal_fsync=%s",
                    decisionsPerSecond(), micros(decisionNanos.getValueAtPercentile(50)),
                    micros(decisionNanos.getValueAtPercentile(99)), fsync ? "on" : "off");
        }

        public void print(PrintStream out) {
            double secs = elapsed.toNanos() / 1e9;
            out.printf(Locale.ROOT, "elapsed              %.1f s%n", secs);
            out.printf(Locale.ROOT, "arrivals             %d (%.0f/s)%n", arrivals, arrivals / secs);
            out.printf(Locale.ROOT, "offers               %d, declines %d, calls %d%n", offers, declines, calls);
            out.printf(Locale.ROOT, "peak waiting         %d%n", peakWaiting);
            out.printf(Locale.ROOT, "routing decisions    %d (%d/s)%n", decisions, decisionsPerSecond());
            out.printf(Locale.ROOT, "decision latency     p50 %d µs  p90 %d µs  p99 %d µs  p99.9 %d µs  max %d µs (%d samples)%n",
                    micros(decisionNanos.getValueAtPercentile(50)), micros(decisionNanos.getValueAtPercentile(90)),
                    micros(decisionNanos.getValueAtPercentile(99)), micros(decisionNanos.getValueAtPercentile(99.9)),
                    micros(decisionNanos.getMaxValue()), decisionNanos.getTotalCount());
            out.printf(Locale.ROOT, "generator lag        p99 %d µs  max %d µs (how late arrivals were submitted)%n",
                    micros(generatorLagNanos.getValueAtPercentile(99)), micros(generatorLagNanos.getMaxValue()));
            out.printf(Locale.ROOT, "journal              fsync %s, %d group commits, %.1f events each, write+sync p50 %d µs p99 %d µs%n",
                    fsync ? "on" : "off", syncs, syncs == 0 ? 0.0 : (double) syncedEvents / syncs,
                    micros(fsyncNanos.getValueAtPercentile(50)), micros(fsyncNanos.getValueAtPercentile(99)));
            out.printf(Locale.ROOT, "restart              replayed %d events in %d ms (%.0f events/s)%n", replayedEvents,
                    replay.toMillis(), replayedEvents / Math.max(1e-9, replay.toNanos() / 1e9));
            out.printf(Locale.ROOT, "errors               %d%s%n", errors, refusals.isEmpty() ? "" : " " + refusals);
            if (jitMillis >= 0) {
                out.printf(Locale.ROOT, "jit                  %d ms compiling during the measured run%s%n", jitMillis,
                        jitMillis > 1000 ? " (still warming up: a longer --warm-up measures the steady state)" : "");
            }
            if (!Double.isNaN(cpuSteal)) {
                out.printf(Locale.ROOT, "cpu steal            %.1f %% of the measured time%s%n", 100 * cpuSteal,
                        cpuSteal > 0.002 ? " (the hypervisor ran other machines: the latency tail above is disturbed)" : "");
            }
        }

        private static long micros(long nanos) {
            return Math.round(nanos / 1000.0);
        }
    }

    private static final PrintStream NO_PROGRESS = new PrintStream(java.io.OutputStream.nullOutputStream());
    static final String[] RING_NAMES = {"kela", "te", "vero", "dvv", "kunta", "poliisi", "kela-sv", "te-sv"};
    private static final double[] RING_WEIGHTS = {0.40, 0.20, 0.15, 0.15, 0.10, 0.05, 0.05, 0.05};
    private static final String[] TOPICS = {"general", "benefits", "registry", "permits"};

    private final Options options;
    private final AtomicLong errors = new AtomicLong();
    private final java.util.Map<String, AtomicLong> refusals = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * What the broker's metrics callbacks record into. The warm-up records into a tally of its own, which
     * is thrown away, rather than skipping the recording: a branch never taken during the warm-up would be
     * compiled as a trap, and the first measured decision would throw the broker thread's hottest method
     * (the metrics callback is inlined into it) back to the interpreter just as measuring starts.
     */
    private static final class Tally {
        final Histogram decisionNanos = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final Histogram fsyncNanos = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final AtomicLong syncs = new AtomicLong();
        final AtomicLong syncedEvents = new AtomicLong();
    }

    private volatile Tally tally = new Tally();

    public RoutingBenchmark(Options options) {
        this.options = options;
    }

    public Result run(PrintStream progress) throws Exception {
        Path dir = options.dataDir() != null ? options.dataDir() : Files.createTempDirectory("palvelurinki-bench");
        InstantSource clock = InstantSource.system();
        BrokerConfig config = BrokerConfig.defaults(dir).withFsync(options.fsync())
                .withLimits(1_000_000, 1_000_000).withIntervals(Duration.ofMillis(500), Duration.ofSeconds(1));
        if (options.journalUrl() != null) {
            try (java.sql.Connection c = fi.palvelurinki.broker.journal.PostgresJournal.connect(options.journalUrl())) {
                fi.palvelurinki.broker.journal.PostgresJournal.createSchema(c);
                if (fi.palvelurinki.broker.journal.PostgresJournal.lastSeq(c) != 0) {
                    throw new IllegalArgumentException("the PostgreSQL journal must be empty: the benchmark writes a "
                            + "journal of its own (give an empty database)");
                }
            }
            config = config.withPostgres(BrokerConfig.Postgres.of(options.journalUrl()));
        }
        BrokerMetrics metrics = new BrokerMetrics() {
            @Override
            public void commandHandled(Class<? extends Command> type, long nanos, ErrorCode refusal) {
                if (refusal != null) {
                    errors.incrementAndGet();
                    refusals.computeIfAbsent(type.getSimpleName() + ": " + refusal.wireName(), k -> new AtomicLong())
                            .incrementAndGet();
                }
                if (type == Command.RequestCall.class || type == Command.EndWrapUp.class
                        || type == Command.DeclineOffer.class || type == Command.SetPresence.class) {
                    Histogram h = tally.decisionNanos;
                    h.recordValue(Math.min(nanos, h.getHighestTrackableValue()));
                }
            }

            @Override
            public void journalSynced(int events, long bytes, long nanos) {
                Tally t = tally;
                t.syncs.incrementAndGet();
                t.syncedEvents.addAndGet(events);
                synchronized (t.fsyncNanos) {
                    t.fsyncNanos.recordValue(Math.min(nanos, t.fsyncNanos.getHighestTrackableValue()));
                }
            }
        };
        try (ScheduledTimerService timers = new ScheduledTimerService(clock);
                Broker broker = Broker.start(config, clock, timers, new LongestIdlePolicy(), this::onNotification, metrics)) {
            this.broker = broker;
            List<String> advisors = configure(broker);
            if (!options.warmUp().isZero()) {
                progress.printf(Locale.ROOT, "warming up for %d s (not measured)%n", options.warmUp().toSeconds());
                drive(broker, advisors, options.warmUp(), false, new Tally(), NO_PROGRESS);
            }
            long decisionsBefore = settledDecisions(broker);
            errors.set(0);
            refusals.clear();
            progress.printf(Locale.ROOT, "bench routing: %d rings, %d experts, %d points, %.0f calls/s (experts' talk "
                    + "capacity %.0f calls/s), %d s, fsync %s%n", options.rings(), options.experts(), options.points(),
                    options.rate(), options.capacityPerSecond(), options.duration().toSeconds(), options.fsync() ? "on" : "off");
            Tally measured = new Tally();
            CpuSteal.Reading stealBefore = CpuSteal.read();
            long jitBefore = jitMillis();
            Result r = drive(broker, advisors, options.duration(), true, measured, progress);
            double steal = CpuSteal.share(stealBefore, CpuSteal.read());
            long jit = jitBefore < 0 ? -1 : jitMillis() - jitBefore;
            long decisionsDuring = r.decisions() - decisionsBefore;
            // Counted before closing: closing releases held offers, which the simulated experts would
            // try to accept from a broker that no longer takes commands.
            long errorsDuring = errors.get();
            java.util.Map<String, Long> refusalsDuring = refusalCounts();
            broker.close();
            // A restart: how long rebuilding the state from this journal takes.
            long t0 = System.nanoTime();
            long replayed;
            try (Broker again = Broker.start(config, clock, timers, new LongestIdlePolicy(), NotificationSink.DISCARD, null)) {
                replayed = again.replayedEvents();
            }
            Duration replay = Duration.ofNanos(System.nanoTime() - t0);
            return new Result(r.elapsed(), r.arrivals(), r.offers(), r.calls(), r.declines(), decisionsDuring,
                    r.peakWaiting(), errorsDuring, measured.decisionNanos, r.generatorLagNanos(), measured.syncs.get(),
                    measured.syncedEvents.get(), measured.fsyncNanos, options.fsync(), replayed, replay, refusalsDuring, steal, jit);
        } finally {
            if (options.dataDir() == null) {
                Directories.deleteTree(dir);
            }
        }
    }

    // --- simulated experts: they answer on the broker's notification path, as fast as a client could.
    private Broker broker;
    private final java.util.SplittableRandom expertRandom = new java.util.SplittableRandom(7);
    /** Requests offered at least once, by id (ids are handed out from 1 up): one bit each, no box per id. */
    private final java.util.BitSet offeredOnce = new java.util.BitSet();
    private final ConcurrentLinkedQueue<Hangup> connected = new ConcurrentLinkedQueue<>();
    private final AtomicLong offers = new AtomicLong();
    private final AtomicLong firstOffers = new AtomicLong();
    private final AtomicLong declines = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();

    /** Runs on the broker thread: must not block, and does not (submit never blocks). */
    private void onNotification(Notification n) {
        if (n instanceof Notification.Offer o) {
            offers.lazySet(offers.get() + 1);
            int id = Math.toIntExact(o.requestId());
            if (!offeredOnce.get(id)) {
                offeredOnce.set(id);
                firstOffers.lazySet(firstOffers.get() + 1);
            }
            if (expertRandom.nextDouble() < options.declineShare()) {
                declines.lazySet(declines.get() + 1);
                track(broker.submit(new Command.DeclineOffer(o.expertId(), o.requestId())));
            } else {
                track(broker.submit(new Command.AcceptOffer(o.expertId(), o.requestId())));
            }
        } else if (n instanceof Notification.CallConnected c && c.recipient().role() == Recipient.Role.EXPERT) {
            calls.lazySet(calls.get() + 1);
            long handle = (long) (-Math.log(1 - expertRandom.nextDouble()) * options.meanHandle().toNanos());
            connected.add(new Hangup(System.nanoTime() + handle, c.expertId(), c.callId()));
        }
    }

    /** The decision count once the broker thread has finished the rounds queued so far. */
    private static long settledDecisions(Broker broker) throws Exception {
        broker.submit(new Command.ListRings()).get(30, TimeUnit.SECONDS);
        broker.submit(new Command.ListRings()).get(30, TimeUnit.SECONDS);
        return broker.health().routingDecisions();
    }

    /** Authorities, rings, points, advisors and experts, all signed in. Returns the advisors' ids. */
    private List<String> configure(Broker broker) throws Exception {
        Random rnd = new Random(options.seed());
        List<CompletableFuture<Reply>> pending = new ArrayList<>();
        for (int i = 0; i < options.rings(); i++) {
            String id = RING_NAMES[i];
            pending.add(broker.submit(new Command.DefineAuthority(new Authority("auth-" + id, "Authority " + id))));
            pending.add(broker.submit(new Command.ConfigureRing(RingConfig.builder(id, "auth-" + id)
                    .topics(Set.of(TOPICS)).languages(EnumSet.of(Language.FI, Language.SV, Language.EN))
                    .offerTimeout(Duration.ofSeconds(30)).wrapUp(Duration.ofSeconds(60)).declineCooldown(Duration.ofMillis(200))
                    .languageEscalation(Duration.ofSeconds(1), Set.of(Language.FI)).build(), "bench")));
        }
        List<String> advisors = new ArrayList<>();
        for (int p = 0; p < options.points(); p++) {
            String point = "point-" + p;
            pending.add(broker.submit(new Command.DefinePoint(new ServicePoint(point, "Point " + p, "Town " + p, 3))));
            for (int a = 0; a < 2; a++) {
                String advisor = point + "-a" + a;
                pending.add(broker.submit(new Command.DefineAdvisor(new Advisor(advisor, "Advisor " + advisor, point))));
                advisors.add(advisor);
            }
        }
        double totalWeight = 0;
        for (int i = 0; i < options.rings(); i++) {
            totalWeight += RING_WEIGHTS[i];
        }
        int made = 0;
        for (int i = 0; i < options.rings(); i++) {
            int n = i == options.rings() - 1 ? options.experts() - made
                    : (int) Math.round(options.experts() * RING_WEIGHTS[i] / totalWeight);
            for (int k = 0; k < n; k++, made++) {
                Set<String> rings = new java.util.TreeSet<>(List.of(RING_NAMES[i]));
                if (rnd.nextDouble() < 0.2 && options.rings() > 1) {
                    rings.add(RING_NAMES[rnd.nextInt(options.rings())]);
                }
                double l = rnd.nextDouble();
                Set<Language> langs = l < 0.80 ? EnumSet.of(Language.FI)
                        : l < 0.95 ? EnumSet.of(Language.FI, Language.SV) : EnumSet.of(Language.SV, Language.EN);
                String id = "x" + made;
                pending.add(broker.submit(new Command.DefineExpert(new ExpertProfile(id, "Expert " + made, rings, langs,
                        Set.of()), "bench")));
                pending.add(broker.submit(new Command.SetPresence(id, Presence.AVAILABLE)));
            }
        }
        for (CompletableFuture<Reply> f : pending) {
            f.get(60, TimeUnit.SECONDS);
        }
        return advisors;
    }

    private record Hangup(long due, String expertId, long callId) {}

    /** The arrival process: Poisson, ring by weight, language mix of a bilingual country. */
    private final class Arrivals {
        final Random rnd;
        final List<String> advisors;
        final double[] cumulative = new double[options.rings()];
        final double sum;
        final Histogram lag = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        long next;
        long count;

        Arrivals(Random rnd, List<String> advisors, long start) {
            this.rnd = rnd;
            this.advisors = advisors;
            double total = 0;
            for (int i = 0; i < options.rings(); i++) {
                total += RING_WEIGHTS[i];
                cumulative[i] = total;
            }
            this.sum = total;
            this.next = start;
        }

        /** Submits every arrival due by {@code now} (late ones at once: the schedule is open loop). */
        void submitDue(long now, double rate) {
            while (next <= now) {
                lag.recordValue(Math.min(now - next, lag.getHighestTrackableValue()));
                submitOne();
                next += (long) (-Math.log(1 - rnd.nextDouble()) * 1e9 / rate);
            }
        }

        private void submitOne() {
            String advisor = advisors.get(rnd.nextInt(advisors.size()));
            double pick = rnd.nextDouble() * sum;
            int ring = 0;
            while (cumulative[ring] < pick) {
                ring++;
            }
            double l = rnd.nextDouble();
            Language language = l < 0.90 ? Language.FI : l < 0.98 ? Language.SV : Language.EN;
            track(broker.submit(new Command.RequestCall(advisor, RING_NAMES[ring], TOPICS[rnd.nextInt(TOPICS.length)],
                    language, true, "", CallKind.INSTANT, 0)));
            count++;
        }
    }

    /** Calls in progress, hung up when their handle time is over; then the expert is ready again, or on a break. */
    private final class Hangups {
        final PriorityQueue<Hangup> due = new PriorityQueue<>(Comparator.comparingLong(Hangup::due));
        final List<String> onBreak = new ArrayList<>();
        boolean shortage;

        void collect() {
            Hangup h;
            while ((h = connected.poll()) != null) {
                due.add(h);
            }
        }

        void submitDue(long now) {
            while (!due.isEmpty() && due.peek().due() <= now) {
                submit(due.poll());
            }
        }

        void submitAll() {
            collect();
            Hangup h;
            while ((h = due.poll()) != null) {
                submit(h);
            }
        }

        long next() {
            return due.isEmpty() ? Long.MAX_VALUE : due.peek().due();
        }

        private void submit(Hangup h) {
            track(broker.submit(new Command.Hangup(Party.EXPERT, h.expertId(), h.callId())));
            if (shortage && onBreak.size() < options.experts() * 9 / 10) {
                onBreak.add(h.expertId());
                track(broker.submit(new Command.SetPresence(h.expertId(), Presence.AWAY)));
            } else {
                track(broker.submit(new Command.EndWrapUp(h.expertId())));
            }
        }

        /** The shortage lasts while too few wait; when it ends, everyone on a break comes back. */
        void shortage(boolean on) {
            shortage = on;
            if (!on && !onBreak.isEmpty()) {
                for (String e : onBreak) {
                    track(broker.submit(new Command.SetPresence(e, Presence.AVAILABLE)));
                }
                onBreak.clear();
            }
        }
    }

    /** The arrival rate at a point of the run: steady, then the shortage, then the drain. */
    private double rateAt(double share) {
        return share < 0.6 ? options.rate() : 0.7 * options.rate();
    }

    /**
     * Submits arrivals (open loop) and due hang-ups for {@code duration}. Unmeasured runs (the warm-up)
     * go through the same phases so that every code path is compiled before measuring starts.
     */
    private Result drive(Broker broker, List<String> advisors, Duration duration, boolean measured, Tally into,
            PrintStream progress) {
        long offersBefore = offers.get();
        long firstOffersBefore = firstOffers.get();
        long declinesBefore = declines.get();
        long callsBefore = calls.get();
        long waitingBefore = Math.max(0, arrivalsSoFar - firstOffersBefore);
        long durationNanos = duration.toNanos();
        Hangups hangups = new Hangups();
        long peak = 0;

        tally = into;
        long start = System.nanoTime();
        Arrivals arrivals = new Arrivals(new Random(options.seed() * 31 + (measured ? 7 : 3)), advisors, start);
        long end = start + durationNanos;
        long nextReport = start + TimeUnit.SECONDS.toNanos(5);
        for (long now = start; now < end; now = System.nanoTime()) {
            hangups.collect();
            long waiting = waitingBefore + arrivals.count - (firstOffers.get() - firstOffersBefore);
            peak = Math.max(peak, waiting);
            double share = (double) (now - start) / durationNanos;
            hangups.shortage(share >= 0.4 && share < 0.6 && waiting < options.peakWaiting());
            arrivals.submitDue(now, rateAt(share));
            hangups.submitDue(now);
            if (now >= nextReport) {
                progress.printf(Locale.ROOT, "  %4.0f s: %d arrivals, %d calls, %d waiting%n",
                        (now - start) / 1e9, arrivals.count, calls.get() - callsBefore, waiting);
                nextReport += TimeUnit.SECONDS.toNanos(5);
            }
            // Sleep until the next arrival or hang-up is due: the second core is shared with the broker
            // thread, so spinning here would slow down what is measured.
            long idle = Math.min(arrivals.next, hangups.next()) - System.nanoTime();
            if (idle > 0) {
                LockSupport.parkNanos(Math.min(idle, 200_000));
            }
        }
        long elapsed = System.nanoTime() - start;
        tally = new Tally();
        arrivalsSoFar += arrivals.count;
        hangups.submitAll();
        hangups.shortage(false);
        // Decisions made up to the end of the measured period (the broker's counter, as of its last round).
        long decisions = broker.health().routingDecisions();
        return new Result(Duration.ofNanos(elapsed), arrivals.count, offers.get() - offersBefore,
                calls.get() - callsBefore, declines.get() - declinesBefore, decisions, peak, 0, null, arrivals.lag, 0,
                0, null, options.fsync(), 0, Duration.ZERO, java.util.Map.of(), Double.NaN, -1);
    }

    private long arrivalsSoFar;

    /** Time the JIT compilers have spent so far (all their threads), or -1 where the JVM does not say. */
    private static long jitMillis() {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    private java.util.Map<String, Long> refusalCounts() {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        refusals.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Refusals by the engine are counted in the metrics; a full command queue refuses at once, here. */
    private void track(CompletableFuture<Reply> f) {
        if (f.isCompletedExceptionally()) {
            errors.incrementAndGet();
            refusals.computeIfAbsent("submit refused", k -> new AtomicLong()).incrementAndGet();
        }
    }
}
