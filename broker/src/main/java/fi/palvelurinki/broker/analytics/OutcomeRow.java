package fi.palvelurinki.broker.analytics;

import java.util.Map;

/**
 * First-contact resolution of one ring, topic or service point (or all, {@code by} "total").
 *
 * @param calls    calls of the period with a recorded outcome
 * @param resolved those recorded as resolved at first contact
 * @param outcomes calls per outcome id
 */
public record OutcomeRow(String by, String key, String label, long calls, long resolved, Map<String, Long> outcomes) {

    /** Resolved share of the calls with an outcome; NaN when there are none. */
    public double firstContactResolution() {
        return calls == 0 ? Double.NaN : (double) resolved / calls;
    }
}
