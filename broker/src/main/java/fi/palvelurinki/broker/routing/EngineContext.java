package fi.palvelurinki.broker.routing;

import fi.palvelurinki.broker.BrokerConfig;
import fi.palvelurinki.broker.Notification;
import fi.palvelurinki.broker.journal.DomainEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What every part of the engine shares: the time of the step being handled, the events and
 * notifications it produces, and the timers. Owned by the broker thread.
 */
final class EngineContext {
    final BrokerConfig config;
    final TimerQueue timers = new TimerQueue();
    final List<DomainEvent> events = new ArrayList<>();
    final List<Notification> notifications = new ArrayList<>();
    private final Consumer<DomainEvent> apply;
    /** The clock reading (whole milliseconds) of the command, timer round or replayed event being handled. */
    Instant now = Instant.EPOCH;
    long lastSeq;

    EngineContext(BrokerConfig config, Consumer<DomainEvent> apply) {
        this.config = config;
        this.apply = apply;
    }

    /** Applies {@code event} to every part that applies it, then records it for the journal. */
    void emit(DomainEvent event) {
        apply.accept(event);
        events.add(event);
        lastSeq++;
    }

    void notify(Notification n) {
        notifications.add(n);
    }

    TimerQueue.Timer schedule(Instant at, TimerQueue.Handler handler, long id, String key, long token) {
        return timers.add(at, handler, id, key, token);
    }

    void cancel(TimerQueue.Timer t) {
        timers.cancel(t);
    }
}
