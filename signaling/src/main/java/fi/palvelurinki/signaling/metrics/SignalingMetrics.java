package fi.palvelurinki.signaling.metrics;

import fi.palvelurinki.broker.RingStatus;
import fi.palvelurinki.signaling.auth.Role;

/** What the signaling layer reports; bound to Micrometer in {@link MicrometerMetrics}. Must not block. */
public interface SignalingMetrics {
    default void connectionOpened(Role role) {}

    default void connectionClosed(Role role) {}

    default void protocolError(String code) {}

    /** A signal message was handed to the other party's connections {@code nanos} after it arrived. */
    default void relayed(long nanos) {}

    default void slowConsumerDisconnected() {}

    /** A page reported the time from call request (advisor) or accept (expert) to its first decoded frame. */
    default void timeToVideo(String role, long millis) {}

    /** A ring's latest figures, as pushed to operators. */
    default void ringStatus(RingStatus status) {}

    SignalingMetrics NONE = new SignalingMetrics() {};
}
