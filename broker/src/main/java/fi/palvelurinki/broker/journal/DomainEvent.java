package fi.palvelurinki.broker.journal;

import fi.palvelurinki.broker.AbandonReason;
import fi.palvelurinki.broker.CallEndReason;
import fi.palvelurinki.broker.CallKind;
import fi.palvelurinki.broker.CallQuality;
import fi.palvelurinki.broker.Party;
import fi.palvelurinki.broker.booking.BookableService;
import fi.palvelurinki.broker.booking.NoShowSide;
import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.point.Advisor;
import fi.palvelurinki.broker.point.ServicePoint;
import fi.palvelurinki.broker.ring.Authority;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.RingConfig;
import java.time.Instant;
import java.util.Set;

/**
 * A state change, as recorded in the journal. The broker's state is a fold of these; so are all the
 * efficiency figures (wait, offer, talk, wrap-up and idle times). Each event carries the ids and the
 * timestamp (millisecond precision) an analysis needs without looking elsewhere.
 */
public sealed interface DomainEvent {

    Instant at();

    /** The event's kind; {@code switch} expressions over it are checked for exhaustiveness by the compiler. */
    Type type();

    /** Stable journal tags: never reuse or renumber one. */
    enum Type {
        AUTHORITY_DEFINED(1),
        RING_CONFIGURED(2),
        POINT_DEFINED(3),
        ADVISOR_DEFINED(4),
        EXPERT_DEFINED(5),
        REQUEST_QUEUED(10),
        OFFER_MADE(11),
        OFFER_ACCEPTED(12),
        OFFER_DECLINED(13),
        OFFER_TIMED_OUT(14),
        OFFER_WITHDRAWN(15),
        CALL_STARTED(16),
        CALL_ENDED(17),
        WRAP_UP_ENDED(18),
        REQUEST_ABANDONED(19),
        LANGUAGE_ESCALATED(20),
        REQUEST_OVERFLOWED(21),
        PRESENCE_CHANGED(22),
        CALL_OUTCOME_RECORDED(23),
        SERVICE_DEFINED(30),
        BOOKING_CONFIRMED(31),
        BOOKING_RESCHEDULED(32),
        BOOKING_CANCELLED(33),
        BOOKING_START_REQUESTED(34),
        BOOKING_STARTED(35),
        BOOKING_COMPLETED(36),
        BOOKING_NO_SHOW(37),
        CALL_QUALITY_REPORTED(40),
        CALLBACK_REQUESTED(50),
        CALLBACK_POINT_RUNG(51),
        CALLBACK_ANSWERED(52),
        CALLBACK_RING_UNANSWERED(53),
        CALLBACK_RETRY_SCHEDULED(54),
        CALLBACK_FAILED(55),
        SIGNED_IN(60),
        SIGNED_OUT(61),
        BOOKING_FROM_HOME(70),
        CUSTOMER_JOINED(71),
        DEVICE_CHECK_FAILED(72),
        INTERPRETER_NEEDED(80),
        INTERPRETER_OFFERED(81),
        INTERPRETER_ANSWERED(82),
        OFFER_HELD(83),
        INTERPRETER_NEED_ENDED(84),
        PARTY_JOINED(85),
        PARTY_LEFT(86),
        JOIN_REQUESTED(87),
        INTERPRETER_BOOKED(88);

        private final int tag;

        Type(int tag) {
            this.tag = tag;
        }

        public int tag() {
            return tag;
        }

        private static final Type[] BY_TAG = new Type[256];

        static {
            for (Type t : values()) {
                BY_TAG[t.tag] = t;
            }
        }

        public static Type ofTag(int tag) {
            Type t = tag >= 0 && tag < BY_TAG.length ? BY_TAG[tag] : null;
            if (t == null) {
                throw new JournalFormatException("unknown event tag " + tag);
            }
            return t;
        }
    }

    record AuthorityDefined(Instant at, Authority authority) implements DomainEvent {
        @Override
        public Type type() {
            return Type.AUTHORITY_DEFINED;
        }
    }

    record RingConfigured(Instant at, RingConfig ring, String actor) implements DomainEvent {
        @Override
        public Type type() {
            return Type.RING_CONFIGURED;
        }
    }

    record PointDefined(Instant at, ServicePoint point) implements DomainEvent {
        @Override
        public Type type() {
            return Type.POINT_DEFINED;
        }
    }

    record AdvisorDefined(Instant at, Advisor advisor) implements DomainEvent {
        @Override
        public Type type() {
            return Type.ADVISOR_DEFINED;
        }
    }

