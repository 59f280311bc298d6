package fi.palvelurinki.broker.analytics;

import java.util.OptionalDouble;

/**
 * What a queueing model expects of a ring with {@code agents} experts signed in.
 *
 * @param offeredLoadErlangs arrivals per second × mean handle time in seconds
 * @param pWait              share of customers who wait at all (find every expert busy)
 * @param serviceLevel       share of customers answered within the threshold; an abandoning customer
 *                           counts as not answered in time
 * @param asaSeconds         mean wait of answered customers (those answered at once count as 0);
 *                           infinite when the ring cannot keep up
 * @param occupancy          carried load per expert: the share of signed-in time spent handling calls
 * @param pAbandon           share of customers who give up waiting; present only when a patience was given
 */
public record StaffingEstimate(double offeredLoadErlangs, int agents, double pWait, double serviceLevel,
        double asaSeconds, double occupancy, OptionalDouble pAbandon) {

    /** Fewer experts than erlangs of load and nobody gives up: the queue grows without bound. */
    public boolean unstable() {
        return Double.isInfinite(asaSeconds);
    }
}
