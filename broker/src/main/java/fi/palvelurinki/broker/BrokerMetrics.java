package fi.palvelurinki.broker;

/**
 * What the broker reports about itself. Called on broker and journal threads; implementations
 * (the Micrometer adapter in signaling, the benchmark's histograms) must be cheap and non-blocking.
 */
public interface BrokerMetrics {

    /**
     * A command finished on the broker thread, {@code nanos} after it was submitted.
     *
     * @param refusal why it was refused, or null if it was carried out
     */
    default void commandHandled(Class<? extends Command> type, long nanos, ErrorCode refusal) {}

    /** The journal made {@code events} events ({@code bytes} bytes) durable in one group commit. */
    default void journalSynced(int events, long bytes, long syncNanos) {}

    BrokerMetrics NONE = new BrokerMetrics() {};
}
