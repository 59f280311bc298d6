package fi.palvelurinki.broker;

import java.time.Duration;

/**
 * How call-backs are rung (docs/routing.md, "Call-backs"); one setting for every ring.
 *
 * @param ringTimeout     how long the point is rung before the expert is released
 * @param retryDelay      after an unanswered ring, the call-back is not offered again for this long
 * @param maxAttempts     rings before the call-back fails
 * @param ringAllAdvisors ring every advisor of the point (true) or only the one who asked
 */
public record CallbackSettings(Duration ringTimeout, Duration retryDelay, int maxAttempts, boolean ringAllAdvisors) {
    public static final CallbackSettings DEFAULTS = new CallbackSettings(Duration.ofSeconds(45), Duration.ofMinutes(3), 3,
            true);

    public CallbackSettings {
        if (ringTimeout == null || ringTimeout.isNegative() || ringTimeout.isZero()) {
            throw BrokerException.invalid("call-back ring timeout must be positive");
        }
        if (retryDelay == null || retryDelay.isNegative()) {
            throw BrokerException.invalid("call-back retry delay must be zero or more");
        }
        if (maxAttempts < 1 || maxAttempts > 20) {
            throw BrokerException.invalid("call-back attempts must be 1-20, got " + maxAttempts);
        }
    }
}
