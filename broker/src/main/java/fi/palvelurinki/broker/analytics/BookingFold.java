package fi.palvelurinki.broker.analytics;

import fi.palvelurinki.broker.CallKind;
import fi.palvelurinki.broker.booking.NoShowSide;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.DomainEvent.CallStarted;
import fi.palvelurinki.broker.journal.DomainEvent.RequestAbandoned;
import fi.palvelurinki.broker.journal.DomainEvent.RequestQueued;
import fi.palvelurinki.broker.journal.DomainEvent.WrapUpEnded;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.LongPredicate;

/**
 * The bookings fold of {@link JournalAnalyzer}: booked and used minutes, lateness on both sides,
 * no-shows, cancellations, and the freed booked time that instant calls backfilled. A booking belongs to
 * the period its (last) slot starts in and is counted when it ends (completed, no-show, cancelled), or
 * as open when the journal ends first.
 */
final class BookingFold {
    private final HourIndex hours;
    private final LongPredicate inPeriod;
    private final Function<String, String> authorityOf;
    private final EnumMap<Dimension, Map<String, BookingTally>> bookingTallies = new EnumMap<>(Dimension.class);
    private final Map<Long, BookingTrack> bookings = new HashMap<>();
    /**
     * Booked requests (a started booking's, or one an advisor marked as booked) not yet answered or given
     * up: their calls are not instant calls, so they do not backfill.
     */
    private final Set<Long> bookedRequests = new HashSet<>();
    private final Map<Long, InstantCall> instantCalls = new HashMap<>();
    /** Freed booked time that instant calls ending later may still fall in. */
    private final List<Freed> freed = new ArrayList<>();

    /** A booking not yet ended, as the journal has told so far. */
    private static final class BookingTrack {
        final String ringId;
        final String serviceId;
        final String pointId;
        /** The named expert, or the one who answered a pooled booking's call; null until then. */
        String expertId;
        long slotStart;
        long slotEnd;
        long reschedules;
        long advisorLateMillis = -1;
        long expertLateMillis = -1;
        boolean fromHome;
        long customerLateMillis = -1;
        int cameraFailures;
        int microphoneFailures;

        BookingTrack(DomainEvent.BookingConfirmed e) {
            ringId = e.ringId();
            serviceId = e.serviceId();
            pointId = e.pointId();
            expertId = e.expertId();
            slotStart = e.slotStart().toEpochMilli();
            slotEnd = e.slotEnd().toEpochMilli();
        }
    }

    private record InstantCall(String expertId, String ringId, long startedAt) {}

    /**
     * Booked time left free in [from, to): backfilled by instant calls of {@code expertId}, or of any expert
     * answering for {@code ringId} when no expert is known (a pooled booking nobody answered).
     */
    private static final class Freed {
        final long from;
        final long to;
        final String expertId;
        final String ringId;
        final BookingTally[] tallies;
        long backfilled;

        Freed(long from, long to, String expertId, String ringId, BookingTally[] tallies) {
            this.from = from;
            this.to = to;
            this.expertId = expertId;
            this.ringId = ringId;
            this.tallies = tallies;
        }
    }

    BookingFold(HourIndex hours, LongPredicate inPeriod, Function<String, String> authorityOf) {
        this.hours = hours;
        this.inPeriod = inPeriod;
        this.authorityOf = authorityOf;
        for (Dimension d : Dimension.values()) {
            bookingTallies.put(d, new HashMap<>());
        }
    }

