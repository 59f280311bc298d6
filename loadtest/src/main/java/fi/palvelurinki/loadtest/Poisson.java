package fi.palvelurinki.loadtest;

import java.util.SplittableRandom;

/**
 * An open-loop arrival schedule: the intended send times of a Poisson process at {@code rate} per
 * second, fixed in advance of the answers (latencies are measured from these times, so a slow server
 * or a late event loop shows as latency instead of as fewer requests: no coordinated omission).
 */
public final class Poisson {
    private final SplittableRandom random;
    private final double ratePerNano;
    private long next;

    public Poisson(long seed, double ratePerSecond, long startNanos) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive, got " + ratePerSecond);
        }
        this.random = new SplittableRandom(seed);
        this.ratePerNano = ratePerSecond / 1e9;
        this.next = startNanos + gap();
    }

    private long gap() {
        return (long) (-Math.log(1 - random.nextDouble()) / ratePerNano);
    }

    /** The intended time of the next arrival (System.nanoTime scale); advances the schedule. */
    public long next() {
        long t = next;
        next += gap();
        return t;
    }

    /** Exponentially distributed with the given mean, for handle and think times. */
    public static long exponential(SplittableRandom r, long meanNanos) {
        return meanNanos <= 0 ? 0 : (long) (-Math.log(1 - r.nextDouble()) * meanNanos);
    }
}
