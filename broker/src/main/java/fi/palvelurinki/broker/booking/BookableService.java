package fi.palvelurinki.broker.booking;

import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.ring.Ids;
import fi.palvelurinki.broker.ring.Texts;
import java.time.Duration;

/**
 * Something a ring can be booked for, e.g. "TE first visit, 45 min" or "guardianship, 60 min".
 *
 * @param topic        the topic the booked call is about (the experts who handle it may take it)
 * @param slotLength   the booked call's length
 * @param bufferBefore time kept free before the slot (preparation)
 * @param bufferAfter  time kept free after the slot (notes, turnaround)
 * @param horizon      how far ahead the service can be booked
 * @param notice       the shortest time from now to a slot's start
 * @param lateGrace    a booked call not started this long after its start is a no-show
 */
public record BookableService(String id, String ringId, String name, String topic, Duration slotLength,
        Duration bufferBefore, Duration bufferAfter, Duration horizon, Duration notice, Duration lateGrace) {

    public BookableService {
        Ids.check("service", id);
        Ids.check("ring", ringId);
        name = Texts.check("service name", name, 200, true);
        Ids.check("topic", topic);
        within("slot length", slotLength, Duration.ofMinutes(5), Duration.ofHours(8));
        within("buffer before", bufferBefore, Duration.ZERO, Duration.ofHours(2));
        within("buffer after", bufferAfter, Duration.ZERO, Duration.ofHours(2));
        within("booking horizon", horizon, Duration.ofDays(1), Duration.ofDays(366));
        within("notice", notice, Duration.ZERO, Duration.ofDays(30));
        within("late grace", lateGrace, Duration.ofMinutes(1), slotLength);
    }

    /** The time a booking occupies: the slot and its buffers. */
    public Duration footprint() {
        return bufferBefore.plus(slotLength).plus(bufferAfter);
    }

    private static void within(String what, Duration d, Duration min, Duration max) {
        if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw BrokerException.invalid(what + " must be between " + min.toMinutes() + " and " + max.toMinutes()
                    + " minutes, got " + (d == null ? "nothing" : d.toMinutes() + " minutes"));
        }
    }

    public static BookableService of(String id, String ringId, String name, String topic, Duration slotLength) {
        return new BookableService(id, ringId, name, topic, slotLength, Duration.ZERO, Duration.ofMinutes(15),
                Duration.ofDays(60), Duration.ofHours(2), Duration.ofMinutes(10));
    }
}