    /** Takes the booking events, and notes which requests and calls are booked and which instant. */
    void accept(DomainEvent event, long at) {
        switch (event.type()) {
            case REQUEST_QUEUED -> {
                RequestQueued e = (RequestQueued) event;
                if (e.kind() == CallKind.BOOKED) {
                    bookedRequests.add(e.requestId());
                }
            }
            case REQUEST_ABANDONED -> bookedRequests.remove(((RequestAbandoned) event).requestId());
            case CALL_STARTED -> {
                CallStarted e = (CallStarted) event;
                if (!bookedRequests.remove(e.requestId())) {
                    instantCalls.put(e.callId(), new InstantCall(e.expertId(), e.ringId(), at));
                }
            }
            case WRAP_UP_ENDED -> {
                WrapUpEnded e = (WrapUpEnded) event;
                InstantCall c = instantCalls.get(e.callId());
                // Only the call's own expert: a joined party's wrap-up (interpreter, second authority) ends too.
                if (c != null && c.expertId().equals(e.expertId())) {
                    instantCalls.remove(e.callId());
                    backfill(c, at);
                }
            }
            case BOOKING_CONFIRMED -> {
                DomainEvent.BookingConfirmed e = (DomainEvent.BookingConfirmed) event;
                bookings.put(e.bookingId(), new BookingTrack(e));
            }
            case BOOKING_RESCHEDULED -> {
                DomainEvent.BookingRescheduled e = (DomainEvent.BookingRescheduled) event;
                BookingTrack b = bookings.get(e.bookingId());
                if (b != null) {
                    b.slotStart = e.toStart().toEpochMilli();
                    b.slotEnd = e.toEnd().toEpochMilli();
                    b.reschedules++;
                }
            }
            case BOOKING_CANCELLED -> bookingCancelled((DomainEvent.BookingCancelled) event);
            case BOOKING_START_REQUESTED -> {
                DomainEvent.BookingStartRequested e = (DomainEvent.BookingStartRequested) event;
                BookingTrack b = bookings.get(e.bookingId());
                if (b != null) {
                    b.advisorLateMillis = e.advisorLateSeconds() * 1000;
                }
            }
            case BOOKING_STARTED -> {
                DomainEvent.BookingStarted e = (DomainEvent.BookingStarted) event;
                BookingTrack b = bookings.get(e.bookingId());
                if (b != null) {
                    b.expertId = e.expertId();
                    b.expertLateMillis = e.expertLateSeconds() * 1000;
                }
            }
            case BOOKING_FROM_HOME -> {
                BookingTrack b = bookings.get(((DomainEvent.BookingFromHome) event).bookingId());
                if (b != null) {
                    b.fromHome = true;
                }
            }
            case CUSTOMER_JOINED -> {
                DomainEvent.CustomerJoined e = (DomainEvent.CustomerJoined) event;
                BookingTrack b = bookings.get(e.bookingId());
                if (b != null) {
                    b.customerLateMillis = e.lateSeconds() * 1000;
                }
            }
            case DEVICE_CHECK_FAILED -> {
                DomainEvent.DeviceCheckFailed e = (DomainEvent.DeviceCheckFailed) event;
                BookingTrack b = bookings.get(e.bookingId());
                if (b != null && e.problem().contains("camera")) {
                    b.cameraFailures++;
                } else if (b != null) {
                    b.microphoneFailures++;
                }
            }
            case BOOKING_COMPLETED -> bookingCompleted((DomainEvent.BookingCompleted) event, at);
            case BOOKING_NO_SHOW -> bookingNoShow((DomainEvent.BookingNoShow) event, at);
            default -> { }
        }
    }

    /** The rows by dimension; bookings not ended yet count as open. */
    Map<Dimension, List<BookingRow>> rows(BiFunction<Dimension, String, String> label) {
        for (BookingTrack b : bookings.values()) {
            BookingTally[] ts = bookingTallies(b);
            if (ts != null) {
                for (BookingTally t : ts) {
                    t.open++;
                }
                home(b, ts);
            }
        }
        Map<Dimension, List<BookingRow>> out = new EnumMap<>(Dimension.class);
        for (Dimension d : Dimension.values()) {
            List<BookingRow> list = new ArrayList<>();
            new TreeMap<>(bookingTallies.get(d)).forEach((key, t) -> list.add(t.row(d, key, label.apply(d, key))));
            out.put(d, List.copyOf(list));
        }
        return out;
    }

    /**
     * The rows a booking counts in, by its slot's start, its reschedules counted there; null when the slot
     * starts outside the period, or the journal does not hold the booking's confirmation.
     */
    private BookingTally[] bookingTallies(BookingTrack b) {
        if (b == null || !inPeriod.test(b.slotStart)) {
            return null;
        }
        HourIndex.Hour h = hours.at(b.slotStart);
        List<BookingTally> ts = new ArrayList<>(List.of(bookingTally(Dimension.TOTAL, JournalAnalyzer.TOTAL_KEY),
                bookingTally(Dimension.RING, b.ringId), bookingTally(Dimension.AUTHORITY, authorityOf.apply(b.ringId)),
                bookingTally(Dimension.POINT, b.pointId), bookingTally(Dimension.SERVICE, b.serviceId),
                bookingTally(Dimension.HOUR_OF_DAY, JournalAnalyzer.hourKey(h.hourOfDay())), bookingTally(Dimension.DAY, h.day()),
                bookingTally(Dimension.MONTH, h.month())));
        if (b.expertId != null) {
            ts.add(bookingTally(Dimension.EXPERT, b.expertId));
        }
        BookingTally[] out = ts.toArray(new BookingTally[0]);
        for (BookingTally t : out) {
            t.rescheduled += b.reschedules;
        }
        return out;
    }

    private BookingTally bookingTally(Dimension d, String key) {
        return bookingTallies.get(d).computeIfAbsent(key, k -> new BookingTally());
    }

