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
    /** Parties who joined after the first two (interpreters, second authorities), in order of joining. */
    final java.util.List<Joined> joined = new java.util.ArrayList<>(2);
    /** Second authorities asked for and not yet joined (their requests wait or ring). */
    final java.util.List<RequestState> joinRequests = new java.util.ArrayList<>(1);

    /** A third or fourth party: {@code role} interpreter or expert; {@code language} the interpreted one. */
    record Joined(ExpertState expert, String role, RingState ring, String language, Instant at) {}

    Joined joinedParty(String expertId) {
        for (Joined j : joined) {
            if (j.expert().id.equals(expertId)) {
                return j;
            }
        }
        return null;
    }

    CallState(long id, RequestState request, ExpertState expert, RingState ring, Instant startedAt, String advisorId) {
        this.advisorId = advisorId;
        this.id = id;
        this.request = request;
        this.expert = expert;
        this.ring = ring;
        this.startedAt = startedAt;
    }
}
