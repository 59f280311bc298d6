package fi.palvelurinki.broker.booking;

import fi.palvelurinki.broker.ring.Language;
import java.time.Instant;

/**
 * A booking as the broker knows it now.
 *
 * @param expertId  the named expert, or null for any expert of the ring (pooled)
 * @param room      the point's remote-service room reserved, 1-based
 * @param requestId the call request once the point started the booked call, else 0
 */
public record Booking(long id, String ringId, String serviceId, String serviceName, String pointId, int room,
        String advisorId, String expertId, Language language, String note, Instant start, Instant end,
        BookingStatus status, long requestId, Instant actualStart, Instant actualEnd, Long advisorLateSeconds,
        Long expertLateSeconds, NoShowSide noShowSide, String cancelledBy, String reason) {}
