package fi.palvelurinki.signaling.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import fi.palvelurinki.broker.Broker;
import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.booking.Booking;
import fi.palvelurinki.broker.booking.BookingStatus;
import fi.palvelurinki.signaling.auth.TokenService;
import fi.palvelurinki.signaling.protocol.ServerMessages;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /api/join/<token>} (no other credential): what the customer's page needs to know before the
 * device check — is the link good now, not yet, expired, revoked (cancelled or moved), used up (the call
 * took place or was missed), or forged — and the booking's service and time. Rate-limited per address,
 * so that links cannot be guessed by asking (they are signed besides).
 */
final class JoinCheck {
    /** Checks per address and minute: a customer reloading now and then stays far below. */
    static final int CHECKS_PER_MINUTE = 30;

    private final Broker broker;
    private final JoinLinks links;
    private final InstantSource clock;
    private final Cache<String, AtomicInteger> recent = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(1))
            .maximumSize(100_000)
            .build();

    JoinCheck(Broker broker, JoinLinks links, InstantSource clock) {
        this.broker = broker;
        this.links = links;
        this.clock = clock;
    }

    void handle(Request request, Response response, Callback callback, String token) {
        Exchange x = new Exchange(request, response, callback, null);
        String address = Request.getRemoteAddr(request);
        if (recent.get(address, a -> new AtomicInteger()).incrementAndGet() > CHECKS_PER_MINUTE) {
            x.json(HttpStatus.TOO_MANY_REQUESTS_429, state("rate_limited"));
            return;
        }
        if (!request.getMethod().equals("GET")) {
            x.json(HttpStatus.METHOD_NOT_ALLOWED_405, Exchange.error("method_not_allowed", "only GET"));
            return;
        }
        TokenService.JoinLink link = links.tokens().readJoinLink(token);
        if (link.state() == TokenService.LinkState.FORGED) {
            x.json(HttpStatus.NOT_FOUND_404, state("forged"));
            return;
        }
        broker.submit(new Command.GetBooking(link.bookingId())).whenComplete((r, e) -> {
            if (e != null) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                boolean gone = cause instanceof BrokerException;
                x.json(gone ? HttpStatus.GONE_410 : 500, state(gone ? "revoked" : "internal"));
                return;
            }
            Booking b = ((Reply.BookingView) r).booking();
            if (!b.fromHome()) {
                x.json(HttpStatus.NOT_FOUND_404, state("forged"));
                return;
            }
            String s;
            if (b.version() != link.version() || b.status() == BookingStatus.CANCELLED) {
                s = "revoked";
            } else if (link.state() == TokenService.LinkState.EXPIRED) {
                s = "expired";
            } else if (b.status() == BookingStatus.COMPLETED || b.status() == BookingStatus.NO_SHOW) {
                s = "ended";
            } else {
                s = link.state() == TokenService.LinkState.NOT_YET ? "not_yet" : "valid";
            }
            ObjectNode o = state(s);
            o.put("validFrom", link.notBefore().toString());
            o.put("validUntil", link.expiresAt().toString());
            o.put("now", clock.instant().toString());
            if (!s.equals("revoked")) {
                o.set("booking", ServerMessages.customerBooking(b));
            }
            x.json(s.equals("valid") || s.equals("not_yet") ? 200 : HttpStatus.GONE_410, o);
        });
    }

    private static ObjectNode state(String s) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("state", s);
        return o;
    }
}
