package fi.palvelurinki.broker.routing;

import fi.palvelurinki.broker.ring.Language;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * An interpreter a call needs: before the call (with {@code request}, routed jointly with the expert) or
 * during it (with {@code call}). Written by {@link InterpretersPart} only.
 */
final class InterpreterNeed {
    enum State { WAITING, RINGING, ACCEPTED }

    /** Order of service among interpreters' needs: higher priority first, then first asked. */
    static final Comparator<InterpreterNeed> ORDER = (a, b) -> a.priority != b.priority
            ? Integer.compare(b.priority, a.priority) : Long.compare(a.id, b.id);

    final long id;
    final String language;
    final Language serviceLanguage;
    final String pointId;
    final String requestedBy;
    final int priority;
    final Instant neededAt;
    final RequestState request;
    final CallState call;

    State state = State.WAITING;
    ExpertState interpreter;
    RingState ring;
    Instant expiresAt;
    int offerCount;
    TimerQueue.Timer offerTimer;
    TimerQueue.Timer holdTimer;
    Map<String, Instant> cooldowns;

    InterpreterNeed(long id, String language, Language serviceLanguage, String pointId, String requestedBy, int priority,
            Instant neededAt, RequestState request, CallState call) {
        this.id = id;
        this.language = language;
        this.serviceLanguage = serviceLanguage;
        this.pointId = pointId;
        this.requestedBy = requestedBy;
        this.priority = priority;
        this.neededAt = neededAt;
        this.request = request;
        this.call = call;
    }

    boolean coolingDown(String interpreterId, Instant now) {
        Instant until = cooldowns == null ? null : cooldowns.get(interpreterId);
        return until != null && now.isBefore(until);
    }

    void coolDown(String interpreterId, Instant until) {
        if (cooldowns == null) {
            cooldowns = new HashMap<>(4);
        }
        cooldowns.put(interpreterId, until);
    }

    long callId() {
        return call == null ? 0 : call.id;
    }
}
