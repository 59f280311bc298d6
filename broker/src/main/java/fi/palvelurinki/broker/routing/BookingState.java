package fi.palvelurinki.broker.routing;

import fi.palvelurinki.broker.booking.BookableService;
import fi.palvelurinki.broker.booking.Booking;
import fi.palvelurinki.broker.booking.BookingStatus;
import fi.palvelurinki.broker.booking.NoShowSide;
import fi.palvelurinki.broker.ring.Language;
import java.time.Instant;
import java.util.Comparator;

/** A booking's live state. Owned by the broker thread. */
final class BookingState {
    static final Comparator<BookingState> BY_START = (a, b) -> {
        int c = a.start.compareTo(b.start);
        return c != 0 ? c : Long.compare(a.id, b.id);
    };

    final long id;
    final RingState ring;
    final BookableService service;
    final String pointId;
    final String advisorId;
    final String expertId;
    final Language language;
    final String note;
    int room;
    Instant start;
    Instant end;
    BookingStatus status = BookingStatus.CONFIRMED;
    /** The request of the attempt under way (started, not abandoned), or null. */
    RequestState request;
    /** The request id of the latest attempt to start it, or 0. */
    long attemptId;
    Instant startRequestedAt;
    long callId;
    Instant actualStart;
    Instant actualEnd;
    Long advisorLateSeconds;
    Long expertLateSeconds;
    NoShowSide noShowSide;
    String cancelledBy;
    String reason;
    boolean fromHome;
    /** The interpreting language booked with the slot (an interpreter of it is held like the expert), or null. */
    String interpreter;
    int version;
    Instant customerJoinedAt;
    TimerQueue.Timer readyTimer;
    TimerQueue.Timer graceTimer;

    BookingState(long id, RingState ring, BookableService service, String pointId, int room, String advisorId,
            String expertId, Language language, String note, Instant start, Instant end) {
        this.id = id;
        this.ring = ring;
        this.service = service;
        this.pointId = pointId;
        this.room = room;
        this.advisorId = advisorId;
        this.expertId = expertId;
        this.language = language;
        this.note = note;
        this.start = start;
        this.end = end;
    }

    Instant footprintStart() {
        return start.minus(service.bufferBefore());
    }

    Instant footprintEnd() {
        return end.plus(service.bufferAfter());
    }

    /** Waiting for the point to start it: the slot still holds an expert. */
    boolean awaitingStart() {
        return (status == BookingStatus.CONFIRMED || status == BookingStatus.RESCHEDULED) && request == null;
    }

    Booking view() {
        return new Booking(id, ring.id(), service.id(), service.name(), pointId, room, advisorId, expertId, language,
                note, start, end, status, request == null ? 0 : request.id, actualStart, actualEnd, advisorLateSeconds,
                expertLateSeconds, noShowSide, cancelledBy, reason, fromHome, version, interpreter);
    }
}
