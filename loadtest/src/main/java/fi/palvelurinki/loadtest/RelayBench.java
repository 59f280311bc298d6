package fi.palvelurinki.loadtest;

import fi.palvelurinki.loadtest.ws.WsClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The baselines: pairs of connections on a plain relay (the server's {@code /bench/relay}, or the bare
 * Netty relay), driven with the same messages as the calls' SDP/ICE relay. {@link #ceiling} floods them
 * (a window of messages in flight per direction) for the most messages per second the relay carries;
 * {@link #fixedRate} sends at a given Poisson rate and records each message's one-hop latency from its
 * intended send time.
 */
final class RelayBench {
    private static final java.util.regex.Pattern ERROR_CODE = java.util.regex.Pattern.compile("\"code\":\"([a-z_]+)\"");

    /** Two paired connections; a queue of intended send times per direction (messages arrive in order). */
    final class Link implements WsClient.Listener {
        final long id;
        WsClient.Conn a;
        WsClient.Conn b;
        final ConcurrentLinkedQueue<Long> ab = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Long> ba = new ConcurrentLinkedQueue<>();
        int n;

        Link(long id) {
            this.id = id;
        }

        /** Sends one message of the mix from {@code fromA ? a : b}, on the sender's loop. */
        void send(boolean fromA, long intended) {
            WsClient.Conn from = fromA ? a : b;
            from.loop().execute(() -> {
                (fromA ? ab : ba).add(intended);
                stats.sent.increment();
                from.send(payloads.mixed("r" + (n++), id, n));
            });
        }

        @Override
        public void onText(WsClient.Conn c, String text) {
            long now = System.nanoTime();
            stats.received.increment();
            if (text.contains("\"type\":\"error\"")) {
                java.util.regex.Matcher code = ERROR_CODE.matcher(text);
                stats.error("relay_error_reply:" + (code.find() ? code.group(1) : "?"));
                return;
            }
            boolean atA = c == a;
            Long t = (atA ? ba : ab).poll();
            if (t == null) {
                stats.error("relay_unmatched");
                return;
            }
            Stats.Latency l = recording;
            if (l != null) {
                l.recordNanos(now - t);
                (text.length() < 1000 ? recordingSmall : recordingLarge).recordNanos(now - t);
            }
            delivered.incrementAndGet();
            if (flooding) {
                send(!atA, now);
            }
        }

        @Override
        public void onClose(WsClient.Conn c) {
            if (!closing) {
                stats.error("relay_closed_by_server");
            }
        }
    }

    private final WsClient ws;
    private final Payloads payloads;
    private final Stats stats;
    private final AtomicLong delivered = new AtomicLong();
    private volatile boolean flooding;
    private volatile boolean closing;
    private volatile Stats.Latency recording;
    private volatile Stats.Latency recordingSmall;
    private volatile Stats.Latency recordingLarge;

    RelayBench(WsClient ws, Payloads payloads, Stats stats) {
        this.ws = ws;
        this.payloads = payloads;
        this.stats = stats;
    }

    List<Link> open(Function<String, URI> uriForPair, String token, int pairs, String tag) {
        List<Link> links = new ArrayList<>();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            Link l = new Link(i + 1);
            links.add(l);
            URI u = uriForPair.apply(tag + "-" + i);
            pending.add(ws.connect(u, token, l).thenAccept(c -> l.a = c));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        pending.clear();
        for (int i = 0; i < pairs; i++) {
            Link l = links.get(i);
            pending.add(ws.connect(uriForPair.apply(tag + "-" + i), token, l).thenAccept(c -> l.b = c));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        return links;
    }

    /**
     * Messages per second the relay delivers with {@code window} in flight per direction of each link, once it is
     * warm: flooded for at least {@code minWarmUpMillis}, then in windows of {@code windowMillis} until the last
     * {@value #STEADY_WINDOWS} windows' rates are each within {@value #STEADY} of their mean (at most
     * {@value #MAX_EXTRA_WINDOWS} more windows), then measured for {@code measureMillis}. One window like the one before
     * is not enough: a JIT that compiles the path in steps gives plateaus of a few seconds on the way up. A relay in a JVM that has just started spends its first seconds compiling its own path,
     * longer when it has one CPU: measured then, the ceiling is the JIT's (docs/performance.md, issue 20, Round 4: the
     * server's plain relay rose from 13,000 msg/s in its first second to 55,000 after six and 85,000 after fifteen, the
     * bare relay from 19,000 to 89,000 after five), and the two relays compared are not equally warm.
     */
    Ceiling ceiling(List<Link> links, int window, long windowMillis, long minWarmUpMillis, long measureMillis)
            throws InterruptedException {
        flooding = true;
        recording = null;
        for (Link l : links) {
            for (int w = 0; w < window; w++) {
                l.send(true, System.nanoTime());
                l.send(false, System.nanoTime());
            }
        }
        long started = System.nanoTime();
        List<Double> warmUp = new ArrayList<>();
        while (warmUp.isEmpty() || System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(minWarmUpMillis)) {
            warmUp.add(rateOver(windowMillis));
        }
        for (int extra = 0; extra < MAX_EXTRA_WINDOWS && !steady(warmUp); extra++) {
            warmUp.add(rateOver(windowMillis));
        }
        double rate = rateOver(measureMillis);
        flooding = false;
        drain(links);
        return new Ceiling(rate, warmUp);
    }

    /** A relay's ceiling (messages per second) and the rates of the warm-up windows before it was measured. */
    record Ceiling(double msgPerSecond, List<Double> warmUp) {
        /** The warm-up's rates, in thousands of messages per second: {@code "13.2 32.3 53.7"}. */
        String describeWarmUp() {
            StringBuilder b = new StringBuilder();
            for (double r : warmUp) {
                b.append(b.length() == 0 ? "" : " ").append(String.format(java.util.Locale.ROOT, "%.1f", r / 1000));
            }
            return b.toString();
        }
    }

    static final double STEADY = 0.1;
    static final int STEADY_WINDOWS = 3;
    static final int MAX_EXTRA_WINDOWS = 20;

    /** Whether the last {@link #STEADY_WINDOWS} rates are each within {@link #STEADY} of their mean. */
    static boolean steady(List<Double> rates) {
        if (rates.size() < STEADY_WINDOWS) {
            return false;
        }
        List<Double> last = rates.subList(rates.size() - STEADY_WINDOWS, rates.size());
        double mean = last.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        return last.stream().allMatch(r -> Math.abs(r - mean) <= STEADY * mean);
    }

    private double rateOver(long millis) throws InterruptedException {
        long d0 = delivered.get();
        long t0 = System.nanoTime();
        Thread.sleep(millis);
        return (delivered.get() - d0) / ((System.nanoTime() - t0) / 1e9);
    }

    /** Sends the mix at {@code rate} (Poisson) for {@code millis}; one-hop latencies into the three recorders. */
    void fixedRate(List<Link> links, double rate, long millis, long seed, Stats.Latency all, Stats.Latency small,
            Stats.Latency large) throws InterruptedException {
        all.reset();
        small.reset();
        large.reset();
        recording = all;
        recordingSmall = small;
        recordingLarge = large;
        SplittableRandom pick = new SplittableRandom(seed);
        long start = System.nanoTime();
        Poisson arrivals = new Poisson(seed, rate, start);
        long end = start + TimeUnit.MILLISECONDS.toNanos(millis);
        pace(arrivals, end, t -> {
            Link l = links.get(pick.nextInt(links.size()));
            boolean fromA = pick.nextBoolean();
            WsClient.Conn from = fromA ? l.a : l.b;
            from.loop().schedule(() -> l.send(fromA, t), Math.max(0, t - System.nanoTime()), TimeUnit.NANOSECONDS);
        });
        drain(links);
        recording = null;
    }

    /**
     * Runs the schedule: every millisecond, the arrivals due in the next 2 ms are handed to
     * {@code arrival} (which schedules each on its connection's loop at its intended time). Returns at {@code end}.
     */
    static void pace(Poisson arrivals, long end, java.util.function.LongConsumer arrival) throws InterruptedException {
        long next = arrivals.next();
        while (next < end) {
            long horizon = System.nanoTime() + 2_000_000;
            while (next <= horizon && next < end) {
                arrival.accept(next);
                next = arrivals.next();
            }
            Thread.sleep(1);
        }
        long rest = end - System.nanoTime();
        if (rest > 0) {
            TimeUnit.NANOSECONDS.sleep(rest);
        }
    }

    /** Waits (up to 10 s) until every message sent has arrived. */
    private static void drain(List<Link> links) throws InterruptedException {
        long until = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < until) {
            boolean empty = true;
            for (Link l : links) {
                empty &= l.ab.isEmpty() && l.ba.isEmpty();
            }
            if (empty) {
                return;
            }
            Thread.sleep(20);
        }
    }

    void close(List<Link> links) {
        closing = true;
        for (Link l : links) {
            l.a.drop();
            l.b.drop();
        }
    }
}
