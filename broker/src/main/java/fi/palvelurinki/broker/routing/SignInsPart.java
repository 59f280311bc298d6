package fi.palvelurinki.broker.routing;

import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.ring.Ids;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Sign-ins through the identity providers and their role mapping decisions, for the record (who could
 * sign in as what, and when a directory's change took effect). The broker decides nothing by them (who may
 * connect is the signaling side's to judge); it keeps only what signaling needs again after a restart:
 * sessions ended by signing out, until their tokens would have expired, and who signed in as an operator
 * (operators are not in the broker's directory).
 */
final class SignInsPart implements EnginePart {
    private static final Set<String> ROLES = Set.of("advisor", "expert", "operator");

    private final EngineContext cx;
    private final Map<String, Instant> endedSessions = new HashMap<>();
    private final Set<String> operators = new HashSet<>();

    SignInsPart(EngineContext cx) {
        this.cx = cx;
    }

    @Override
    public void register(Wiring w) {
        w.command(Command.RecordSignIn.class, this::signedIn);
        w.command(Command.RecordSignOut.class, this::signedOut);
        w.command(Command.GetSignIns.class, c -> new Reply.SignIns(Map.copyOf(endedSessions), Set.copyOf(operators)));
        w.event(DomainEvent.Type.SIGNED_IN, DomainEvent.SignedIn.class, e -> {
            if (e.userId() != null) {
                if ("operator".equals(e.role())) {
                    operators.add(e.userId());
                } else {
                    operators.remove(e.userId());
                }
            }
        });
        w.event(DomainEvent.Type.SIGNED_OUT, DomainEvent.SignedOut.class, e -> {
            endedSessions.values().removeIf(until -> until.isBefore(e.at()));
            if (e.sessionId() != null && e.until().isAfter(e.at())) {
                endedSessions.put(e.sessionId(), e.until());
            }
        });
    }

    private Reply signedIn(Command.RecordSignIn c) {
        Ids.check("provider", c.provider());
        if (c.userId() != null) {
            Ids.check("user", c.userId());
        }
        if (c.role() != null && !ROLES.contains(c.role())) {
            throw BrokerException.invalid("unknown role '" + c.role() + "'");
        }
        if (c.reason() == null || c.reason().length() > 500) {
            throw BrokerException.invalid("a reason of at most 500 characters is required");
        }
        Set<String> rings = c.rings() == null ? Set.of() : Set.copyOf(c.rings());
        cx.emit(new DomainEvent.SignedIn(cx.now, c.provider(), c.userId(), c.role(), c.pointId(), rings, c.reason()));
        return Reply.Done.INSTANCE;
    }

    private Reply signedOut(Command.RecordSignOut c) {
        Ids.check("user", c.userId());
        if (c.sessionId() == null || c.sessionId().length() > 64 || c.until() == null) {
            throw BrokerException.invalid("a session id (at most 64 characters) and its expiry are required");
        }
        cx.emit(new DomainEvent.SignedOut(cx.now, c.userId(), c.provider(), c.sessionId(), c.until()));
        return Reply.Done.INSTANCE;
    }
}
