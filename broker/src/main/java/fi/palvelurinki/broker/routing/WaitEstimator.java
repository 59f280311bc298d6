package fi.palvelurinki.broker.routing;

import java.time.Duration;

/**
 * Estimated wait for the k-th request in a ring's queue: {@code k × AHT / N}, where N is the number of
 * the ring's experts signed in (not OFFLINE or AWAY) and AHT is the ring's recent handle time (talk +
 * wrap-up) as an exponentially weighted moving average.
 *
 * <p>Why: with N experts busy and handle times roughly exponential, experts free up at rate N/AHT, so
 * the k-th in line waits k such intervals on average (the M/M/N conditional wait). It reacts to the
 * ring's own speed (unlike Asterisk's global hold-time average) and to staffing the moment an expert
 * signs in or out. The estimate is unknown (null) when nobody is signed in.
 */
public final class WaitEstimator {
    /** Weight of the newest handle time in the moving average (Asterisk uses 1/4 for its hold time too). */
    public static final double ALPHA = 0.25;

    private WaitEstimator() {}

    public static Duration estimate(int position, int staffed, double ahtSeconds) {
        long seconds = estimateSeconds(position, staffed, ahtSeconds);
        return seconds < 0 ? null : seconds == 0 ? Duration.ZERO : Duration.ofSeconds(seconds);
    }

    /** {@link #estimate} in whole seconds, -1 when unknown: for comparing without a {@code Duration} each. */
    static long estimateSeconds(int position, int staffed, double ahtSeconds) {
        if (staffed <= 0) {
            return -1;
        }
        if (position <= 0) {
            return 0;
        }
        return Math.round(position * ahtSeconds / staffed);
    }

    /**
     * The wait a new request would have: none when an expert is free for it now (fewer waiting than free
     * experts), else as the one after the last in line, counting only those the free experts cannot take.
     * The pages show this to advisors before they call: an estimate the queue itself would not give is
     * never shown.
     */
    public static Duration forNewRequest(int waiting, int available, int staffed, double ahtSeconds) {
        if (staffed <= 0) {
            return null;
        }
        int ahead = waiting - available;
        return ahead < 0 ? Duration.ZERO : estimate(ahead + 1, staffed, ahtSeconds);
    }

    public static double update(double ahtSeconds, double handleSeconds) {
        return (1 - ALPHA) * ahtSeconds + ALPHA * handleSeconds;
    }
}
