package fi.palvelurinki.loadtest.jmh;

import fi.palvelurinki.broker.BrokerConfig;
import fi.palvelurinki.broker.CallKind;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.Notification;
import fi.palvelurinki.broker.Party;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.point.Advisor;
import fi.palvelurinki.broker.point.ServicePoint;
import fi.palvelurinki.broker.ring.Authority;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.RingConfig;
import fi.palvelurinki.broker.routing.LongestIdlePolicy;
import fi.palvelurinki.broker.routing.RoutingEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The routing engine alone (no broker thread, no journal): the CPU cost of one call's cycle through the
 * decisions {@code bench routing} measures, on the broker thread's code paths. Set up as that benchmark
 * is (5 rings, 300 experts, 150 points with 2 advisors, the same language mix, language escalation after
 * 1 s, queue updates every 500 ms), with every expert busy and {@code waiting} requests queued. One
 * operation is one arrival ({@code request_call}, a decision) and one expert finishing a call (hang-up,
 * end of wrap-up: a decision that offers them the head of the queue, accepted; every 20th offer declined
 * and offered again), then what the broker does each round: due timers, queue and ring updates, the
 * round's events and notifications taken. A manual clock advances 25 µs per operation (40,000 calls/s),
 * so timers and update rounds come as often as in {@code bench routing --rate 40000}. {@link #queueUpdateRound}
 * is the walk through the queues on its own: one whole queue-update round per operation. {@link #busy} below
 * 300 leaves experts idle, so that arrivals take the shortlist path instead of the queue.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class DecisionBenchmark {
    private static final String[] RINGS = {"kela", "te", "vero", "dvv", "kunta"};
    private static final double[] RING_WEIGHTS = {0.40, 0.20, 0.15, 0.15, 0.10};
    private static final String[] TOPICS = {"general", "benefits", "registry", "permits"};
    private static final int EXPERTS = 300;
    private static final int POINTS = 150;
    private static final long STEP_NANOS = 25_000;
    private static final long UPDATE_INTERVAL_NANOS = 500_000_000;

    /** Requests queued while every expert is busy: 0 (an expert is always free), a peak, a backlog. */
    @Param({"0", "2000", "100000"})
    public int waiting;

    /**
     * Experts in a call at the start: all 300 by default, so that an arrival queues or meets the one expert who
     * just finished. With fewer ({@code -p busy=150 -p waiting=0}) the others are idle, as in {@code bench routing}
     * below saturation: each arrival is matched against a shortlist of idle experts (16 of them), offered,
     * accepted, and the expert finishing a call goes back to idle.
     */
    @Param({"300"})
    public int busy;

    private final ManualClock clock = new ManualClock();
    private RoutingEngine engine;
    private final List<String> advisors = new ArrayList<>();
    private final ArrayDeque<Object[]> inCall = new ArrayDeque<>();
    private final SplittableRandom rnd = new SplittableRandom(1);
    private long offers;

    @Setup(Level.Trial)
    public void setUp() {
        BrokerConfig config = BrokerConfig.defaults(Path.of("unused")).withFsync(false)
                .withLimits(1_000_000, 1_000_000).withIntervals(Duration.ofMillis(500), Duration.ofSeconds(1));
        engine = new RoutingEngine(clock, new LongestIdlePolicy(), config);
        SplittableRandom setup = new SplittableRandom(7);
        for (String id : RINGS) {
            handle(new Command.DefineAuthority(new Authority("auth-" + id, "Authority " + id)));
            handle(new Command.ConfigureRing(RingConfig.builder(id, "auth-" + id).topics(Set.of(TOPICS))
                    .languages(EnumSet.of(Language.FI, Language.SV, Language.EN)).offerTimeout(Duration.ofSeconds(30))
                    .wrapUp(Duration.ofSeconds(60)).declineCooldown(Duration.ofMillis(200))
                    .languageEscalation(Duration.ofSeconds(1), Set.of(Language.FI)).build(), "bench"));
        }
        for (int p = 0; p < POINTS; p++) {
            String point = "point-" + p;
            handle(new Command.DefinePoint(new ServicePoint(point, "Point " + p, "Town " + p, 3)));
            for (int a = 0; a < 2; a++) {
                String advisor = point + "-a" + a;
                handle(new Command.DefineAdvisor(new Advisor(advisor, "Advisor " + advisor, point)));
                advisors.add(advisor);
            }
        }
        int made = 0;
        for (int i = 0; i < RINGS.length; i++) {
            int n = i == RINGS.length - 1 ? EXPERTS - made : (int) Math.round(EXPERTS * RING_WEIGHTS[i]);
            for (int k = 0; k < n; k++, made++) {
                Set<String> rings = new TreeSet<>(List.of(RINGS[i]));
                if (setup.nextDouble() < 0.2) {
                    rings.add(RINGS[setup.nextInt(RINGS.length)]);
                }
                double l = setup.nextDouble();
                Set<Language> langs = l < 0.80 ? EnumSet.of(Language.FI)
                        : l < 0.95 ? EnumSet.of(Language.FI, Language.SV) : EnumSet.of(Language.SV, Language.EN);
                String id = "x" + made;
                handle(new Command.DefineExpert(new ExpertProfile(id, "Expert " + made, rings, langs, Set.of()), "bench"));
                handle(new Command.SetPresence(id, Presence.AVAILABLE));
            }
        }
        round();
        // Every expert busy first, then the backlog: new arrivals queue behind it.
        if (busy < 0 || busy > EXPERTS) {
            throw new IllegalArgumentException("busy must be 0.." + EXPERTS + ": " + busy);
        }
        while (inCall.size() < busy) {
            arrive();
            round();
        }
        for (int i = 0; i < waiting; i++) {
            arrive();
        }
        round();
    }

    /** One arrival and one expert's call finished (two decisions or a little more), and the broker's round. */
    @Benchmark
    public void callCycle(Blackhole bh) {
        bh.consume(arrive());
        Object[] call = inCall.poll();
        if (call != null) {
            String expert = (String) call[0];
            handle(new Command.Hangup(Party.EXPERT, expert, (Long) call[1]));
            handle(new Command.EndWrapUp(expert));
        }
        bh.consume(round());
    }

    /**
     * The walks through a ring's queue: half a second of simulated time passes, so every ring's queue-update
     * round is due; one arrival and one expert's call finished (the matcher walks from the head); then the
     * whole update round, every step of it, over all {@code waiting} requests (those near the head moved
     * and are told, those further back are told when their figure is 30 s old).
     */
    @Benchmark
    public int queueUpdateRound(Blackhole bh) {
        clock.advance(UPDATE_INTERVAL_NANOS);
        callCycle(bh);
        int n = 0;
        Instant next;
        while ((next = engine.nextDeadline()) != null && !next.isAfter(clock.instant())) {
            n += round();
        }
        return n;
    }

    private Reply arrive() {
        clock.advance(STEP_NANOS);
        String advisor = advisors.get(rnd.nextInt(advisors.size()));
        double pick = rnd.nextDouble();
        int ring = 0;
        double sum = RING_WEIGHTS[0];
        while (sum < pick && ring < RINGS.length - 1) {
            sum += RING_WEIGHTS[++ring];
        }
        double l = rnd.nextDouble();
        Language language = l < 0.90 ? Language.FI : l < 0.98 ? Language.SV : Language.EN;
        return handle(new Command.RequestCall(advisor, RINGS[ring], TOPICS[rnd.nextInt(TOPICS.length)], language, true,
                "", CallKind.INSTANT, 0));
    }

    /** What the broker thread does after a batch of commands; offers are answered as the simulated experts do. */
    private int round() {
        engine.fireDueTimers();
        engine.publishUpdates();
        int n = engine.drainEvents().size();
        List<Notification> out = engine.drainNotifications();
        while (!out.isEmpty()) {
            n += out.size();
            for (Notification x : out) {
                if (x instanceof Notification.Offer o) {
                    if (++offers % 20 == 0) {
                        handle(new Command.DeclineOffer(o.expertId(), o.requestId()));
                    } else {
                        Reply.CallConnected c = (Reply.CallConnected) handle(new Command.AcceptOffer(o.expertId(),
                                o.requestId()));
                        inCall.add(new Object[] {o.expertId(), c.callId()});
                    }
                }
            }
            n += engine.drainEvents().size();
            out = engine.drainNotifications();
        }
        return n;
    }

    private Reply handle(Command c) {
        return engine.handle(c);
    }

    /** Time stands still unless the benchmark moves it: timers fire as at the simulated rate. */
    static final class ManualClock implements InstantSource {
        private long nanos = Instant.parse("2026-12-07T08:00:00Z").toEpochMilli() * 1_000_000L;

        void advance(long by) {
            nanos += by;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(0, nanos);
        }
    }
}
