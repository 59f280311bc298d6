package fi.palvelurinki.broker.analytics;

import java.time.Duration;

/**
 * Call-backs of a ring (or of all rings, key "all") requested in the period (docs/metrics.md, "Call-backs").
 *
 * @param requested        requests turned into call-backs
 * @param answeredFirst    answered by the point at the first ring
 * @param answeredSecond   at the second
 * @param answeredLater    at the third or later
 * @param failed           ended after the last unanswered ring
 * @param cancelled        ended otherwise (the advisor cancelled)
 * @param unansweredRings  rings of a point that nobody answered
 * @param lostRinging      expert time spent ringing points that did not answer
 * @param callbackAsa      mean wait of answered call-backs, queued to connected (null: none answered)
 * @param liveAsa          the same for the ring's requests that were not call-backs
 */
public record CallbackRow(String key, String name, long requested, long answeredFirst, long answeredSecond,
        long answeredLater, long failed, long cancelled, long unansweredRings, Duration lostRinging,
        Duration callbackAsa, Duration liveAsa) {

    public long answered() {
        return answeredFirst + answeredSecond + answeredLater;
    }
}
