package fi.palvelurinki.broker.analytics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Folds request outcomes into {@link QueueFigures}. Waits are in milliseconds. */
final class QueueTally {
    private long offered;
    private long abandoned;
    private long shortAbandoned;
    private long overflowed;
    private long stillWaiting;
    private final LongList answeredWaits = new LongList();
    private final LongList abandonedWaits = new LongList();

    void offered() {
        offered++;
    }

    void overflowed() {
        overflowed++;
    }

    void answered(long waitMillis) {
        answeredWaits.add(waitMillis);
    }

    /** Given up after waiting {@code waitMillis}; within {@code graceMillis} it does not count against the ring. */
    void abandoned(long waitMillis, long graceMillis) {
        if (waitMillis < graceMillis) {
            shortAbandoned++;
        } else {
            abandoned++;
            abandonedWaits.add(waitMillis);
        }
    }

    void stillWaiting() {
        stillWaiting++;
    }

    /** Answered within {@code thresholdMillis} / (answered + abandoned after the grace). */
    private double serviceLevel(long thresholdMillis) {
        long counted = answeredWaits.size() + abandoned;
        return counted == 0 ? Double.NaN : (double) answeredWaits.countAtMost(thresholdMillis) / counted;
    }

    QueueFigures figures(List<Duration> thresholds) {
        List<Double> sl = new ArrayList<>(thresholds.size());
        for (Duration t : thresholds) {
            sl.add(serviceLevel(t.toMillis()));
        }
        int n = answeredWaits.size();
        return new QueueFigures(offered, n, abandoned, shortAbandoned, overflowed, stillWaiting,
                n == 0 ? null : Duration.ofMillis(Math.round((double) answeredWaits.sum() / n)),
                n == 0 ? null : Duration.ofMillis(answeredWaits.percentile(0.50)),
                n == 0 ? null : Duration.ofMillis(answeredWaits.percentile(0.90)),
                n == 0 ? null : Duration.ofMillis(answeredWaits.percentile(0.99)),
                n == 0 ? null : Duration.ofMillis(answeredWaits.max()),
                List.copyOf(sl),
                abandoned == 0 ? null : Duration.ofMillis(Math.round((double) abandonedWaits.sum() / abandoned)));
    }

    /** Answered and abandoned (after the grace) requests by wait, cut at {@code bounds} (ascending). */
    List<WaitBucket> distribution(List<Duration> bounds) {
        List<WaitBucket> out = new ArrayList<>(bounds.size() + 1);
        Duration lower = Duration.ZERO;
        long answeredBelow = 0;
        long abandonedBelow = 0;
        for (Duration upper : bounds) {
            long a = answeredWaits.countAtMost(upper.toMillis() - 1);
            long b = abandonedWaits.countAtMost(upper.toMillis() - 1);
            out.add(new WaitBucket(lower, upper, a - answeredBelow, b - abandonedBelow));
            answeredBelow = a;
            abandonedBelow = b;
            lower = upper;
        }
        out.add(new WaitBucket(lower, null, answeredWaits.size() - answeredBelow, abandonedWaits.size() - abandonedBelow));
        return out;
    }
}