    record ExpertDefined(Instant at, ExpertProfile expert, String actor) implements DomainEvent {
        @Override
        public Type type() {
            return Type.EXPERT_DEFINED;
        }
    }

    record RequestQueued(Instant at, long requestId, CallKind kind, String ringId, String pointId, String advisorId,
            String topic, Language language, boolean languageFallbackConsent, String triageNote, int priority)
            implements DomainEvent {
        @Override
        public Type type() {
            return Type.REQUEST_QUEUED;
        }
    }

    /** {@code reason} is the routing policy's explanation of its choice. */
    record OfferMade(Instant at, long requestId, String expertId, String ringId, String pointId, Instant expiresAt,
            String reason) implements DomainEvent {
        @Override
        public Type type() {
            return Type.OFFER_MADE;
        }
    }

    record OfferAccepted(Instant at, long requestId, String expertId, String ringId, String pointId) implements DomainEvent {
        @Override
        public Type type() {
            return Type.OFFER_ACCEPTED;
        }
    }

    record OfferDeclined(Instant at, long requestId, String expertId, String ringId, Instant cooldownUntil)
            implements DomainEvent {
        @Override
        public Type type() {
            return Type.OFFER_DECLINED;
        }
    }

    record OfferTimedOut(Instant at, long requestId, String expertId, String ringId, int consecutiveMisses,
            Instant cooldownUntil) implements DomainEvent {
        @Override
        public Type type() {
            return Type.OFFER_TIMED_OUT;
        }
    }

    /** The offer ended without an answer from the expert: cancelled, expert gone away, restart. */
    record OfferWithdrawn(Instant at, long requestId, String expertId, String ringId, String reason) implements DomainEvent {
        @Override
        public Type type() {
            return Type.OFFER_WITHDRAWN;
        }
    }

    record CallStarted(Instant at, long callId, long requestId, String expertId, String advisorId, String ringId,
            String pointId) implements DomainEvent {
        @Override
        public Type type() {
            return Type.CALL_STARTED;
        }
    }

    record CallEnded(Instant at, long callId, long requestId, String expertId, String ringId, String pointId,
            CallEndReason reason, Instant wrapUpUntil) implements DomainEvent {
        @Override
        public Type type() {
            return Type.CALL_ENDED;
        }
    }

    record WrapUpEnded(Instant at, String expertId, long callId, String ringId, boolean early) implements DomainEvent {
        @Override
        public Type type() {
            return Type.WRAP_UP_ENDED;
        }
    }

    record RequestAbandoned(Instant at, long requestId, String ringId, String pointId, AbandonReason reason)
            implements DomainEvent {
        @Override
        public Type type() {
            return Type.REQUEST_ABANDONED;
        }
    }

    record LanguageEscalated(Instant at, long requestId, String ringId, Set<Language> languages) implements DomainEvent {
        @Override
        public Type type() {
            return Type.LANGUAGE_ESCALATED;
        }
    }

    record RequestOverflowed(Instant at, long requestId, String fromRingId, String toRingId) implements DomainEvent {
        @Override
        public Type type() {
            return Type.REQUEST_OVERFLOWED;
        }
    }

    record PresenceChanged(Instant at, String expertId, Presence from, Presence to, String reason) implements DomainEvent {
        @Override
        public Type type() {
            return Type.PRESENCE_CHANGED;
        }
    }

    record ServiceDefined(Instant at, BookableService service, String actor) implements DomainEvent {
        @Override
        public Type type() {
            return Type.SERVICE_DEFINED;
        }
    }

    /** A booking, durable. {@code expertId} null: any expert of the ring. */
    record BookingConfirmed(Instant at, long bookingId, String ringId, String serviceId, String pointId, int room,
            String advisorId, String expertId, fi.palvelurinki.broker.ring.Language language, String note, Instant slotStart,
            Instant slotEnd) implements DomainEvent {
        @Override
        public Type type() {
            return Type.BOOKING_CONFIRMED;
        }
    }

    record BookingRescheduled(Instant at, long bookingId, Instant fromStart, Instant fromEnd, Instant toStart,
            Instant toEnd, int room, String actor, String reason) implements DomainEvent {
        @Override
        public Type type() {
            return Type.BOOKING_RESCHEDULED;
        }
    }

    /** {@code noticeSeconds}: how long before the slot's start (negative: after it started). */
    record BookingCancelled(Instant at, long bookingId, String actor, String reason, long noticeSeconds) implements DomainEvent {
        @Override
        public Type type() {
            return Type.BOOKING_CANCELLED;
        }
    }

