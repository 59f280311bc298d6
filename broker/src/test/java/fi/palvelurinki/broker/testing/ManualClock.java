package fi.palvelurinki.broker.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock that moves only when a test says so. Thread-safe. */
public final class ManualClock implements InstantSource {
    private volatile Instant now;

    public ManualClock(Instant start) {
        this.now = start;
    }

    /** Tuesday 2026-11-24 10:00 Finnish time: inside ordinary opening hours. */
    public static ManualClock tuesdayMorning() {
        return new ManualClock(Instant.parse("2026-11-24T08:00:00Z"));
    }

    @Override
    public Instant instant() {
        return now;
    }

    public synchronized void set(Instant t) {
        if (t.isBefore(now)) {
            throw new IllegalArgumentException("time does not run backwards");
        }
        now = t;
    }

    public void advance(Duration d) {
        set(now.plus(d));
    }
}
