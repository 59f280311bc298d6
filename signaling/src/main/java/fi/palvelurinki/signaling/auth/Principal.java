package fi.palvelurinki.signaling.auth;

import java.time.Instant;
import java.util.List;

/**
 * An authenticated user, as named by their token.
 *
 * @param point the advisor's service point (advisors only)
 * @param rings the expert's rings (experts only)
 */
public record Principal(String user, Role role, String point, List<String> rings, Instant expiresAt) {
    public Principal {
        rings = rings == null ? List.of() : List.copyOf(rings);
    }
}