    /** The point started the booked call as request {@code requestId}; late by that much (0: on time or early). */
    record BookingStartRequested(Instant at, long bookingId, long requestId, long advisorLateSeconds) implements DomainEvent {
        @Override
        public Type type() {
            return Type.BOOKING_START_REQUESTED;
        }
    }

    /** The booked call connected; the expert answered that much after the point was ready (and the slot had begun). */
    record BookingStarted(Instant at, long bookingId, long callId, String expertId, long expertLateSeconds) implements DomainEvent {
        @Override
        public Type type() {
            return Type.BOOKING_STARTED;
        }
    }

    /** The booked call ended; {@code endedEarlySeconds} before the slot's end (the time that can be backfilled). */
    record BookingCompleted(Instant at, long bookingId, long callId, long usedSeconds, long endedEarlySeconds) implements DomainEvent {
        @Override
        public Type type() {
            return Type.BOOKING_COMPLETED;
        }
    }

    record BookingNoShow(Instant at, long bookingId, NoShowSide side) implements DomainEvent {
        @Override
        public Type type() {
            return Type.BOOKING_NO_SHOW;
        }
    }

    /** One party's measurement of the call's incoming media over an interval (docs/metrics.md). */
    record CallQualityReported(Instant at, long callId, String ringId, String pointId, Party party, CallQuality quality)
            implements DomainEvent {
        @Override
        public Type type() {
            return Type.CALL_QUALITY_REPORTED;
        }
    }

    /**
     * The expert's outcome of an ended call, one of the ring's configured outcome ids (no free text: nothing
     * personal). Carries the ring, point and topic so that first-contact resolution folds from it alone.
     */
    record CallOutcomeRecorded(Instant at, long callId, long requestId, String expertId, String ringId, String pointId,
            String topic, String outcome) implements DomainEvent {
        @Override
        public Type type() {
            return Type.CALL_OUTCOME_RECORDED;
        }
    }

    /** The advisor turned a waiting request into a call-back: it keeps its place, the point is free meanwhile. */
    record CallbackRequested(Instant at, long requestId, String advisorId, String pointId, boolean ringAllAdvisors)
            implements DomainEvent {
        @Override
        public Type type() {
            return Type.CALLBACK_REQUESTED;
        }
    }

    /** The expert accepted the call-back; the point's advisors are rung until {@code ringUntil}. */
    record CallbackPointRung(Instant at, long requestId, String expertId, String ringId, String pointId, int attempt,
            Instant ringUntil) implements DomainEvent {
        @Override
        public Type type() {
            return Type.CALLBACK_POINT_RUNG;
        }
    }

    /** An advisor of the point answered; the call starts (events that follow). */
    record CallbackAnswered(Instant at, long requestId, String expertId, String advisorId, int attempt, long ringMillis)
            implements DomainEvent {
        @Override
        public Type type() {
            return Type.CALLBACK_ANSWERED;
        }
    }

    /** Nobody at the point answered in time: the expert is released; {@code ringMillis} is the expert's time lost. */
    record CallbackRingUnanswered(Instant at, long requestId, String expertId, String ringId, int attempt,
            long ringMillis) implements DomainEvent {
        @Override
        public Type type() {
            return Type.CALLBACK_RING_UNANSWERED;
        }
    }

    /** The call-back keeps its place but is not offered again before {@code retryAt}. */
    record CallbackRetryScheduled(Instant at, long requestId, int nextAttempt, Instant retryAt) implements DomainEvent {
        @Override
        public Type type() {
            return Type.CALLBACK_RETRY_SCHEDULED;
        }
    }

    /** The point did not answer {@code attempts} times: the call-back ends (a {@code RequestAbandoned} follows). */
    record CallbackFailed(Instant at, long requestId, int attempts) implements DomainEvent {
        @Override
        public Type type() {
            return Type.CALLBACK_FAILED;
        }
    }

    /**
     * A sign-in through an identity provider and its role mapping decision; {@code role} null: no role
     * (the person was shown so and got no session). Only the user id, never names or claims' values.
     */
    record SignedIn(Instant at, String provider, String userId, String role, String pointId, Set<String> rings,
            String reason) implements DomainEvent {
        @Override
        public Type type() {
            return Type.SIGNED_IN;
        }
    }

    /** The person signed out: their session's token ({@code sessionId}) is refused from now until {@code until}. */
    record SignedOut(Instant at, String userId, String provider, String sessionId, Instant until) implements DomainEvent {
        @Override
        public Type type() {
            return Type.SIGNED_OUT;
        }
    }