    private void bookingCancelled(DomainEvent.BookingCancelled e) {
        BookingTrack bookingTrackGone = bookings.remove(e.bookingId());
        BookingTally[] ts = bookingTallies(bookingTrackGone);
        if (ts == null) {
            return;
        }
        home(bookingTrackGone, ts);
        long notice = e.noticeSeconds() * 1000;
        for (BookingTally t : ts) {
            t.cancelled++;
            t.noticeMillis += notice;
            if (notice < JournalAnalyzer.LATE_CANCEL_NOTICE.toMillis()) {
                t.lateCancelled++;
            }
        }
    }

    /** A booking from home, counted however it ended: the customer's late join and failed device checks. */
    private static void home(BookingTrack b, BookingTally[] ts) {
        if (!b.fromHome) {
            return;
        }
        for (BookingTally t : ts) {
            t.fromHome++;
            t.cameraFailures += b.cameraFailures;
            t.microphoneFailures += b.microphoneFailures;
            if (b.customerLateMillis > JournalAnalyzer.LATE_TOLERANCE.toMillis()) {
                t.customerLate++;
                t.customerLateMillis += b.customerLateMillis;
            }
        }
    }

    /** Counts what both a completed booking and a no-show have: the booked slot and the lateness so far. */
    private void bookingCameDue(BookingTrack b, BookingTally[] ts, long used) {
        home(b, ts);
        long booked = b.slotEnd - b.slotStart;
        long tolerance = JournalAnalyzer.LATE_TOLERANCE.toMillis();
        for (BookingTally t : ts) {
            t.bookedMillis += booked;
            t.usedMillis += used;
            t.wasteMillis += Math.max(0, booked - used);
            if (b.advisorLateMillis > tolerance) {
                t.advisorLate++;
                t.advisorLateMillis += b.advisorLateMillis;
            }
            if (b.expertLateMillis > tolerance) {
                t.expertLate++;
                t.expertLateMillis += b.expertLateMillis;
            }
        }
    }

    private void bookingCompleted(DomainEvent.BookingCompleted e, long at) {
        BookingTrack b = bookings.remove(e.bookingId());
        BookingTally[] ts = bookingTallies(b);
        if (ts == null) {
            return;
        }
        bookingCameDue(b, ts, e.usedSeconds() * 1000);
        long early = e.endedEarlySeconds() * 1000;
        for (BookingTally t : ts) {
            t.completed++;
            if (early > JournalAnalyzer.LATE_TOLERANCE.toMillis()) {
                t.endedEarly++;
            }
        }
        free(at, at + early, b.expertId, b.ringId, ts);
    }

    private void bookingNoShow(DomainEvent.BookingNoShow e, long at) {
        BookingTrack b = bookings.remove(e.bookingId());
        BookingTally[] ts = bookingTallies(b);
        if (ts == null) {
            return;
        }
        bookingCameDue(b, ts, 0);
        for (BookingTally t : ts) {
            switch (e.side()) {
                case POINT -> t.noShowsPoint++;
                case EXPERT -> t.noShowsExpert++;
                case CUSTOMER -> t.noShowsCustomer++;
            }
        }
        // Until the no-show is declared the expert is held for the booking: only the rest of the slot is freed.
        free(Math.max(at, b.slotStart), b.slotEnd, b.expertId, b.ringId, ts);
    }

    private void free(long from, long to, String expertId, String ringId, BookingTally[] ts) {
        if (to <= from) {
            return;
        }
        for (BookingTally t : ts) {
            t.freedMillis += to - from;
        }
        freed.add(new Freed(from, to, expertId, ringId, ts));
    }

    /** An instant call's handle time (talk + wrap-up, {@code c.startedAt} to {@code end}) inside freed booked time. */
    private void backfill(InstantCall c, long end) {
        if (freed.isEmpty()) {
            return;
        }
        for (Freed f : freed) {
            boolean mine = f.expertId != null ? f.expertId.equals(c.expertId()) : f.ringId.equals(c.ringId());
            long overlap = Math.min(end, f.to) - Math.max(c.startedAt(), f.from);
            if (!mine || overlap <= 0) {
                continue;
            }
            // Several of a pooled ring's experts may answer in the same freed time: never more than was freed.
            long part = Math.min(overlap, f.to - f.from - f.backfilled);
            f.backfilled += part;
            for (BookingTally t : f.tallies) {
                t.backfilledMillis += part;
            }
        }
        long oldestOpen = end;
        for (InstantCall open : instantCalls.values()) {
            oldestOpen = Math.min(oldestOpen, open.startedAt());
        }
        // Freed time that ended before every call still open began can no longer be backfilled.
        for (Iterator<Freed> i = freed.iterator(); i.hasNext(); ) {
            if (i.next().to <= oldestOpen) {
                i.remove();
            }
        }
    }

}
