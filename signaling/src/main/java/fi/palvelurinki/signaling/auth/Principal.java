package fi.palvelurinki.signaling.auth;

import java.time.Instant;
import java.util.List;

/**
 * An authenticated user, as named by their token.
 *
 * @param point the advisor's service point (advisors only)
 * @param rings the expert's rings (experts only)
 * @param bookingId   the home booking a customer's link is for (customers only, else 0)
 * @param linkVersion the booking's version the link was issued for (customers only)
 */
public record Principal(String user, Role role, String point, List<String> rings, Instant expiresAt, long bookingId,
        int linkVersion) {
    public Principal {
        rings = rings == null ? List.of() : List.copyOf(rings);
    }

    public Principal(String user, Role role, String point, List<String> rings, Instant expiresAt) {
        this(user, role, point, rings, expiresAt, 0, 0);
    }
}
