package fi.palvelurinki.broker.analytics;

import java.time.Duration;
import java.util.List;

/**
 * What happened to the requests that arrived in a period (definitions in {@code docs/metrics.md}).
 *
 * @param offered          requests queued
 * @param answered         requests whose offer an expert accepted
 * @param abandoned        requests given up (cancelled, point disconnected) after the short-abandon grace
 * @param shortAbandoned   requests given up within the grace: counted apart, not against the ring
 * @param overflowed       requests that overflowed to another ring (answered or not)
 * @param stillWaiting     requests not yet answered or given up when the journal ends
 * @param asa              mean wait of answered requests; null when none was answered
 * @param waitP50          wait percentiles of answered requests (nearest rank); null when none was answered
 * @param serviceLevels    SL(t) for each threshold asked for, in that order; NaN when nothing counts
 * @param meanTimeToAbandon mean time the abandoned (after the grace) waited; null when none
 */
public record QueueFigures(long offered, long answered, long abandoned, long shortAbandoned, long overflowed,
        long stillWaiting, Duration asa, Duration waitP50, Duration waitP90, Duration waitP99, Duration waitMax,
        List<Double> serviceLevels, Duration meanTimeToAbandon) {

    /** Abandoned / (offered − short abandons): NaN when nothing was offered. */
    public double abandonmentRate() {
        long counted = offered - shortAbandoned;
        return counted == 0 ? Double.NaN : (double) abandoned / counted;
    }
}
