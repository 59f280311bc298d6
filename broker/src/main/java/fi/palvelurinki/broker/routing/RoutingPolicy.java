package fi.palvelurinki.broker.routing;

import java.util.List;

/**
 * Chooses which eligible expert is offered a request. A pure function of value objects: no I/O, no
 * clock other than {@link RoutingRequest#now()}, no state of its own. The engine has already removed
 * every expert who may not take the request; the policy ranks the rest (or declines to offer).
 */
@FunctionalInterface
public interface RoutingPolicy {

    /** The longest shortlist a policy is shown. */
    int MAX_CANDIDATES = 16;

    /**
     * @param candidates non-empty, at most {@link #MAX_CANDIDATES}: those who speak the requested language
     *                   and belong to the request's own ring first, then the rest; longest idle first in each group
     */
    RoutingDecision choose(RoutingRequest request, List<Candidate> candidates);
}
