package fi.palvelurinki.broker.analytics;

import java.time.Duration;

/**
 * Calls that started in a period and whose wrap-up ended before the journal does.
 *
 * @param talk   total talk time: call ended − call started
 * @param wrapUp total after-call work: wrap-up ended − call ended
 */
public record HandleFigures(long calls, Duration talk, Duration wrapUp) {

    /** Average handle time (talk + wrap-up) per call; null without calls. */
    public Duration aht() {
        return calls == 0 ? null : talk.plus(wrapUp).dividedBy(calls);
    }

    public Duration meanTalk() {
        return calls == 0 ? null : talk.dividedBy(calls);
    }

    public Duration meanWrapUp() {
        return calls == 0 ? null : wrapUp.dividedBy(calls);
    }
}
