package fi.palvelurinki.broker.routing;

import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.expert.Presence;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An expert's live state. Owned by the broker thread. Each group of fields is written by one part of
 * the engine (others only read): the profile and rings by the directory, presence and wrap-up by
 * presence, the offer and missed offers by the queue part, the call by calls.
 */
final class ExpertState {
    /** Longest idle first; the id breaks ties so the order is total. */
    static final Comparator<ExpertState> IDLE_ORDER = (a, b) -> {
        int c = a.idleSince.compareTo(b.idleSince);
        return c != 0 ? c : a.id.compareTo(b.id);
    };

    final String id;
    // directory
    ExpertProfile profile;
    final List<RingState> rings = new ArrayList<>(2);
    // presence
    Presence presence = Presence.OFFLINE;
    Instant presenceSince;
    Instant idleSince = Instant.EPOCH;
    /** Set while in wrap-up: the call that just ended. */
    long wrapUpCallId;
    RingState wrapUpRing;
    Instant wrapUpUntil;
    TimerQueue.Timer wrapUpTimer;
    // queues and offers
    int consecutiveMisses;
    RequestState offer;
    // interpreters: the need ringing at or held by this interpreter
    InterpreterNeed interpreting;
    // calls (for a party who joined, the call they joined)
    CallState call;
    Instant lastCallStartedAt;

    // matcher: shortlist entries made for this expert lately (see Matcher#candidate)
    private Candidate[] candidates = new Candidate[4];

    /**
     * This expert as a shortlist entry: the one made last time with the same ring and flags if nothing in it
     * has changed since (idle since, profile), else a new one. An expert is shortlisted for nearly every
     * request in their rings while idle, and a new entry each time was the broker thread's largest single
     * allocation in {@code bench routing}; the policy sees equal values either way.
     */
    Candidate candidate(String viaRingId, boolean speaksRequested, boolean inRequestedRing) {
        int free = -1;
        for (int i = 0; i < candidates.length; i++) {
            Candidate c = candidates[i];
            if (c == null) {
                if (free < 0) {
                    free = i;
                }
                continue;
            }
            if (c.viaRingId().equals(viaRingId) && c.speaksRequested() == speaksRequested
                    && c.inRequestedRing() == inRequestedRing) {
                if (c.idleSince() == idleSince && c.languages() == profile.languages() && c.topics() == profile.topics()) {
                    return c;
                }
                free = i;
                break;
            }
        }
        Candidate c = new Candidate(id, viaRingId, profile.languages(), profile.topics(), idleSince, speaksRequested,
                inRequestedRing);
        if (free < 0) {
            free = candidates.length;
            candidates = java.util.Arrays.copyOf(candidates, 2 * candidates.length);
        }
        candidates[free] = c;
        return c;
    }

    /** A member of an interpreter ring: offered interpreter needs, never requests. */
    boolean interpreter() {
        for (RingState r : rings) {
            if (r.config.interpreterRing()) {
                return true;
            }
        }
        return false;
    }

    ExpertState(ExpertProfile profile, Instant since) {
        this.id = profile.id();
        this.profile = profile;
        this.presenceSince = since;
    }
}
