package fi.palvelurinki.broker;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Production timers: a single daemon thread, delays measured against the injected clock. */
public final class ScheduledTimerService implements TimerService {
    private final InstantSource clock;
    private final ScheduledThreadPoolExecutor executor;

    public ScheduledTimerService(InstantSource clock) {
        this.clock = clock;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "broker-timers");
            t.setDaemon(true);
            return t;
        });
        this.executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Cancellable schedule(Instant at, Runnable task) {
        long micros = Math.max(0, ceilMicros(Duration.between(clock.instant(), at)));
        ScheduledFuture<?> f = executor.schedule(task, micros, TimeUnit.MICROSECONDS);
        return () -> f.cancel(false);
    }

    private static long ceilMicros(Duration d) {
        long nanos = d.toNanos();
        return nanos <= 0 ? 0 : (nanos + 999) / 1000;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
