package fi.palvelurinki.broker;

import fi.palvelurinki.broker.booking.Booking;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.ring.Language;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * What the broker tells a party without being asked. Delivered on the broker thread through
 * {@link NotificationSink}, in order per recipient, and only after the events that caused it are
 * durable — except {@linkplain #speculative() speculative} ones (offers, call ends), which need not
 * wait for the disk: a lost offer is harmless, a late one costs the customer time.
 */
public sealed interface Notification {

    Recipient recipient();

    default boolean speculative() {
        return false;
    }

    /** An offer rings at the expert. */
    /**
     * An offer rings at the expert, or at an interpreter ({@code role} interpreter; {@code requestId} is then the
     * interpreter need's id). {@code interpreter}: the language interpreted in the call, or null.
     * {@code joinCallId}: the call the party would join (a third or fourth party), or 0 for a new call.
     */
    record Offer(String expertId, long requestId, String ringId, String ringName, String pointId, String pointName,
            String municipality, String advisorName, String topic, Language language, String triageNote,
            CallKind kind, Instant expiresAt, Instant queuedAt, boolean callback, String role, String interpreter,
            long joinCallId) implements Notification {
        @Override
        public Recipient recipient() {
            return Recipient.expert(expertId);
        }

        @Override
        public boolean speculative() {
            return true;
        }
    }

    enum RevokeReason {
        TIMED_OUT, CANCELLED, ADVISOR_DISCONNECTED, BROKER_RESTART, POINT_DID_NOT_ANSWER,
        /** A joint offer: the other party (expert or interpreter) did not accept within the hold time. */
        PARTNER_MISSING,
        /** The call this party was to join has ended. */
        CALL_ENDED
    }

    /** An offer the expert has not answered is no longer theirs to accept. */
    record OfferRevoked(String expertId, long requestId, RevokeReason reason) implements Notification {
        @Override
        public Recipient recipient() {
            return Recipient.expert(expertId);
        }
    }

    /** The expert's presence changed by the broker's doing (offer, call end, missed offers, wrap-up over…). */
    record PresenceChanged(String expertId, Presence presence, String reason, Instant wrapUpUntil) implements Notification {
        @Override
        public Recipient recipient() {
            return Recipient.expert(expertId);
        }
    }

    /** A waiting request's place in the queue or its estimated wait changed. */
    record QueueUpdate(String advisorId, long requestId, int position, Duration estimatedWait) implements Notification {
        @Override
        public Recipient recipient() {
            return Recipient.advisor(advisorId);
        }
    }

    /** The request is ringing at an expert (ringing = true) or went back to the queue (false). */
    record Ringing(String advisorId, long requestId, boolean ringing) implements Notification {
        @Override
        public Recipient recipient() {
            return Recipient.advisor(advisorId);
        }
    }

    /** The request may now be answered more widely: in fallback languages, or by an overflow ring. */
    record RequestEscalated(String advisorId, long requestId, Set<Language> languages, String overflowRingId)
            implements Notification {
        @Override
        public Recipient recipient() {
            return Recipient.advisor(advisorId);
        }
    }

    /** The broker ended a request that the advisor did not cancel themselves. */
    record RequestEnded(String advisorId, long requestId, AbandonReason reason) implements Notification {
        @Override
        public Recipient recipient() {
            return Recipient.advisor(advisorId);
        }
    }

    /** Both parties are told the call is connected; they then exchange media through signaling. */
    record CallConnected(Recipient recipient, long callId, long requestId, String ringId, String expertId,
            String expertName, String advisorId, String pointId, String pointName) implements Notification {}

    /**
     * The call ended. For the expert, wrap-up runs until {@code wrapUpUntil}. Speculative: the call has
     * ended whatever the disk says (after a crash, recovery ends it too), and holding this back would
     * hold back the expert's next offer behind it by one more fsync.
     */
    record CallEnded(Recipient recipient, long callId, CallEndReason reason, Instant wrapUpUntil) implements Notification {
        @Override
        public boolean speculative() {
            return true;
        }
    }

    /**
     * A booking changed: {@code change} is confirmed, rescheduled, cancelled, due (ready to start), started,
     * completed or no_show. Told to the advisor who booked and the expert named, or for a pooled booking
     * the ring's experts.
     */
    record BookingChanged(Recipient recipient, Booking booking, String change) implements Notification {}

    /** A ring's live figures changed (at most once per status interval per ring). */
    record RingStatusChanged(RingStatus status) implements Notification {
        @Override
        public Recipient recipient() {
            return Recipient.OPERATORS;
        }
    }

    /** A call-back rings at an advisor of its point: an expert is waiting to be answered until {@code ringUntil}. */
    record CallbackRinging(Recipient recipient, long requestId, String requesterId, String ringId, String ringName,
            String topic, String triageNote, String expertId, String expertName, int attempt, Instant ringUntil)
            implements Notification {}

    /** The call-back stopped ringing at the point: {@code outcome} is answered, unanswered or cancelled. */
    record CallbackRingEnded(Recipient recipient, long requestId, String outcome) implements Notification {}

    /** The point did not answer; the call-back keeps its place and is offered again from {@code retryAt}. */
    record CallbackRetry(String advisorId, long requestId, int attempts, int maxAttempts, Instant retryAt)
            implements Notification {
        @Override
        public Recipient recipient() {
            return Recipient.advisor(advisorId);
        }
    }

    /**
     * The expert or interpreter accepted a joint offer and is held until the other accepts too
     * ({@code waitingFor}: interpreter or expert).
     */
    record OfferHeld(String expertId, long requestId, String waitingFor) implements Notification {
        @Override
        public Recipient recipient() {
            return Recipient.expert(expertId);
        }
    }

    /** One party of a call, as the others see them: {@code role} advisor, expert or interpreter. */
    record CallMember(Recipient party, String role, String name, String language) {}

    /**
     * A third or fourth party joined: told to those already in the call. The newcomer opens a media
     * connection to each of them (docs/protocol.md, "Calls of three or four").
     */
    record PartyJoined(Recipient recipient, long callId, CallMember member) implements Notification {}

    /** Told to the party who joins call {@code callId}: who is in it already. */
    record CallJoined(Recipient recipient, long callId, long requestId, String ringId, String role, String language,
            String pointId, String pointName, java.util.List<CallMember> members) implements Notification {}

    /** A joined party left; the call goes on for the others. */
    record PartyLeft(Recipient recipient, long callId, Recipient party, String reason) implements Notification {}

    /** A party asked for during the call is no longer looked for ({@code outcome}: cancelled, call_ended). */
    record PartyRequestEnded(Recipient recipient, long callId, long id, String outcome) implements Notification {}
}
