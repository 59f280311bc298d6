package fi.palvelurinki.broker;

import fi.palvelurinki.broker.booking.BookableService;
import fi.palvelurinki.broker.booking.Booking;
import fi.palvelurinki.broker.booking.Slot;
import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.point.Advisor;
import fi.palvelurinki.broker.point.ServicePoint;
import fi.palvelurinki.broker.ring.RingConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** What a command answers once its effects are durable. */
public sealed interface Reply {

    record Done() implements Reply {
        public static final Done INSTANCE = new Done();
    }

    /**
     * @param position      1 = next to be served
     * @param estimatedWait null when no expert of the ring is signed in
     */
    record Queued(long requestId, String ringId, int position, Duration estimatedWait, Instant queuedAt) implements Reply {}

    record CallConnected(long callId, long requestId, String ringId, String expertId, String expertName,
            String advisorId, String pointId) implements Reply {}

    record RingStatuses(List<RingStatus> rings) implements Reply {}

    record RingList(List<RingSummary> rings) implements Reply {}

    record ExpertStatus(String expertId, String name, Presence presence, Instant since, Long offeredRequestId,
            Long callId, Instant wrapUpUntil, List<String> rings) implements Reply {}

    /**
     * state: WAITING, OFFERED, CONNECTED, COMPLETED, ABANDONED.
     *
     * @param callback null unless the request is a call-back
     */
    record RequestStatus(long requestId, String ringId, String state, Integer position, Duration estimatedWait,
            Long callId, CallbackView callback) implements Reply {}

    /**
     * A call-back's state.
     *
     * @param attempts  times the point has been rung without answering
     * @param retryAt   not offered again before this (null: no retry pending)
     * @param ringUntil the point is being rung until this (null: not ringing)
     */
    record CallbackView(int attempts, int maxAttempts, Instant retryAt, Instant ringUntil, String expertName) {}

    /** The expert accepted a call-back: the point is rung until {@code ringUntil}. */
    record CallingPoint(long requestId, String pointId, String pointName, int attempt, Instant ringUntil) implements Reply {}

    /**
     * A page of an advisor's requests.
     *
     * @param total the advisor's active requests in all
     * @param next  the {@code after} that asks for the next page, or null when this is the last
     */
    record Requests(List<RequestStatus> requests, int total, Long next) implements Reply {}

    record Advisors(List<String> advisorIds) implements Reply {}

    /** {@code joined}: the experts and interpreters who joined the call after its first two parties. */
    record CallInProgress(long callId, long requestId, String advisorId, String expertId, String pointId,
            String ringId, Instant startedAt, List<String> joined) {
        public CallInProgress(long callId, long requestId, String advisorId, String expertId, String pointId,
                String ringId, Instant startedAt) {
            this(callId, requestId, advisorId, expertId, pointId, ringId, startedAt, List.of());
        }
    }

    record CallsInProgress(List<CallInProgress> calls) implements Reply {}

    /** The parties of a call in progress: its point, its expert, then those who joined, in that order. */
    record CallMembers(long callId, List<Notification.CallMember> members) implements Reply {}

    record Directory(List<ServicePoint> points, List<Advisor> advisors, List<ExpertProfile> experts,
            List<RingConfig> rings, List<BookableService> services) implements Reply {}

    record Slots(List<Slot> slots) implements Reply {}

    /**
     * What sign-ins through identity providers left that outlives a restart: sessions ended by signing out
     * (id → when their token would have expired anyway), and the users whose last sign-in made them operators.
     */
    record SignIns(java.util.Map<String, Instant> endedSessions, java.util.Set<String> operators) implements Reply {}

    record BookingView(Booking booking) implements Reply {}

    record Bookings(List<Booking> bookings) implements Reply {}

    /**
     * An {@link Command.AddParty} is being routed: {@code id} is the interpreter need's id ({@code kind}
     * interpreter) or the join request's id ({@code kind} expert), for {@link Command.CancelParty}.
     */
    record PartyRequested(long callId, String kind, long id, int position) implements Reply {}

    /** An interpreter accepted: {@code joined} at once (a call in progress), else held for the expert's answer. */
    record InterpreterAccepted(long needId, boolean joined, Long callId) implements Reply {}
}
