package fi.palvelurinki.broker.routing;

import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.expert.Presence;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** An expert's live state. Owned by the broker thread. */
final class ExpertState {
    /** Longest idle first; the id breaks ties so the order is total. */
    static final Comparator<ExpertState> IDLE_ORDER = (a, b) -> {
        int c = a.idleSince.compareTo(b.idleSince);
        return c != 0 ? c : a.id.compareTo(b.id);
    };

    final String id;
    ExpertProfile profile;
    final List<RingState> rings = new ArrayList<>(2);
    Presence presence = Presence.OFFLINE;
    Instant presenceSince;
    Instant idleSince = Instant.EPOCH;
    int consecutiveMisses;
    RequestState offer;
    CallState call;
    /** Set while in wrap-up: the call that just ended. */
    long wrapUpCallId;
    RingState wrapUpRing;
    Instant wrapUpUntil;
    TimerQueue.Timer wrapUpTimer;
    /** Bookings naming this expert that wait for the point to start them, by start. */
    final java.util.TreeSet<BookingState> named = new java.util.TreeSet<>(BookingState.BY_START);
    Instant lastCallStartedAt;

    ExpertState(ExpertProfile profile, Instant since) {
        this.id = profile.id();
        this.profile = profile;
        this.presenceSince = since;
    }
}
