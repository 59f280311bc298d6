package fi.palvelurinki.broker;

import fi.palvelurinki.broker.booking.BookableService;
import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.point.Advisor;
import fi.palvelurinki.broker.point.ServicePoint;
import fi.palvelurinki.broker.ring.Authority;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.RingConfig;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Everything the broker can be asked to do. Submitted to {@link Broker#submit}; each completes with a
 * {@link Reply} or fails with a {@link BrokerException}, and a refused command changes nothing.
 */
public sealed interface Command {

    // --- configuration (config file at start, operators later) ---

    record DefineAuthority(Authority authority) implements Command {}

    /** Adds a ring or replaces its settings; {@code actor} (operator id or "config") is journaled. */
    record ConfigureRing(RingConfig ring, String actor) implements Command {}

    record DefinePoint(ServicePoint point) implements Command {}

    record DefineAdvisor(Advisor advisor) implements Command {}

    /** Adds an expert or changes their rings, languages and topics. */
    record DefineExpert(ExpertProfile expert, String actor) implements Command {}

    // --- sign-in through an identity provider (recorded only; who may connect is signaling's to judge) ---

    /**
     * A sign-in's role mapping decision: {@code role} (advisor, expert, operator) with its point or rings,
     * or null when the claims gave no role; {@code userId} is null when the provider's user claim was
     * unusable. {@code reason} names the deciding rule, never a claim's value.
     */
    record RecordSignIn(String provider, String userId, String role, String pointId, java.util.List<String> rings,
            String reason) implements Command {}

    /** A sign-in's session ended by the person signing out; its token is refused until {@code until}. */
    record RecordSignOut(String userId, String provider, String sessionId, Instant until) implements Command {}

    /** Replies {@link Reply.SignIns}: what signaling needs back after a restart. */
    record GetSignIns() implements Command {}

    // --- advisor at a service point ---

    /**
     * Puts a customer in a ring's queue. Replies {@link Reply.Queued}.
     *
     * @param languageFallbackConsent the customer agrees to be served in the ring's fallback language
     *                                if nobody speaking {@code language} answers in time
     * @param triageNote              what the advisor already found out, shown to the expert with the offer
     * @param priority                0-100, higher first; booked calls that are due use {@link #BOOKED_PRIORITY}
     * @param interpreter             an interpreting language (ar, so, fse…) or null: the expert and an interpreter
     *                                are then offered the call together, as one decision (docs/routing.md)
     */
    record RequestCall(String advisorId, String ringId, String topic, Language language,
            boolean languageFallbackConsent, String triageNote, CallKind kind, int priority, String interpreter)
            implements Command {
        public static final int BOOKED_PRIORITY = 50;

        /** Without an interpreter. */
        public RequestCall(String advisorId, String ringId, String topic, Language language,
                boolean languageFallbackConsent, String triageNote, CallKind kind, int priority) {
            this(advisorId, ringId, topic, language, languageFallbackConsent, triageNote, kind, priority, null);
        }

        public static RequestCall instant(String advisorId, String ringId, String topic, Language language, String note) {
            return new RequestCall(advisorId, ringId, topic, language, false, note, CallKind.INSTANT, 0);
        }
    }

    /** The advisor withdraws a waiting (or ringing) request. Cancelling a request that already ended is a no-op. */
    record CancelRequest(String advisorId, long requestId) implements Command {}

    /**
     * Turns the advisor's waiting request into a call-back: it keeps its place, and the point is rung when
     * an expert has accepted it. Replies {@link Reply.Queued}. Asking again is a no-op.
     */
    record RequestCallback(String advisorId, long requestId) implements Command {}

    /** An advisor of the rung point answers the call-back. Replies {@link Reply.CallConnected} once durable. */
    record AnswerCallback(String advisorId, long requestId) implements Command {}

    /** The advisor's connection stayed gone past the grace period: their requests are abandoned, calls ended. */
    record AdvisorGone(String advisorId) implements Command {}

    // --- expert ---

    /** Presence the expert chooses: AVAILABLE, AWAY or OFFLINE. */
    record SetPresence(String expertId, Presence presence) implements Command {}

    /** Replies {@link Reply.CallConnected} once the call is durable in the journal. */
    record AcceptOffer(String expertId, long requestId) implements Command {}

    record DeclineOffer(String expertId, long requestId) implements Command {}

    /** Ends after-call work early: the expert is ready for the next call. */
    record EndWrapUp(String expertId) implements Command {}

    /** The expert's connection stayed gone past the grace period: offer withdrawn, call ended, OFFLINE. */
    record ExpertGone(String expertId) implements Command {}

    // --- either party of a call ---

    record Hangup(Party party, String partyId, long callId) implements Command {}

    /**
     * A party of call {@code callId} (its advisor, or an expert or interpreter in it) brings in a third or
     * fourth party: an interpreter for language {@code interpreter}, or an expert of ring {@code ringId}
     * (a second authority) for {@code topic}. Exactly one of the two. The call goes on meanwhile; the new
     * party joins when they accept. Replies {@link Reply.PartyRequested}.
     */
    record AddParty(long callId, Party party, String partyId, String interpreter, String ringId, String topic,
            String note) implements Command {}

    /** The advisor or the asking party withdraws a party still being looked for (an {@link AddParty}). */
    record CancelParty(long callId, Party party, String partyId, long id) implements Command {}

    /** A party's page measured the call's media; journaled for the report. Refused unless the call is in progress. */
    record ReportCallQuality(long callId, Party party, CallQuality quality) implements Command {}

    /**
     * The expert records the outcome of a call of theirs that has ended (one of the ring's configured
     * outcome ids, checked by the caller against the configuration); once per call.
     */
    record RecordCallOutcome(String expertId, long callId, String outcome) implements Command {}

    /** The call's media could not come back within the recovery time: the server ends it (MEDIA_LOST). */
    record EndCallMediaLost(long callId) implements Command {}

    // --- queries (change nothing) ---

    /** Replies {@link Reply.RingStatuses}; {@code ringId} null for every ring. */
    record GetRingStatus(String ringId) implements Command {}

    /** Replies {@link Reply.RingList}: rings an advisor can call, open or not, with the current wait estimate. */
    record ListRings() implements Command {}

    /** Replies {@link Reply.ExpertStatus}. */
    record GetExpert(String expertId) implements Command {}

    /** Replies {@link Reply.RequestStatus}. */
    record GetRequest(long requestId) implements Command {}

    /**
     * Replies {@link Reply.Requests}: a page of the advisor's waiting, ringing and connected requests,
     * oldest first, those with ids above {@code after} (0 from the start), at most {@code limit}
     * (1-{@link #MAX_PAGE}). Paged so that one command never holds the broker thread for long.
     */
    record GetAdvisorRequests(String advisorId, long after, int limit) implements Command {
        public static final int MAX_PAGE = 100;

        /** The first page. */
        public GetAdvisorRequests(String advisorId) {
            this(advisorId, 0, MAX_PAGE);
        }
    }

    /** Replies {@link Reply.Advisors}: every advisor who has an active request, in one pass (for start-up). */
    record GetAdvisorsWithRequests() implements Command {}

    /** Replies {@link Reply.CallsInProgress}: every call in progress (for start-up: calls survive a restart). */
    record GetCallsInProgress() implements Command {}

    /** Who is in call {@code callId} now (2-4 parties); replies {@link Reply.CallMembers}, unknown_call when it is not in progress. */
    record GetCallMembers(long callId) implements Command {}

    /** Replies {@link Reply.Directory}: every point, advisor, expert and ring as configured now. */
    record GetDirectory() implements Command {}

    // --- bookings ---

    /** Adds a bookable service to its ring or changes it. */
    record DefineService(BookableService service, String actor) implements Command {}

    /**
     * Replies {@link Reply.Slots}: free slots of a service on a date (Finnish time) for a point, in a
     * language, optionally with a named expert.
     */
    record FindSlots(String ringId, String serviceId, LocalDate date, Language language, String expertId,
            String pointId) implements Command {}

    /** Books a slot for a customer at the advisor's point. Replies {@link Reply.BookingView} once durable. */
    record Book(String advisorId, String ringId, String serviceId, Instant start, Language language, String expertId,
            String note, boolean fromHome, String interpreter) implements Command {
        public Book(String advisorId, String ringId, String serviceId, Instant start, Language language, String expertId,
                String note) {
            this(advisorId, ringId, serviceId, start, language, expertId, note, false, null);
        }

        public Book(String advisorId, String ringId, String serviceId, Instant start, Language language, String expertId,
                String note, boolean fromHome) {
            this(advisorId, ringId, serviceId, start, language, expertId, note, fromHome, null);
        }
    }

    /**
     * The customer of a home booking joins with the link issued for {@code version}: they are in the waiting
     * room and the booked call is routed as when a point starts it. Replies {@link Reply.Queued}.
     */
    record CustomerJoin(long bookingId, int version) implements Command {}

    /** The customer's device check failed ({@code problem}: camera_denied, no_camera, microphone_denied, no_microphone). */
    record ReportDeviceCheck(long bookingId, int version, String problem) implements Command {}

    /** Moves a booking to another free slot of the same day or another. Replies {@link Reply.BookingView}. */
    record Reschedule(Actor actor, long bookingId, Instant newStart, String reason) implements Command {}

    /** Cancelling a cancelled booking again is a no-op. */
    record CancelBooking(Actor actor, long bookingId, String reason) implements Command {}

    /** Replies {@link Reply.BookingView}. */
    record GetBooking(long bookingId) implements Command {}

    /** The point starts the booked call: it is routed with priority. Replies {@link Reply.Queued}. */
    record StartBooking(String advisorId, long bookingId) implements Command {}

    /**
     * Replies {@link Reply.Bookings}: bookings with their slot in [from, to), of a point, an expert (named,
     * or pooled in their rings) or everyone (both null), by start.
     */
    record GetBookings(String pointId, String expertId, Instant from, Instant to) implements Command {}
}
