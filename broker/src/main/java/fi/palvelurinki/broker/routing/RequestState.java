package fi.palvelurinki.broker.routing;

import fi.palvelurinki.broker.CallKind;
import fi.palvelurinki.broker.ring.Language;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A customer's request while it is active (waiting, ringing or connected). Owned by the broker thread;
 * written by the queue part ({@link QueuePart}), except {@code callId} (calls), {@code callback}
 * (call-backs) and the {@code published*} figures (live updates and the queue part's replies). Other parts only read it.
 */
final class RequestState {
    enum Status { WAITING, OFFERED, CONNECTED }

    /** Order of service: higher priority first, then first come (request ids grow with arrival). */
    static final Comparator<RequestState> ORDER = (a, b) -> {
        if (a.priority != b.priority) {
            return Integer.compare(b.priority, a.priority);
        }
        return Long.compare(a.id, b.id);
    };

    final long id;
    final CallKind kind;
    final RingState ring;
    final String pointId;
    final String advisorId;
    final String topic;
    final Language language;
    final boolean fallbackConsent;
    final String triageNote;
    final int priority;
    final Instant queuedAt;

    Status status = Status.WAITING;
    Set<Language> acceptable;
    final List<RingState> targets = new ArrayList<>(2);
    Map<String, Instant> cooldowns;
    boolean languageEscalated;
    boolean overflowed;
    ExpertState offeredTo;
    RingState offerRing;
    Instant offerExpiresAt;
    int offerCount;
    long callId;
    /** Set once the advisor turned the request into a call-back. */
    CallbackState callback;
    /** The interpreter this call needs (the joint decision; {@link InterpretersPart}), or null. */
    InterpreterNeed need;
    /** The expert accepted a joint offer and waits, still OFFERED, for the interpreter (written by interpreters). */
    boolean expertHeld;
    /** A second authority asked for during call {@code joinCallId}; 0 for a request that starts a call. */
    long joinCallId;
    TimerQueue.Timer offerTimer;
    TimerQueue.Timer escalationTimer;
    TimerQueue.Timer overflowTimer;

    int publishedPosition = -1;
    // Primitives, not a Duration and an Instant: the update round reads these for every waiting request,
    // and a pointer to another object per request was a cache miss each (a fifth of the broker thread's
    // samples at 100,000s waiting).
    /** The estimated wait last told, in whole seconds; -1 when none was (nobody signed in). */
    long publishedEtaSeconds = -1;
    /** When the position was last told, epoch milliseconds (the engine's clock is in whole milliseconds). */
    long publishedAtMillis;

    RequestState(long id, CallKind kind, RingState ring, String pointId, String advisorId, String topic,
            Language language, boolean fallbackConsent, String triageNote, int priority, Instant queuedAt) {
        this.id = id;
        this.kind = kind;
        this.ring = ring;
        this.pointId = pointId;
        this.advisorId = advisorId;
        this.topic = topic;
        this.language = language;
        this.fallbackConsent = fallbackConsent;
        this.triageNote = triageNote;
        this.priority = priority;
        this.queuedAt = queuedAt;
        this.acceptable = EnumSet.of(language);
        this.targets.add(ring);
    }

    boolean coolingDown(String expertId, Instant now) {
        if (cooldowns == null) {
            return false;
        }
        Instant until = cooldowns.get(expertId);
        return until != null && now.isBefore(until);
    }

    void coolDown(String expertId, Instant until) {
        if (cooldowns == null) {
            cooldowns = new HashMap<>(4);
        }
        cooldowns.put(expertId, until);
    }

    String stateName() {
        return status.name();
    }
}
