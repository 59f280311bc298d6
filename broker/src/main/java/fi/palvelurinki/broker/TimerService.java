package fi.palvelurinki.broker;

import java.time.Instant;

/**
 * Runs a task at an instant of the injected clock. Production uses a scheduled executor; tests use a
 * manual one that fires when the test advances its clock.
 */
public interface TimerService extends AutoCloseable {

    Cancellable schedule(Instant at, Runnable task);

    @Override
    default void close() {}

    interface Cancellable {
        void cancel();
    }
}
