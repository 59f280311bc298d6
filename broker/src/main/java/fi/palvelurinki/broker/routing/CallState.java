package fi.palvelurinki.broker.routing;

import java.time.Instant;

/** A connected call between an advisor's point and an expert. */
final class CallState {
    final long id;
    final RequestState request;
    final ExpertState expert;
    final RingState ring;
    final Instant startedAt;

    CallState(long id, RequestState request, ExpertState expert, RingState ring, Instant startedAt) {
        this.id = id;
        this.request = request;
        this.expert = expert;
        this.ring = ring;
        this.startedAt = startedAt;
    }
}
