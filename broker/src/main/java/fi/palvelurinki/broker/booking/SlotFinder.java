package fi.palvelurinki.broker.booking;

import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.OpeningHours;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the free slots of a bookable service on one day. A pure function of what it is given.
 *
 * <p>Slots follow each other from the start of each open period of the day, one footprint
 * (buffer before + call + buffer after) apart, and the whole footprint lies within the open period.
 * A slot is free when, over its footprint:
 * <ul>
 *   <li>fewer bookings of the ring overlap it than the ring may hold at once ({@code ringCapacity});</li>
 *   <li>fewer of those are in the requested language than the ring has experts for that language
 *       ({@code languageCapacity}) — counting per language rather than matching experts to bookings
 *       one by one, which is exact when each expert speaks one of the ring's languages and an
 *       approximation otherwise;</li>
 *   <li>the named expert, if any, has no booking overlapping it;</li>
 *   <li>the point has a room free (fewer of its bookings overlap it than it has rooms).</li>
 * </ul>
 */
public final class SlotFinder {
    private SlotFinder() {}

    /** An existing booking's footprint. {@code atPoint}: it takes a room at the point we search for. */
    public record Busy(Instant from, Instant to, String expertId, Language language, boolean inRing, boolean atPoint) {
        boolean overlaps(Instant a, Instant b) {
            return from.isBefore(b) && a.isBefore(to);
        }
    }

    public record Query(BookableService service, List<OpeningHours.Window> windows, Instant earliestStart,
            Instant latestStart, Language language, String namedExpert, int ringCapacity, int languageCapacity,
            int rooms) {}

    public static List<Slot> find(Query q, List<Busy> busy) {
        BookableService s = q.service();
        Duration step = s.footprint();
        List<Slot> out = new ArrayList<>();
        for (OpeningHours.Window w : q.windows()) {
            for (Instant from = w.start(); !from.plus(step).isAfter(w.end()); from = from.plus(step)) {
                Instant start = from.plus(s.bufferBefore());
                if (start.isBefore(q.earliestStart()) || start.isAfter(q.latestStart())) {
                    continue;
                }
                int free = freeExperts(q, busy, from, from.plus(step), null);
                if (free > 0) {
                    out.add(new Slot(start, start.plus(s.slotLength()), free));
                }
            }
        }
        return out;
    }

    /**
     * How many more bookings of this kind the footprint [from, to) can take: 0 if it is full. A booking
     * being moved is left out with {@code ignore}.
     */
    public static int freeExperts(Query q, List<Busy> busy, Instant from, Instant to, Busy ignore) {
        int ring = 0;
        int sameLanguage = 0;
        int atPoint = 0;
        for (Busy b : busy) {
            if (b == ignore || !b.overlaps(from, to)) {
                continue;
            }
            if (b.inRing()) {
                ring++;
                if (b.language() == q.language()) {
                    sameLanguage++;
                }
            }
            if (b.atPoint()) {
                atPoint++;
            }
            if (q.namedExpert() != null && q.namedExpert().equals(b.expertId())) {
                return 0;
            }
        }
        if (atPoint >= q.rooms()) {
            return 0;
        }
        int free = Math.min(q.ringCapacity() - ring, q.languageCapacity() - sameLanguage);
        return q.namedExpert() != null ? Math.min(free, 1) : Math.max(free, 0);
    }
}
