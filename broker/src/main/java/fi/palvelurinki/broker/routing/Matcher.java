package fi.palvelurinki.broker.routing;

import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.ring.Language;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Who gets which offer: matches one request against the available experts, or one expert against
 * the queues of their rings, and lets the {@link RoutingPolicy} choose. Part of the queues-and-offers
 * part; {@link OfferGate}s contributed by other parts can keep experts from requests.
 *
 * <p>Routing invariant, restored after every command and timer: no waiting request has an eligible
 * AVAILABLE expert. Hence, when one request starts waiting, only it needs matching against the
 * available experts; when one expert becomes available, only they need matching against the queues.
 */
final class Matcher implements Routing {
    /** Makes the offer the policy chose. */
    interface Offers {
        void makeOffer(RequestState r, ExpertState e, RingState via, String reason);
    }

    private final EngineContext cx;
    private final RoutingPolicy policy;
    private final DirectoryPart directory;
    private final Offers offers;
    private OfferGate gate = OfferGate.OPEN;
    private java.util.function.Consumer<ExpertState> interpreters = e -> { };
    long decisions;

    Matcher(EngineContext cx, RoutingPolicy policy, DirectoryPart directory, Offers offers) {
        this.cx = cx;
        this.policy = policy;
        this.directory = directory;
        this.offers = offers;
    }

    void gate(OfferGate g) {
        this.gate = g;
    }

    /** Serves an interpreter who became available (their rings have no queues of their own). */
    void interpreters(java.util.function.Consumer<ExpertState> serve) {
        this.interpreters = serve;
    }

    /**
     * The policy sees a shortlist of at most {@link RoutingPolicy#MAX_CANDIDATES}: experts who speak the
     * requested language and belong to the request's own ring first, then the others, each group longest
     * idle first. Walking the idle order stops once the first group is full, so a ring with hundreds of
     * idle experts costs no more than one with a few.
     */
    @Override
    public void offerRequest(RequestState r) {
        if (r.status != RequestState.Status.WAITING) {
            return;
        }
        decisions++;
        List<Candidate> best = null;
        List<Candidate> others = null;
        Set<String> seen = r.targets.size() > 1 ? new HashSet<>() : null;
        int max = RoutingPolicy.MAX_CANDIDATES;
        boolean exempt = gate.exempt(r);
        rings:
        for (RingState ring : r.targets) {
            if (!exempt && gate.closes(ring, null)) {
                continue;
            }
            for (ExpertState e : ring.available) {
                if (!eligible(e, r) || (seen != null && !seen.add(e.id))) {
                    continue;
                }
                Candidate c = candidate(e, ring, r);
                if (c.speaksRequested() && c.inRequestedRing()) {
                    if (best == null) {
                        best = new ArrayList<>(max);
                    }
                    best.add(c);
                    if (best.size() == max) {
                        break rings;
                    }
                } else if (others == null || others.size() < max) {
                    if (others == null) {
                        others = new ArrayList<>(4);
                    }
                    others.add(c);
                }
            }
        }
        List<Candidate> candidates;
        if (best == null && others == null) {
            return;
        } else if (others == null) {
            candidates = best;
        } else if (best == null) {
            candidates = others;
        } else {
            candidates = new ArrayList<>(best);
            candidates.addAll(others.subList(0, Math.min(others.size(), max - best.size())));
        }
        RoutingDecision d = policy.choose(routingRequest(r), Collections.unmodifiableList(candidates));
        if (d.expertId() == null) {
            return;
        }
        for (Candidate c : candidates) {
            if (c.expertId().equals(d.expertId())) {
                offers.makeOffer(r, directory.findExpert(c.expertId()), directory.findRing(c.viaRingId()), d.reason());
                return;
            }
        }
        throw new IllegalStateException("policy chose " + d.expertId() + ", who is not a candidate");
    }

    @Override
    public void serveExpert(ExpertState e) {
        if (e.presence != Presence.AVAILABLE) {
            return;
        }
        decisions++;
        if (e.interpreter()) {
            interpreters.accept(e);
            return;
        }
        RequestState best = null;
        RingState bestRing = null;
        for (RingState ring : e.rings) {
            boolean open = !gate.closes(ring, e);
            for (RequestState r : ring.queue) {
                if (best != null && RequestState.ORDER.compare(r, best) >= 0) {
                    break;
                }
                if (!open && !gate.exempt(r)) {
                    // Exempt requests (booked calls) outrank the others: none follows in this queue.
                    break;
                }
                if (eligible(e, r)) {
                    best = r;
                    bestRing = ring;
                    break;
                }
            }
        }
        if (best == null) {
            return;
        }
        RoutingDecision d = policy.choose(routingRequest(best), List.of(candidate(e, bestRing, best)));
        if (d.expertId() != null) {
            offers.makeOffer(best, e, bestRing, d.reason());
        }
    }

    @Override
    public void redispatch(RingState ring) {
        for (ExpertState e : new ArrayList<>(ring.available)) {
            serveExpert(e);
        }
    }

    private boolean eligible(ExpertState e, RequestState r) {
        if (e.presence != Presence.AVAILABLE || !e.profile.handlesTopic(r.topic) || r.coolingDown(e.id, cx.now)
                || !gate.admits(e, r)) {
            return false;
        }
        for (Language l : e.profile.languages()) {
            if (r.acceptable.contains(l)) {
                return true;
            }
        }
        return false;
    }

    private Candidate candidate(ExpertState e, RingState via, RequestState r) {
        return e.candidate(via.id(), e.profile.languages().contains(r.language), e.rings.contains(r.ring));
    }

    private RoutingRequest routingRequest(RequestState r) {
        return new RoutingRequest(r.id, r.ring.id(), r.topic, r.language, Collections.unmodifiableSet(r.acceptable),
                r.priority, r.kind, r.queuedAt, cx.now);
    }
}
