package fi.palvelurinki.broker.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What to compute from a journal.
 *
 * @param from               first instant of the period (inclusive); null: the journal's start
 * @param to                 end of the period (exclusive); null: the journal's end
 * @param shortAbandonGrace  requests given up sooner are counted apart, not against the ring
 * @param thresholds         the t of each service level SL(t) reported
 * @param target             service-level target of the staffing recommendations (0-1)
 */
public record AnalysisOptions(Instant from, Instant to, Duration shortAbandonGrace, List<Duration> thresholds,
        double target) {

    /** As the broker's own default (docs/configuration.md). */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
    public static final List<Duration> DEFAULT_THRESHOLDS = List.of(Duration.ofSeconds(20), Duration.ofSeconds(60));
    public static final double DEFAULT_TARGET = 0.8;

    public AnalysisOptions {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("the period is empty: " + from + " is not before " + to);
        }
        if (shortAbandonGrace == null || shortAbandonGrace.isNegative()) {
            throw new IllegalArgumentException("the short-abandon grace must be zero or more");
        }
        if (thresholds == null || thresholds.isEmpty()) {
            throw new IllegalArgumentException("give at least one service-level threshold");
        }
        for (Duration t : thresholds) {
            if (t.isNegative()) {
                throw new IllegalArgumentException("a service-level threshold cannot be negative, got " + t.toSeconds() + " s");
            }
        }
        thresholds = List.copyOf(thresholds);
        if (!(target > 0 && target < 1)) {
            throw new IllegalArgumentException("the service-level target must be between 0 and 1 (e.g. 0.8), got " + target);
        }
    }

    public static AnalysisOptions defaults() {
        return new AnalysisOptions(null, null, DEFAULT_GRACE, DEFAULT_THRESHOLDS, DEFAULT_TARGET);
    }

    public AnalysisOptions withPeriod(Instant from, Instant to) {
        return new AnalysisOptions(from, to, shortAbandonGrace, thresholds, target);
    }
}
