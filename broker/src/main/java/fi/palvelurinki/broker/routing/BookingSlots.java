package fi.palvelurinki.broker.routing;

import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.ErrorCode;
import fi.palvelurinki.broker.booking.BookableService;
import fi.palvelurinki.broker.booking.Slot;
import fi.palvelurinki.broker.booking.SlotFinder;
import fi.palvelurinki.broker.point.ServicePoint;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.OpeningHours;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Which slots of a bookable service are free, for the bookings part. A slot can be booked while fewer
 * of the ring's bookings overlap it (with their buffers) than the ring's booking capacity, fewer than
 * its experts speaking the language, the named expert (if any) has no booking then, and the point has
 * a room free.
 */
final class BookingSlots {
    private final EngineContext cx;
    private final TreeMap<LocalDate, List<BookingState>> byDay;

    BookingSlots(EngineContext cx, TreeMap<LocalDate, List<BookingState>> byDay) {
        this.cx = cx;
        this.byDay = byDay;
    }

    static LocalDate day(Instant t) {
        return t.atZone(OpeningHours.ZONE).toLocalDate();
    }

    static String localTime(Instant t) {
        return t.atZone(OpeningHours.ZONE).toLocalTime().toString();
    }

    List<Slot> free(RingState ring, BookableService sv, LocalDate date, Language language, ExpertState named,
            ServicePoint p) {
        return SlotFinder.find(query(ring, sv, date, language, named, p), busy(date, ring, p, null));
    }

    private SlotFinder.Query query(RingState ring, BookableService sv, LocalDate date, Language language,
            ExpertState named, ServicePoint point) {
        int handling = 0;
        int speaking = 0;
        for (ExpertState e : ring.members) {
            if (e.profile.handlesTopic(sv.topic())) {
                handling++;
                if (e.profile.languages().contains(language)) {
                    speaking++;
                }
            }
        }
        int capacity = ring.config.bookingCapacity() == 0 ? handling : Math.min(handling, ring.config.bookingCapacity());
        return new SlotFinder.Query(sv, ring.config.openingHours().windowsOn(date), cx.now.plus(sv.notice()),
                cx.now.plus(sv.horizon()), language, named == null ? null : named.id, capacity, speaking, point.rooms());
    }

    private List<SlotFinder.Busy> busy(LocalDate date, RingState ring, ServicePoint point, List<BookingState> out) {
        List<SlotFinder.Busy> busy = new ArrayList<>();
        for (BookingState b : byDay.getOrDefault(date, List.of())) {
            if (b.status.holdsSlot()) {
                busy.add(new SlotFinder.Busy(b.footprintStart(), b.footprintEnd(), b.expertId, b.language, b.ring == ring,
                        b.pointId.equals(point.id())));
                if (out != null) {
                    out.add(b);
                }
            }
        }
        return busy;
    }

    /**
     * Checks that {@code start} is a slot of the service that may be booked now and has room, leaving
     * {@code moving} out of the count; returns the room to reserve.
     */
    int check(RingState ring, BookableService sv, ServicePoint p, Language language, ExpertState named,
            Instant start, BookingState moving) {
        if (start == null) {
            throw BrokerException.invalid("slot start is required");
        }
        LocalDate date = day(start);
        SlotFinder.Query q = query(ring, sv, date, language, named, p);
        if (start.isBefore(q.earliestStart())) {
            throw BrokerException.invalid(sv.name() + " must be booked at least " + sv.notice().toMinutes()
                    + " minutes ahead");
        }
        if (start.isAfter(q.latestStart())) {
            throw BrokerException.invalid(sv.name() + " can be booked at most " + sv.horizon().toDays() + " days ahead");
        }
        SlotFinder.Query timing = new SlotFinder.Query(sv, q.windows(), q.earliestStart(), q.latestStart(), language,
                null, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
        boolean isSlot = SlotFinder.find(timing, List.of()).stream().anyMatch(x -> x.start().equals(start));
        if (!isSlot) {
            throw BrokerException.invalid(start + " is not a slot start of " + sv.name() + " in ring " + ring.id()
                    + " (slots follow the opening hours, " + sv.footprint().toMinutes() + " minutes apart)");
        }
        List<BookingState> holding = new ArrayList<>();
        List<SlotFinder.Busy> busy = busy(date, ring, p, holding);
        SlotFinder.Busy ignore = moving == null ? null : busy.get(holding.indexOf(moving));
        Instant from = start.minus(sv.bufferBefore());
        Instant to = start.plus(sv.slotLength()).plus(sv.bufferAfter());
        if (SlotFinder.freeExperts(q, busy, from, to, ignore) == 0) {
            int others = SlotFinder.find(q, busy).size();
            throw new BrokerException(ErrorCode.SLOT_TAKEN, "the slot at " + localTime(start) + " on " + date
                    + " is no longer free; " + others + " other slots are free that day");
        }
        for (int room = 1; room <= p.rooms(); room++) {
            boolean taken = false;
            for (BookingState b : holding) {
                if (b != moving && b.pointId.equals(p.id()) && b.room == room && b.footprintStart().isBefore(to)
                        && from.isBefore(b.footprintEnd())) {
                    taken = true;
                    break;
                }
            }
            if (!taken) {
                return room;
            }
        }
        throw new IllegalStateException("slot free but no room free at " + p.id());
    }
}
