package fi.palvelurinki.signaling.http;

import fi.palvelurinki.broker.booking.Booking;
import fi.palvelurinki.broker.booking.BookingStatus;
import fi.palvelurinki.signaling.auth.TokenService;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;

/**
 * Home bookings' join links ({@code /join/<token>}, docs/pages.md): the token is the customer's signed
 * credential for that booking and version, usable from {@code signaling.homeJoinLead} before the slot until it ends. A moved
 * booking has a new version, so a new link; the broker refuses the old one, and a cancelled booking's.
 */
public final class JoinLinks {
    private final TokenService tokens;
    private final Duration lead;

    public JoinLinks(TokenService tokens, Duration lead) {
        this.tokens = tokens;
        this.lead = lead;
    }

    public Duration lead() {
        return lead;
    }

    public Instant validFrom(Booking b) {
        return b.start().minus(lead);
    }

    /** The link's path for a home booking that may still happen, else null. */
    public String path(Booking b) {
        if (!b.fromHome() || b.status().terminal() || b.status() == BookingStatus.STARTED) {
            return null;
        }
        return "/join/" + tokens.issueJoinLink(b.id(), b.version(), validFrom(b), b.end());
    }

    /** The link as the customer will open it: on the address the booker reached the server at. */
    static String url(Request request, String path) {
        HttpURI uri = request.getHttpURI();
        return uri.getScheme() + "://" + uri.getAuthority() + path;
    }

    TokenService tokens() {
        return tokens;
    }
}
