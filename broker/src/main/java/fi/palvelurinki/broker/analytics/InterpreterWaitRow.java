package fi.palvelurinki.broker.analytics;

import java.time.Duration;

/**
 * Interpreter waits of one language pair (or of all, key "all") for the needs raised in the period
 * (docs/analytics.md, "Interpreters and calls of three or four").
 *
 * @param key             {@code fi-ar}: the need's service language and the language interpreted; {@code all}
 * @param serviceLanguage the ring's service language of the need ({@code fi}); empty for all
 * @param language        the language to interpret ({@code ar}); empty for all
 * @param needs           InterpreterNeeded events of the period
 * @param joint           of them, needs of a request (expert and interpreter offered together)
 * @param duringCall      of them, needs of a call already going on
 * @param met             an interpreter joined (PartyJoined of the need)
 * @param unmet           the need ended first: InterpreterNeedEnded, the request abandoned or the call ended
 * @param open            neither when the journal ends
 * @param waitP50         median wait of the met needs, need → interpreter joined (null: none met)
 * @param waitP90         90th percentile of the same, nearest rank
 * @param meanUnmetWait   mean time from need to its end of the unmet needs (null: none)
 */
public record InterpreterWaitRow(String key, String serviceLanguage, String language, long needs, long joint,
        long duringCall, long met, long unmet, long open, Duration waitP50, Duration waitP90, Duration meanUnmetWait) {

    /** Unmet share of the needs that ended; NaN when none ended. */
    public double unmetShare() {
        return met + unmet == 0 ? Double.NaN : (double) unmet / (met + unmet);
    }
}
