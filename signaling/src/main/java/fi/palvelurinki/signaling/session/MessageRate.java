package fi.palvelurinki.signaling.session;

import fi.palvelurinki.signaling.SignalingConfig;
import fi.palvelurinki.signaling.protocol.ProtocolException;

/**
 * A connection's message-rate limit: a token bucket of {@code messageBurst} tokens refilled at
 * {@code messagesPerSecond}. Shared by the protocol's connections and the benchmark relay, so that the
 * baseline pays exactly what a real connection pays.
 */
public final class MessageRate {
    private final int burst;
    private final int perSecond;
    private double tokens;
    private long refilledAt = System.nanoTime();

    public MessageRate(SignalingConfig config) {
        this.burst = config.messageBurst();
        this.perSecond = config.messagesPerSecond();
        this.tokens = burst;
    }

    /** Lets one more message pass now, taking its token, or refuses it before it is parsed. */
    public synchronized void admit() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - refilledAt) * perSecond / 1e9);
        refilledAt = now;
        if (tokens < 1) {
            throw new ProtocolException(ProtocolException.RATE_LIMITED, "more than " + perSecond
                    + " messages per second; this one was dropped", null);
        }
        tokens -= 1;
    }
}
