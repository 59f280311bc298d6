package fi.palvelurinki.broker.analytics;

import java.time.Duration;

/**
 * One bar of the wait-time distribution: requests of the period that waited at least {@code from} and
 * less than {@code to} (null: no upper bound), answered or abandoned after the grace.
 */
public record WaitBucket(Duration from, Duration to, long answered, long abandoned) {}
