package fi.palvelurinki.broker;

/** Receives notifications on the broker thread. Implementations must not block. */
@FunctionalInterface
public interface NotificationSink {
    void deliver(Notification notification);

    NotificationSink DISCARD = n -> {};
}