    /** The booking is served from home: the customer joins with a link instead of coming to the point. */
    record BookingFromHome(Instant at, long bookingId) implements DomainEvent {
        @Override
        public Type type() {
            return Type.BOOKING_FROM_HOME;
        }
    }

    /**
     * The customer of a home booking came into the waiting room with their link (the first time only);
     * {@code lateSeconds} after the slot's start (0: on time or early).
     */
    record CustomerJoined(Instant at, long bookingId, long lateSeconds) implements DomainEvent {
        @Override
        public Type type() {
            return Type.CUSTOMER_JOINED;
        }
    }

    /** The customer's device check failed: {@code problem} is e.g. {@code camera_denied} or {@code no_microphone}. */
    record DeviceCheckFailed(Instant at, long bookingId, String problem) implements DomainEvent {
        @Override
        public Type type() {
            return Type.DEVICE_CHECK_FAILED;
        }
    }

    /**
     * An interpreter for {@code language} is needed: for request {@code requestId} before its call starts (the
     * joint decision: expert and interpreter are offered together), or for call {@code callId} already in
     * progress (then {@code requestId} is 0). {@code requestedBy} is the advisor or expert who asked.
     */
    record InterpreterNeeded(Instant at, long needId, long requestId, long callId, String language,
            Language serviceLanguage, String pointId, String requestedBy, int priority) implements DomainEvent {
        @Override
        public Type type() {
            return Type.INTERPRETER_NEEDED;
        }
    }

    /** The need rings at an interpreter of ring {@code ringId} until {@code expiresAt}. */
    record InterpreterOffered(Instant at, long needId, String interpreterId, String ringId, String language,
            Instant expiresAt) implements DomainEvent {
        @Override
        public Type type() {
            return Type.INTERPRETER_OFFERED;
        }
    }

    /** How an interpreter's offer ended. */
    enum InterpreterOutcome {
        /** Accepted: joins at once, or is held until the expert accepts too. */
        ACCEPTED,
        DECLINED,
        TIMED_OUT,
        /** Withdrawn before an answer: the request ended, the interpreter left, a restart. */
        WITHDRAWN,
        /** An acceptance held for the joint call was let go: no expert accepted within the hold time. */
        RELEASED
    }

    /** {@code cooldownUntil}: after a decline or time-out, the interpreter is not offered this need again before it. */
    record InterpreterAnswered(Instant at, long needId, String interpreterId, String ringId, InterpreterOutcome outcome,
            Instant cooldownUntil) implements DomainEvent {
        @Override
        public Type type() {
            return Type.INTERPRETER_ANSWERED;
        }
    }

    /** The expert accepted a joint offer before the interpreter did: held (OFFERED) until the interpreter accepts. */
    record OfferHeld(Instant at, long requestId, String expertId, String ringId) implements DomainEvent {
        @Override
        public Type type() {
            return Type.OFFER_HELD;
        }
    }

    /** The need went away unmet: {@code reason} is cancelled, request_ended, call_ended or restart. */
    record InterpreterNeedEnded(Instant at, long needId, String reason) implements DomainEvent {
        @Override
        public Type type() {
            return Type.INTERPRETER_NEED_ENDED;
        }
    }

    /**
     * A third or fourth party joined call {@code callId}: an interpreter ({@code role} interpreter, for
     * {@code language}, meeting need {@code needId}) or a second authority's expert ({@code role} expert, who
     * accepted join request {@code requestId}).
     */
    record PartyJoined(Instant at, long callId, String partyId, String role, String ringId, String language, long needId,
            long requestId) implements DomainEvent {
        @Override
        public Type type() {
            return Type.PARTY_JOINED;
        }
    }

    /** A joined party left a call that goes on; their wrap-up runs until {@code wrapUpUntil}. */
    record PartyLeft(Instant at, long callId, String partyId, String ringId, String reason, Instant wrapUpUntil)
            implements DomainEvent {
        @Override
        public Type type() {
            return Type.PARTY_LEFT;
        }
    }

    /** Booking {@code bookingId}, confirmed just before, books an interpreter for {@code language} too. */
    record InterpreterBooked(Instant at, long bookingId, String language) implements DomainEvent {
        @Override
        public Type type() {
            return Type.INTERPRETER_BOOKED;
        }
    }

    /** Request {@code requestId}, queued just before, brings a second authority into call {@code callId}. */
    record JoinRequested(Instant at, long requestId, long callId, String requestedBy) implements DomainEvent {
        @Override
        public Type type() {
            return Type.JOIN_REQUESTED;
        }
    }
}
