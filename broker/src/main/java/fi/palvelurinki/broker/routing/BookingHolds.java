package fi.palvelurinki.broker.routing;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Experts kept free for bookings due soon: the bookings part's {@link OfferGate}. While a booking waits
 * for the point to start it, it holds capacity from AHT before its start (an instant call taken then
 * would not end in time) until its late grace is over:
 * <ul>
 *   <li>a booking naming an expert holds that expert: they are not offered instant calls;
 *   <li>pooled bookings hold as many of the ring's available experts as are due: instant calls are
 *       offered only while more experts are free than pooled bookings are due.
 * </ul>
 * A request started from a booking is exempt, and is offered only to the expert the booking names.
 */
final class BookingHolds implements OfferGate {
    private final EngineContext cx;
    /** Bookings waiting for the point to start them, by ring and by start. */
    private final Map<RingState, TreeSet<BookingState>> upcoming = new HashMap<>();
    /** Bookings naming an expert that wait for the point to start them, by expert id and by start. */
    private final Map<String, TreeSet<BookingState>> named = new HashMap<>();
    /** Requests started from a booking (the latest attempt of each booking not ended yet). */
    private final Map<Long, BookingState> attempts = new HashMap<>();

    BookingHolds(EngineContext cx) {
        this.cx = cx;
    }

    void hold(BookingState b) {
        upcoming.computeIfAbsent(b.ring, r -> new TreeSet<>(BookingState.BY_START)).add(b);
        if (b.expertId != null) {
            named.computeIfAbsent(b.expertId, x -> new TreeSet<>(BookingState.BY_START)).add(b);
        }
    }

    void unhold(BookingState b) {
        TreeSet<BookingState> u = upcoming.get(b.ring);
        if (u != null) {
            u.remove(b);
        }
        if (b.expertId != null) {
            TreeSet<BookingState> n = named.get(b.expertId);
            if (n != null) {
                n.remove(b);
            }
        }
    }

    /** {@code requestId} is the booking's attempt now; an earlier attempt is forgotten. */
    void attempt(BookingState b, long requestId) {
        if (b.attemptId != 0) {
            attempts.remove(b.attemptId);
        }
        attempts.put(requestId, b);
        b.attemptId = requestId;
    }

    /** The booking {@code requestId} was started from, or null. */
    BookingState attemptOf(long requestId) {
        return attempts.isEmpty() ? null : attempts.get(requestId);
    }

    /** The booking has ended: its attempt is no request's any more. */
    void ended(BookingState b) {
        if (b.attemptId != 0) {
            attempts.remove(b.attemptId);
        }
        unhold(b);
    }

    /** How far ahead a booking holds an expert: an instant call now would last about this long. */
    private static Duration holdAhead(RingState ring) {
        return ring.aht();
    }

    private boolean holding(BookingState b) {
        return b.awaitingStart() && !b.start.minus(holdAhead(b.ring)).isAfter(cx.now)
                && !cx.now.isAfter(b.start.plus(b.service.lateGrace()));
    }

    /** The expert has a named booking starting before an instant call taken now would end. */
    boolean namedHeld(ExpertState e) {
        TreeSet<BookingState> mine = named.isEmpty() ? null : named.get(e.id);
        if (mine == null) {
            return false;
        }
        for (BookingState b : mine) {
            if (b.start.minus(holdAhead(b.ring)).isAfter(cx.now)) {
                return false;
            }
            if (holding(b)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the ring must keep its free experts for pooled bookings due soon: true when no more of
     * its available experts (not held by name) are free than pooled bookings are due.
     */
    private boolean ringHolds(RingState ring, ExpertState plus) {
        TreeSet<BookingState> due = upcoming.isEmpty() ? null : upcoming.get(ring);
        if (due == null || due.isEmpty()) {
            return false;
        }
        int pooled = 0;
        for (BookingState b : due) {
            if (b.start.minus(holdAhead(ring)).isAfter(cx.now)) {
                break;
            }
            if (b.expertId == null && holding(b)) {
                pooled++;
            }
        }
        if (pooled == 0) {
            return false;
        }
        int free = 0;
        for (ExpertState e : ring.available) {
            if (!namedHeld(e)) {
                free++;
            }
        }
        if (plus != null && !ring.available.contains(plus) && !namedHeld(plus)) {
            free++;
        }
        return free <= pooled;
    }

    @Override
    public boolean admits(ExpertState e, RequestState r) {
        BookingState b = attemptOf(r.id);
        if (b != null) {
            return b.expertId == null || b.expertId.equals(e.id);
        }
        return !namedHeld(e);
    }

    @Override
    public boolean exempt(RequestState r) {
        return attemptOf(r.id) != null;
    }

    @Override
    public boolean closes(RingState ring, ExpertState plus) {
        return (plus != null && namedHeld(plus)) || ringHolds(ring, plus);
    }
}
