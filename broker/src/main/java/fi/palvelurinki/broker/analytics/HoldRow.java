package fi.palvelurinki.broker.analytics;

import java.time.Duration;

/**
 * Joint-decision waits: the time parties who had accepted were held waiting for the second resource,
 * for the holds that began in the period.
 *
 * @param held      {@code expert} (an expert held for the interpreter), {@code interpreter} (an interpreter
 *                  held for the expert) or {@code all}
 * @param holds     holds that ended: in a call or released
 * @param toCall    ended with the call starting (the held party joined it)
 * @param released  ended without a call: the held party was let go (the partner never accepted, the request
 *                  ended)
 * @param stillHeld holds not ended when the journal ends, left out of the times
 * @param total     held time of the ended holds, summed
 * @param median    median held time of the ended holds, nearest rank (null: none)
 * @param p90       90th percentile of the same
 */
public record HoldRow(String held, long holds, long toCall, long released, long stillHeld, Duration total,
        Duration median, Duration p90) {}
