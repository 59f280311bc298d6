package fi.palvelurinki.signaling.session;

import fi.palvelurinki.signaling.SignalingConfig;
import fi.palvelurinki.signaling.protocol.ProtocolException;
import java.time.Instant;
import java.time.InstantSource;

/**
 * A connection's message-rate limit: a token bucket of {@code messageBurst} tokens refilled at
 * {@code messagesPerSecond}. Shared by the protocol's connections and the benchmark relay, so that the
 * baseline pays exactly what a real connection pays. Time comes from the server's clock, so that a test
 * decides exactly how much has refilled.
 */
public final class MessageRate {
    private final int burst;
    private final int perSecond;
    private final InstantSource clock;
    private double tokens;
    private Instant refilledAt;

    public MessageRate(SignalingConfig config, InstantSource clock) {
        this.burst = config.messageBurst();
        this.perSecond = config.messagesPerSecond();
        this.clock = clock;
        this.tokens = burst;
        this.refilledAt = clock.instant();
    }

    /** Lets one more message pass now, taking its token, or refuses it before it is parsed. */
    public synchronized void admit() {
        Instant now = clock.instant();
        long nanos = java.time.Duration.between(refilledAt, now).toNanos();
        if (nanos > 0) {
            tokens = Math.min(burst, tokens + nanos * perSecond / 1e9);
            refilledAt = now;
        }
        if (tokens < 1) {
            throw new ProtocolException(ProtocolException.RATE_LIMITED, "more than " + perSecond
                    + " messages per second; this one was dropped", null);
        }
        tokens -= 1;
    }
}
