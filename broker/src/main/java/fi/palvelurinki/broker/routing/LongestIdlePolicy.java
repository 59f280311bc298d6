package fi.palvelurinki.broker.routing;

import java.time.Duration;
import java.util.List;

/**
 * The default: among eligible experts, prefer those who speak the language the customer asked for
 * (after a language escalation, a fallback-only speaker is chosen only if no native speaker is free),
 * then members of the request's own ring over overflow-ring members, then the one idle longest. Ties
 * break on expert id, so the choice is deterministic.
 */
public final class LongestIdlePolicy implements RoutingPolicy {

    @Override
    public RoutingDecision choose(RoutingRequest request, List<Candidate> candidates) {
        Candidate best = null;
        for (Candidate c : candidates) {
            if (best == null || better(c, best)) {
                best = c;
            }
        }
        if (best == null) {
            return RoutingDecision.none("no eligible expert");
        }
        long idle = Math.max(0, Duration.between(best.idleSince(), request.now()).toSeconds());
        return RoutingDecision.offer(best.expertId(), "longest-idle: idle " + idle + " s"
                + (best.speaksRequested() ? "" : ", fallback language")
                + (best.inRequestedRing() ? "" : ", overflow ring " + best.viaRingId())
                + ", " + candidates.size() + " eligible");
    }

    private static boolean better(Candidate a, Candidate b) {
        if (a.speaksRequested() != b.speaksRequested()) {
            return a.speaksRequested();
        }
        if (a.inRequestedRing() != b.inRequestedRing()) {
            return a.inRequestedRing();
        }
        int byIdle = a.idleSince().compareTo(b.idleSince());
        if (byIdle != 0) {
            return byIdle < 0;
        }
        return a.expertId().compareTo(b.expertId()) < 0;
    }
}
