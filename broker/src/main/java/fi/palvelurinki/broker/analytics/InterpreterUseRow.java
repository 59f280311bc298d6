package fi.palvelurinki.broker.analytics;

import java.time.Duration;

/**
 * How busy the interpreters of one language pair were (or all interpreters, key "all"), from their
 * presence. An interpreter counts in every pair they interpret in any of their interpreter rings, so the
 * pairs' rows overlap; the "all" row counts each interpreter once.
 *
 * @param rings       interpreter rings that interpret this pair, comma-separated
 * @param interpreters interpreters with signed-in time in the period
 * @param needs       interpreter needs of the pair raised in the period
 * @param signedIn    presence other than OFFLINE and AWAY
 * @param offered     OFFERED: offers ringing and accepted offers held for the expert
 * @param inCall      IN_CALL and WRAP_UP
 * @param covered     the period covered, for the mean number signed in
 */
public record InterpreterUseRow(String key, String rings, long interpreters, long needs, Duration signedIn,
        Duration offered, Duration inCall, Duration covered) {

    public Duration busy() {
        return offered.plus(inCall);
    }

    /** Busy / signed in, 0-1; NaN without signed-in time. */
    public double utilization() {
        return signedIn.isZero() ? Double.NaN : (double) busy().toMillis() / signedIn.toMillis();
    }

    /** Interpreters signed in on average over the period; NaN for an empty period. */
    public double meanSignedIn() {
        return covered.isZero() ? Double.NaN : (double) signedIn.toMillis() / covered.toMillis();
    }
}
