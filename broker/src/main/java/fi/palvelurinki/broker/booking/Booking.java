package fi.palvelurinki.broker.booking;

import fi.palvelurinki.broker.ring.Language;
import java.time.Instant;

/**
 * A booking as the broker knows it now.
 *
 * @param expertId  the named expert, or null for any expert of the ring (pooled)
 * @param room      the point's remote-service room reserved, 1-based
 * @param requestId the call request once the point started the booked call, else 0
 * @param fromHome  the customer joins from home with a link; the point only booked it
 * @param version   how many times it was moved: a home join link names the version it was issued for
 */
public record Booking(long id, String ringId, String serviceId, String serviceName, String pointId, int room,
        String advisorId, String expertId, Language language, String note, Instant start, Instant end,
        BookingStatus status, long requestId, Instant actualStart, Instant actualEnd, Long advisorLateSeconds,
        Long expertLateSeconds, NoShowSide noShowSide, String cancelledBy, String reason, boolean fromHome,
        int version, String interpreter) {

    private static final String CUSTOMER_PREFIX = "home-";

    /**
     * The party id a home booking's customer has in its call, in place of an advisor's: one per booking, so
     * the customer can reach only that booking's call.
     */
    public static String customerId(long bookingId) {
        return CUSTOMER_PREFIX + bookingId;
    }

    public static boolean isCustomerId(String id) {
        return id != null && id.startsWith(CUSTOMER_PREFIX) && id.length() > CUSTOMER_PREFIX.length()
                && id.substring(CUSTOMER_PREFIX.length()).chars().allMatch(Character::isDigit);
    }
}
