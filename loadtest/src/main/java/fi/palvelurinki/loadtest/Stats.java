package fi.palvelurinki.loadtest;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Latency recorders (microseconds, HdrHistogram) and counters of one run, safe from every event loop. */
public final class Stats {
    /** A latency recorded from many threads; read and reset per interval. */
    public static final class Latency {
        private final Recorder recorder = new Recorder(3);
        private final Histogram total = new Histogram(3);

        public void recordNanos(long nanos) {
            recorder.recordValue(Math.max(0, nanos / 1000));
        }

        /** Drops what was recorded so far (the warm-up). */
        public synchronized void reset() {
            recorder.getIntervalHistogram();
            total.reset();
        }

        /** What was recorded since the last call; also added to the total. */
        public synchronized Histogram interval() {
            Histogram h = recorder.getIntervalHistogram();
            total.add(h);
            return h;
        }

        public synchronized Histogram total() {
            interval();
            return total.copy();
        }
    }

    public final Latency clickToRing = new Latency();
    public final Latency availableToOffer = new Latency();
    public final Latency acceptToConnected = new Latency();
    public final Latency relayInCalls = new Latency();
    public final Latency resume = new Latency();
    /** A booking's intended send time to its 201. */
    public final Latency booking = new Latency();
    public final LongAdder sent = new LongAdder();
    public final LongAdder received = new LongAdder();
    public final LongAdder callsRequested = new LongAdder();
    public final LongAdder callsConnected = new LongAdder();
    public final LongAdder callsEnded = new LongAdder();
    public final LongAdder declines = new LongAdder();
    public final LongAdder missed = new LongAdder();
    public final LongAdder queueUpdates = new LongAdder();
    /** Calls and requests a new session's state no longer had (ended by a restart): no call_ended came. */
    public final LongAdder callsCut = new LongAdder();
    /** request_calls placed while the advisor's connection was down, sent after its welcome. */
    public final LongAdder deferred = new LongAdder();
    /** Messages of a session that was lost (a hangup, a candidate, an accept), not sent on the new one. */
    public final LongAdder staleDropped = new LongAdder();
    public final LongAdder reconnects = new LongAdder();
    /** Connection attempts that went on to the other node after one refused (two nodes). */
    public final LongAdder nodeSwitches = new LongAdder();
    /** Accepts and declines not sent, or refused with no_such_offer, because the offer had been withdrawn. */
    public final LongAdder offersGoneBeforeAnswer = new LongAdder();
    public final LongAdder bookingsConfirmed = new LongAdder();
    public final LongAdder bookingsSlotTaken = new LongAdder();
    public final LongAdder bookingsServerDown = new LongAdder();
    public final LongAdder bookingPushes = new LongAdder();
    public final LongAdder errors = new LongAdder();
    private final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();

    /** An error reply, an unexpected message, a gap in seq, a lost request, a connection the server closed. */
    public void error(String kind) {
        errors.increment();
        errorKinds.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    public Map<String, Long> errorKinds() {
        Map<String, Long> out = new TreeMap<>();
        errorKinds.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    public static double maxMs(Histogram h) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1000.0;
    }

    /** {@code p50 1.23 ms, p90 …, p99 …, max … (n=…)}. */
    public static String describe(Histogram h) {
        if (h.getTotalCount() == 0) {
            return "no samples";
        }
        return String.format(java.util.Locale.ROOT, "p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms (n=%d)",
                ms(h, 50), ms(h, 90), ms(h, 99), maxMs(h), h.getTotalCount());
    }
}
