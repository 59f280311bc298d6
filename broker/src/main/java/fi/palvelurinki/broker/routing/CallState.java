package fi.palvelurinki.broker.routing;

import java.time.Instant;

/** A connected call between an advisor's point and an expert. */
final class CallState {
    final long id;
    final RequestState request;
    final ExpertState expert;
    final RingState ring;
    final Instant startedAt;
    /** The advisor in the call: the one who asked, or for a call-back whoever at the point answered. */
    final String advisorId;

    CallState(long id, RequestState request, ExpertState expert, RingState ring, Instant startedAt, String advisorId) {
        this.advisorId = advisorId;
        this.id = id;
        this.request = request;
        this.expert = expert;
        this.ring = ring;
        this.startedAt = startedAt;
    }
}
