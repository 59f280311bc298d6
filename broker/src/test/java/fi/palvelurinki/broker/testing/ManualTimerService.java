package fi.palvelurinki.broker.testing;

import fi.palvelurinki.broker.TimerService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Timers that fire when the test advances the {@link ManualClock} through this service. */
public final class ManualTimerService implements TimerService {
    private final ManualClock clock;
    private final List<Entry> entries = new ArrayList<>();

    private static final class Entry {
        final Instant at;
        final Runnable task;
        boolean cancelled;

        Entry(Instant at, Runnable task) {
            this.at = at;
            this.task = task;
        }
    }

    public ManualTimerService(ManualClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Cancellable schedule(Instant at, Runnable task) {
        Entry e = new Entry(at, task);
        entries.add(e);
        return () -> {
            synchronized (ManualTimerService.this) {
                e.cancelled = true;
            }
        };
    }

    /** Moves the clock forward and runs every task that has come due, in time order. */
    public void advance(Duration d) {
        clock.advance(d);
        runDue();
    }

    public void runDue() {
        while (true) {
            Entry next = null;
            synchronized (this) {
                entries.removeIf(e -> e.cancelled);
                for (Entry e : entries) {
                    if (!e.at.isAfter(clock.instant()) && (next == null || e.at.isBefore(next.at))) {
                        next = e;
                    }
                }
                if (next == null) {
                    return;
                }
                entries.remove(next);
            }
            next.task.run();
        }
    }

    /** When the earliest task still pending is due. */
    public synchronized java.util.Optional<Instant> nextDue() {
        entries.removeIf(e -> e.cancelled);
        return entries.stream().map(e -> e.at).min(Instant::compareTo);
    }

    public synchronized int pending() {
        entries.removeIf(e -> e.cancelled);
        return entries.size();
    }
}
