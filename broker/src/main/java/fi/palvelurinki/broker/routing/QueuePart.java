package fi.palvelurinki.broker.routing;

import fi.palvelurinki.broker.AbandonReason;
import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.CallEndReason;
import fi.palvelurinki.broker.CallKind;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.ErrorCode;
import fi.palvelurinki.broker.Notification;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.DomainEvent.CallEnded;
import fi.palvelurinki.broker.journal.DomainEvent.LanguageEscalated;
import fi.palvelurinki.broker.journal.DomainEvent.OfferAccepted;
import fi.palvelurinki.broker.journal.DomainEvent.OfferDeclined;
import fi.palvelurinki.broker.journal.DomainEvent.OfferMade;
import fi.palvelurinki.broker.journal.DomainEvent.OfferTimedOut;
import fi.palvelurinki.broker.journal.DomainEvent.OfferWithdrawn;
import fi.palvelurinki.broker.journal.DomainEvent.PresenceChanged;
import fi.palvelurinki.broker.journal.DomainEvent.RequestAbandoned;
import fi.palvelurinki.broker.journal.DomainEvent.RequestOverflowed;
import fi.palvelurinki.broker.journal.DomainEvent.RequestQueued;
import fi.palvelurinki.broker.point.Advisor;
import fi.palvelurinki.broker.point.ServicePoint;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.OpeningHours;
import fi.palvelurinki.broker.ring.RingConfig;
import fi.palvelurinki.broker.ring.Texts;
import fi.palvelurinki.broker.ring.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Queues and offers: customers' requests from queued to connected or abandoned, each ring's queue in
 * order of service, offers and their timeouts, declines and cooldowns, language escalation and
 * overflow, and each ring's figures for today. The matching itself is {@link Matcher}'s.
 *
 * <p>Owns {@code RequestState} (but {@code callId}), {@code ExpertState.offer} and
 * {@code consecutiveMisses}, and {@code RingState.queue}, {@code ownActive}, the counts of its own
 * waiting and ringing requests and the day's figures.
 */
final class QueuePart implements EnginePart, Lifecycle, Matcher.Offers {
    static final int MAX_TRIAGE_NOTE = 1000;

    private final EngineContext cx;
    private final DirectoryPart directory;
    private final Matcher matcher;
    private final LongMap<RequestState> requests = new LongMap<>();
    private final Map<String, Integer> activePerPoint = new HashMap<>();
    /** Active requests by advisor, oldest first: an advisor's requests without scanning everyone's. */
    private final Map<String, RequestsById> byAdvisor = new HashMap<>();
    /** Ended requests remembered (so that a repeated cancel is a no-op and a status says how it ended) and their end states by slot. */
    private final RecentIds endedRequests;
    private String[] endedStates = new String[0];
    private final TimerQueue.Handler offerTimeout = this::offerTimedOut;
    private final TimerQueue.Handler escalation = this::escalateLanguage;
    private final TimerQueue.Handler overflow = this::overflow;
    private final TimerQueue.Handler cooldownEnd = this::cooldownOver;
    private long nextRequestId = 1;
    private long offers;
    private CallsPart calls;
    private CallbacksPart callbacks;
    private InterpretersPart interpreters;
    private Lifecycle lifecycle;
    private RingChanges changes;

    QueuePart(EngineContext cx, RoutingPolicy policy, DirectoryPart directory) {
        this.cx = cx;
        this.directory = directory;
        this.matcher = new Matcher(cx, policy, directory, this);
        int remember = cx.config.rememberEnded();
        this.endedRequests = new RecentIds(remember);
    }

    void connect(CallsPart calls, CallbacksPart callbacks, InterpretersPart interpreters, Lifecycle lifecycle,
            RingChanges changes, OfferGate gate) {
        this.calls = calls;
        this.callbacks = callbacks;
        this.interpreters = interpreters;
        matcher.interpreters(interpreters::serve);
        this.lifecycle = lifecycle;
        this.changes = changes;
        matcher.gate(gate);
    }

    Routing routing() {
        return matcher;
    }

    @Override
    public void register(Wiring w) {
        w.command(Command.RequestCall.class, this::requestCall);
        w.command(Command.CancelRequest.class, this::cancel);
        w.command(Command.AdvisorGone.class, this::advisorGone);
        w.command(Command.AcceptOffer.class, this::accept);
        w.command(Command.DeclineOffer.class, this::decline);
        w.command(Command.GetRequest.class, c -> requestStatus(c.requestId()));
        w.command(Command.GetAdvisorRequests.class, this::advisorRequests);
        w.command(Command.GetAdvisorsWithRequests.class, c -> new Reply.Advisors(byAdvisor.keySet().stream().sorted().toList()));
        w.event(DomainEvent.Type.REQUEST_QUEUED, RequestQueued.class, this::applyQueued);
        w.event(DomainEvent.Type.OFFER_MADE, OfferMade.class, this::applyOfferMade);
        w.event(DomainEvent.Type.OFFER_ACCEPTED, OfferAccepted.class, this::applyOfferAccepted);
        w.event(DomainEvent.Type.OFFER_DECLINED, OfferDeclined.class, this::applyOfferDeclined);
        w.event(DomainEvent.Type.OFFER_TIMED_OUT, OfferTimedOut.class, this::applyOfferTimedOut);
        w.event(DomainEvent.Type.OFFER_WITHDRAWN, OfferWithdrawn.class, e -> backToQueue(e.requestId(), e.expertId()));
        w.event(DomainEvent.Type.REQUEST_ABANDONED, RequestAbandoned.class, this::applyRequestAbandoned);
        w.event(DomainEvent.Type.LANGUAGE_ESCALATED, LanguageEscalated.class, this::applyLanguageEscalated);
        w.event(DomainEvent.Type.REQUEST_OVERFLOWED, RequestOverflowed.class, this::applyRequestOverflowed);
        w.event(DomainEvent.Type.CALL_ENDED, CallEnded.class, e -> retire(requestOf(e.requestId()), "COMPLETED"));
        w.event(DomainEvent.Type.JOIN_REQUESTED, DomainEvent.JoinRequested.class, e -> {
            RequestState r = requestOf(e.requestId());
            r.joinCallId = e.callId();
            calls.call(e.callId()).joinRequests.add(r);
        });
        // A second authority's expert joined: their request is done; the call it joined goes on.
        w.event(DomainEvent.Type.PARTY_JOINED, DomainEvent.PartyJoined.class, e -> {
            if (e.requestId() != 0) {
                retire(requestOf(e.requestId()), "COMPLETED");
            }
        });
        // The expert has accepted; the point's ring has its own timeout (the call-backs part's).
        w.event(DomainEvent.Type.CALLBACK_POINT_RUNG, DomainEvent.CallbackPointRung.class,
                e -> cx.cancel(requestOf(e.requestId()).offerTimer));
        w.event(DomainEvent.Type.PRESENCE_CHANGED, PresenceChanged.class, e -> {
            if (e.to() == Presence.AVAILABLE && (e.from() == Presence.OFFLINE || e.from() == Presence.AWAY)) {
                directory.expertOf(e.expertId()).consecutiveMisses = 0;
            }
        });
    }

    long decisions() {
        return matcher.decisions;
    }

    long offers() {
        return offers;
    }

    /** For appliers: the active request an event names. */
    RequestState requestOf(long id) {
        RequestState r = requests.get(id);
        if (r == null) {
            throw new IllegalStateException("event refers to request " + id + ", which is not active");
        }
        return r;
    }

    RequestState findRequest(long id) {
        return requests.get(id);
    }

    // ------------------------------------------------------------------ queueing

    /** Refuses a new request when the broker or the point holds its maximum of active requests. */
    void checkCapacity(String pointId) {
        if (requests.size() >= cx.config.maxActiveRequests()) {
            throw new BrokerException(ErrorCode.CAPACITY_EXCEEDED, "the broker holds its maximum of "
                    + cx.config.maxActiveRequests() + " active requests");
        }
        if (activePerPoint.getOrDefault(pointId, 0) >= cx.config.maxActiveRequestsPerPoint()) {
            throw new BrokerException(ErrorCode.CAPACITY_EXCEEDED, "point " + pointId + " already has "
                    + cx.config.maxActiveRequestsPerPoint() + " active requests");
        }
    }

    /** Queues a validated request (emits {@code RequestQueued}) without offering it yet. */
    RequestState queue(CallKind kind, RingState ring, String pointId, String advisorId, String topic, Language language,
            boolean fallbackConsent, String note, int priority) {
        long id = nextRequestId;
        cx.emit(new RequestQueued(cx.now, id, kind, ring.id(), pointId, advisorId, topic, language, fallbackConsent, note,
                priority));
        return requests.get(id);
    }

    private Reply requestCall(Command.RequestCall c) {
        Advisor advisor = directory.advisor(c.advisorId());
        RingState ring = directory.ring(c.ringId());
        if (c.kind() == null) {
            throw BrokerException.invalid("call kind is required");
        }
        if (ring.config.interpreterRing()) {
            throw BrokerException.invalid("ring " + ring.id() + " is an interpreter ring: ask for an interpreter with "
                    + "the call (interpreter) instead of calling the ring");
        }
        if (!ring.config.openingHours().isOpen(cx.now)) {
            Instant next = ring.config.openingHours().nextOpening(cx.now).orElse(null);
            throw new BrokerException(ErrorCode.RING_CLOSED, "ring " + ring.id() + " is closed now"
                    + (next == null ? "" : "; it opens next at " + next.atZone(OpeningHours.ZONE)
                            .toLocalDateTime().toString().replace('T', ' ') + " Finnish time"));
        }
        // A topic the ring lists was checked when the ring was configured; only others need the pattern.
        if (c.topic() == null || !ring.config.topics().contains(c.topic())) {
            Ids.check("topic", c.topic());
        }
        if (!ring.config.servesTopic(c.topic())) {
            throw new BrokerException(ErrorCode.TOPIC_NOT_OFFERED, "ring " + ring.id() + " does not serve topic '"
                    + c.topic() + "'; it serves " + ring.config.topics());
        }
        if (c.language() == null) {
            throw BrokerException.invalid("language is required");
        }
        if (!ring.config.languages().contains(c.language())) {
            throw new BrokerException(ErrorCode.LANGUAGE_NOT_OFFERED, "ring " + ring.id() + " does not serve in "
                    + c.language().code());
        }
        String note = Texts.check("triage note", c.triageNote(), MAX_TRIAGE_NOTE, false);
        if (c.priority() < 0 || c.priority() > 100) {
            throw BrokerException.invalid("priority must be 0-100, got " + c.priority());
        }
        String interpreter = c.interpreter() == null ? null : interpreters.checkInterpreting(c.interpreter(), c.language());
        checkCapacity(advisor.pointId());
        RequestState r = queue(c.kind(), ring, advisor.pointId(), advisor.id(), c.topic(), c.language(),
                c.languageFallbackConsent(), note, c.priority());
        if (interpreter != null) {
            interpreters.needFor(r, interpreter);
        }
        matcher.offerRequest(r);
        return queued(r);
    }

    /** The reply to a request just queued or started: its place, or 0 when it already rings. */
    Reply.Queued queued(RequestState r) {
        int position = 0;
        Duration eta = Duration.ZERO;
        if (r.status == RequestState.Status.WAITING) {
            position = positionOf(r);
            eta = interpreters.estimate(r, WaitEstimator.estimate(position, r.ring.staffed, r.ring.ahtSeconds));
            r.publishedPosition = position;
            r.publishedEtaSeconds = eta == null ? -1 : eta.toSeconds();
            r.publishedAtMillis = cx.now.toEpochMilli();
        }
        return new Reply.Queued(r.id, r.ring.id(), position, eta, r.queuedAt);
    }

    private Reply cancel(Command.CancelRequest c) {
        Advisor advisor = directory.advisor(c.advisorId());
        RequestState r = requests.get(c.requestId());
        if (r == null) {
            if (endedRequests.slotOf(c.requestId()) >= 0) {
                return Reply.Done.INSTANCE;
            }
            throw new BrokerException(ErrorCode.UNKNOWN_REQUEST, "no request " + c.requestId());
        }
        if (!r.pointId.equals(advisor.pointId())) {
            throw new BrokerException(ErrorCode.NOT_A_PARTY, "request " + r.id + " belongs to another service point");
        }
        if (r.status == RequestState.Status.CONNECTED) {
            throw new BrokerException(ErrorCode.ALREADY_CONNECTED, "request " + r.id + " is already connected as call "
                    + r.callId + "; hang up instead");
        }
        abandon(r, AbandonReason.CANCELLED, Notification.RevokeReason.CANCELLED);
        return Reply.Done.INSTANCE;
    }

    /** Shown as the offer's advisor when a home booking's customer waits: no advisor sits with them. */
    static final String HOME_CUSTOMER = "from home";

    private Reply advisorGone(Command.AdvisorGone c) {
        // A home customer is nobody's advisor: their party id stands for them (Booking.customerId).
        String partyId = fi.palvelurinki.broker.booking.Booking.isCustomerId(c.advisorId()) ? c.advisorId()
                : directory.advisor(c.advisorId()).id();
        RequestsById active = byAdvisor.get(partyId);
        List<RequestState> mine = active == null ? new ArrayList<>() : active.toList();
        mine.sort(RequestState.ORDER);
        for (RequestState r : mine) {
            if (r.callback != null && r.status != RequestState.Status.CONNECTED) {
                // The point is rung when it is the call-back's turn, whoever is signed in then.
                continue;
            }
            if (r.status == RequestState.Status.CONNECTED) {
                calls.endCall(calls.call(r.callId), CallEndReason.ADVISOR_DISCONNECTED, false);
            } else {
                abandon(r, AbandonReason.POINT_DISCONNECTED, Notification.RevokeReason.ADVISOR_DISCONNECTED);
            }
        }
        return Reply.Done.INSTANCE;
    }

    /** The call-back's point did not answer often enough; its ring has been withdrawn already. */
    void callbackFailed(RequestState r) {
        abandon(r, AbandonReason.CALLBACK_FAILED, Notification.RevokeReason.POINT_DID_NOT_ANSWER);
    }

    private void abandon(RequestState r, AbandonReason reason, Notification.RevokeReason revoke) {
        ExpertState offeredTo = null;
        if (r.status == RequestState.Status.OFFERED) {
            offeredTo = r.offeredTo;
            cx.emit(new OfferWithdrawn(cx.now, r.id, offeredTo.id, r.offerRing.id(), reason.name().toLowerCase(Locale.ROOT)));
            cx.emit(new PresenceChanged(cx.now, offeredTo.id, Presence.OFFERED, Presence.AVAILABLE, "offer withdrawn"));
            cx.notify(new Notification.OfferRevoked(offeredTo.id, r.id, revoke));
        }
        cx.emit(new RequestAbandoned(cx.now, r.id, r.ring.id(), r.pointId, reason));
        if (reason != AbandonReason.CANCELLED) {
            cx.notify(new Notification.RequestEnded(r.advisorId, r.id, reason));
        }
        lifecycle.requestAbandoned(r, reason);
        if (offeredTo != null) {
            matcher.serveExpert(offeredTo);
        }
    }

    // ------------------------------------------------------------------ offers

    @Override
    public void makeOffer(RequestState r, ExpertState e, RingState via, String reason) {
        Instant expires = cx.now.plus(via.config.offerTimeout());
        cx.emit(new OfferMade(cx.now, r.id, e.id, via.id(), r.pointId, expires, reason));
        cx.emit(new PresenceChanged(cx.now, e.id, Presence.AVAILABLE, Presence.OFFERED, "offer"));
        offers++;
        ServicePoint point = directory.findPoint(r.pointId);
        Advisor advisor = directory.findAdvisor(r.advisorId);
        cx.notify(new Notification.Offer(e.id, r.id, r.ring.id(), r.ring.config.name(), point.id(), point.name(),
                point.municipality(), advisor == null ? HOME_CUSTOMER : advisor.name(), r.topic, r.language, r.triageNote,
                r.kind, expires, r.queuedAt, r.callback != null, "expert", r.need == null ? null : r.need.language,
                r.joinCallId));
        cx.notify(new Notification.Ringing(r.advisorId, r.id, true));
        interpreters.offeredWithExpert(r);
    }

    private Reply accept(Command.AcceptOffer c) {
        ExpertState e = directory.expert(c.expertId());
        if (e.interpreting != null) {
            return interpreters.accept(e, c.requestId());
        }
        RequestState r = offeredTo(e, c.requestId());
        if (r.callback != null) {
            return callbacks.expertAccepted(r, e, r.offerRing);
        }
        if (r.joinCallId != 0) {
            cx.emit(new OfferAccepted(cx.now, r.id, e.id, r.offerRing.id(), r.pointId));
            calls.join(calls.call(r.joinCallId), e, "expert", r.offerRing, null, 0, r.id);
            return Reply.Done.INSTANCE;
        }
        if (r.need != null) {
            return interpreters.expertAccepted(r, e);
        }
        return connect(r, r.advisorId);
    }

    /** The offer ringing for {@code r} is answered: by its expert, or for a call-back by the point. */
    Reply.CallConnected connect(RequestState r, String advisorId) {
        ExpertState e = r.offeredTo;
        RingState via = r.offerRing;
        cx.emit(new OfferAccepted(cx.now, r.id, e.id, via.id(), r.pointId));
        return calls.start(r, e, via, advisorId);
    }

    private Reply decline(Command.DeclineOffer c) {
        ExpertState e = directory.expert(c.expertId());
        if (e.interpreting != null) {
            return interpreters.decline(e, c.requestId());
        }
        RequestState r = offeredTo(e, c.requestId());
        callbacks.checkNotCalling(r);
        Instant until = cx.now.plus(r.offerRing.config.declineCooldown());
        cx.emit(new OfferDeclined(cx.now, r.id, e.id, r.offerRing.id(), until));
        cx.emit(new PresenceChanged(cx.now, e.id, Presence.OFFERED, Presence.AVAILABLE, "declined"));
        cx.notify(new Notification.Ringing(r.advisorId, r.id, false));
        matcher.offerRequest(r);
        interpreters.expertGone(r);
        matcher.serveExpert(e);
        return Reply.Done.INSTANCE;
    }

    private RequestState offeredTo(ExpertState e, long requestId) {
        RequestState r = requests.get(requestId);
        if (r == null || r.status != RequestState.Status.OFFERED || r.offeredTo != e) {
            throw new BrokerException(ErrorCode.NO_SUCH_OFFER, "request " + requestId + " is not ringing at expert "
                    + e.id + (r == null ? " (it has ended)" : " (it timed out, was cancelled or went to someone else)"));
        }
        return r;
    }

    /**
     * Withdraws the offer ringing at {@code e}, who goes to {@code target}.
     *
     * @param reoffer tell the advisor and offer the request again (not at recovery, when nobody is connected)
     */
    void withdrawOffer(ExpertState e, String reason, Presence target, boolean reoffer) {
        if (e.offer == null && e.interpreting != null) {
            interpreters.withdrawOffer(e, reason, target, reoffer);
            return;
        }
        RequestState r = e.offer;
        cx.emit(new OfferWithdrawn(cx.now, r.id, e.id, r.offerRing.id(), reason));
        cx.emit(new PresenceChanged(cx.now, e.id, Presence.OFFERED, target, reason));
        if (reoffer) {
            lifecycle.offerWithdrawn(r);
            cx.notify(new Notification.Ringing(r.advisorId, r.id, false));
            matcher.offerRequest(r);
        }
    }

    // ------------------------------------------------------------------ timers

    private void offerTimedOut(TimerQueue.Timer t) {
        RequestState r = requests.get(t.id());
        if (r == null || r.status != RequestState.Status.OFFERED || r.offerCount != t.token()) {
            return;
        }
        ExpertState e = r.offeredTo;
        RingConfig via = r.offerRing.config;
        int misses = e.consecutiveMisses + 1;
        Instant until = cx.now.plus(via.declineCooldown());
        cx.emit(new OfferTimedOut(cx.now, r.id, e.id, via.id(), misses, until));
        boolean away = misses >= via.maxMissedOffers();
        Presence next = away ? Presence.AWAY : Presence.AVAILABLE;
        String why = away ? "missed " + misses + " offers in a row" : "offer timed out";
        cx.emit(new PresenceChanged(cx.now, e.id, Presence.OFFERED, next, why));
        cx.notify(new Notification.OfferRevoked(e.id, r.id, Notification.RevokeReason.TIMED_OUT));
        if (away) {
            cx.notify(new Notification.PresenceChanged(e.id, Presence.AWAY, why, null));
        }
        cx.notify(new Notification.Ringing(r.advisorId, r.id, false));
        matcher.offerRequest(r);
        interpreters.expertGone(r);
        matcher.serveExpert(e);
    }

    /** The expert held for a joint call waited in vain for an interpreter: released, the request waits again. */
    void releaseHeld(RequestState r, String reason) {
        ExpertState e = r.offeredTo;
        cx.emit(new OfferWithdrawn(cx.now, r.id, e.id, r.offerRing.id(), reason));
        cx.emit(new PresenceChanged(cx.now, e.id, Presence.OFFERED, Presence.AVAILABLE, reason));
        cx.notify(new Notification.OfferRevoked(e.id, r.id, Notification.RevokeReason.PARTNER_MISSING));
        cx.notify(new Notification.Ringing(r.advisorId, r.id, false));
    }

    /** The party asked for (a second authority) is no longer wanted. */
    void cancelJoin(RequestState r) {
        abandon(r, AbandonReason.CANCELLED, Notification.RevokeReason.CANCELLED);
    }

    /** A second authority asked for during a call that has ended: nobody joins it any more. */
    void abandonJoin(RequestState r) {
        abandon(r, AbandonReason.CALL_ENDED, Notification.RevokeReason.CALL_ENDED);
    }

    /**
     * Queues a request for an expert of {@code ring} to join {@code call} (a second authority) and offers it
     * like any request.
     */
    RequestState queueJoin(CallState call, RingState ring, String topic, String note, String by) {
        checkCapacity(call.request.pointId);
        RequestState r = queue(CallKind.INSTANT, ring, call.request.pointId, call.advisorId, topic, call.request.language,
                false, note, call.request.priority);
        cx.emit(new DomainEvent.JoinRequested(cx.now, r.id, call.id, by));
        matcher.offerRequest(r);
        return r;
    }

    private void cooldownOver(TimerQueue.Timer t) {
        RequestState r = requests.get(t.id());
        if (r != null) {
            matcher.offerRequest(r);
        }
    }

    private void escalateLanguage(TimerQueue.Timer t) {
        RequestState r = requests.get(t.id());
        if (r == null || r.status == RequestState.Status.CONNECTED || r.languageEscalated || !r.fallbackConsent) {
            return;
        }
        RingConfig cfg = r.ring.config;
        if (cfg.languageEscalationAfter() == null) {
            return;
        }
        Instant due = r.queuedAt.plus(cfg.languageEscalationAfter());
        if (cx.now.isBefore(due)) {
            r.escalationTimer = cx.schedule(due, escalation, r.id, null, 0);
            return;
        }
        Set<Language> wider = EnumSet.copyOf(r.acceptable);
        wider.addAll(cfg.fallbackLanguages());
        if (wider.equals(r.acceptable)) {
            return;
        }
        cx.emit(new LanguageEscalated(cx.now, r.id, r.ring.id(), wider));
        cx.notify(new Notification.RequestEscalated(r.advisorId, r.id, Set.copyOf(wider), null));
        matcher.offerRequest(r);
    }

    private void overflow(TimerQueue.Timer t) {
        RequestState r = requests.get(t.id());
        if (r == null || r.status == RequestState.Status.CONNECTED || r.overflowed) {
            return;
        }
        RingConfig cfg = r.ring.config;
        if (cfg.overflowRingId() == null || directory.findRing(cfg.overflowRingId()) == null) {
            return;
        }
        Instant due = r.queuedAt.plus(cfg.overflowAfter());
        if (cx.now.isBefore(due)) {
            r.overflowTimer = cx.schedule(due, overflow, r.id, null, 0);
            return;
        }
        cx.emit(new RequestOverflowed(cx.now, r.id, r.ring.id(), cfg.overflowRingId()));
        cx.notify(new Notification.RequestEscalated(r.advisorId, r.id, Set.copyOf(r.acceptable), cfg.overflowRingId()));
        matcher.offerRequest(r);
    }

    /** New escalation settings apply to requests already waiting; the timers re-check on firing. */
    @Override
    public void ringReconfigured(RingState ring) {
        List<RequestState> all = requests.values();
        all.sort(java.util.Comparator.comparingLong((RequestState r) -> r.id));
        for (RequestState r : all) {
            if (r.ring == ring) {
                armEscalationTimers(r);
            }
        }
    }

    private void armEscalationTimers(RequestState r) {
        RingConfig cfg = r.ring.config;
        cx.cancel(r.escalationTimer);
        cx.cancel(r.overflowTimer);
        r.escalationTimer = null;
        r.overflowTimer = null;
        if (r.fallbackConsent && cfg.languageEscalationAfter() != null && !r.languageEscalated) {
            r.escalationTimer = cx.schedule(r.queuedAt.plus(cfg.languageEscalationAfter()), escalation, r.id, null, 0);
        }
        if (cfg.overflowRingId() != null && !r.overflowed) {
            r.overflowTimer = cx.schedule(r.queuedAt.plus(cfg.overflowAfter()), overflow, r.id, null, 0);
        }
    }

    // ------------------------------------------------------------------ queries

    /** Position 1 = next in its ring's queue. */
    int positionOf(RequestState r) {
        return r.ring.queue.positionOf(r);
    }

    private Reply.RequestStatus requestStatus(long id) {
        RequestState r = requests.get(id);
        if (r == null) {
            int slot = endedRequests.slotOf(id);
            if (slot < 0) {
                throw new BrokerException(ErrorCode.UNKNOWN_REQUEST, "no request " + id);
            }
            return new Reply.RequestStatus(id, null, endedStates[slot], null, null, null, null);
        }
        Integer position = null;
        Duration eta = null;
        if (r.status == RequestState.Status.WAITING) {
            position = positionOf(r);
            eta = interpreters.estimate(r, WaitEstimator.estimate(position, r.ring.staffed, r.ring.ahtSeconds));
        }
        return new Reply.RequestStatus(r.id, r.ring.id(), r.stateName(), position, eta,
                r.status == RequestState.Status.CONNECTED ? r.callId : null, callbacks.view(r));
    }

    private Reply advisorRequests(Command.GetAdvisorRequests c) {
        Advisor a = directory.advisor(c.advisorId());
        if (c.after() < 0) {
            throw BrokerException.invalid("after must be a request id or 0, got " + c.after());
        }
        if (c.limit() < 1 || c.limit() > Command.GetAdvisorRequests.MAX_PAGE) {
            throw BrokerException.invalid("a page holds 1-" + Command.GetAdvisorRequests.MAX_PAGE + " requests, not "
                    + c.limit());
        }
        RequestsById mine = byAdvisor.get(a.id());
        if (mine == null) {
            return new Reply.Requests(List.of(), 0, null);
        }
        List<Reply.RequestStatus> out = new ArrayList<>();
        Long next = null;
        for (int i = mine.indexAfter(c.after()); i < mine.size(); i++) {
            if (out.size() == c.limit()) {
                next = out.get(out.size() - 1).requestId();
                break;
            }
            out.add(requestStatus(mine.get(i).id));
        }
        return new Reply.Requests(out, mine.size(), next);
    }

    // ------------------------------------------------------------------ appliers

    private void applyQueued(RequestQueued e) {
        RingState ring = directory.ringOf(e.ringId());
        RequestState r = new RequestState(e.requestId(), e.kind(), ring, e.pointId(), e.advisorId(), e.topic(),
                e.language(), e.languageFallbackConsent(), e.triageNote(), e.priority(), e.at());
        if (requests.putIfAbsent(r.id, r) != null) {
            throw new IllegalStateException("request " + r.id + " queued twice");
        }
        activePerPoint.merge(r.pointId, 1, Integer::sum);
        byAdvisor.computeIfAbsent(r.advisorId, x -> new RequestsById()).add(r);
        nextRequestId = Math.max(nextRequestId, r.id + 1);
        ring.queue.add(r);
        ring.ownActive.add(r);
        ring.ownWaiting++;
        ring.today(e.at()).queuedToday++;
        changes.changed(ring);
        armEscalationTimers(r);
    }

    private void applyOfferMade(OfferMade e) {
        RequestState r = requestOf(e.requestId());
        ExpertState x = directory.expertOf(e.expertId());
        leaveQueues(r);
        r.status = RequestState.Status.OFFERED;
        r.ring.ownWaiting--;
        r.ring.ownRinging++;
        r.offeredTo = x;
        r.offerRing = directory.ringOf(e.ringId());
        r.offerExpiresAt = e.expiresAt();
        r.offerCount++;
        x.offer = r;
        r.offerTimer = cx.schedule(e.expiresAt(), offerTimeout, r.id, null, r.offerCount);
    }

    private void applyOfferAccepted(OfferAccepted e) {
        RequestState r = requestOf(e.requestId());
        ExpertState x = directory.expertOf(e.expertId());
        r.status = RequestState.Status.CONNECTED;
        cx.cancel(r.offerTimer);
        cx.cancel(r.escalationTimer);
        cx.cancel(r.overflowTimer);
        r.ring.ownRinging--;
        r.ring.ownActive.remove(r);
        x.offer = null;
        x.consecutiveMisses = 0;
        RingState home = r.ring.today(e.at());
        home.answeredToday++;
        if (Duration.between(r.queuedAt, e.at()).compareTo(home.config.serviceLevelThreshold()) <= 0) {
            home.answeredWithinToday++;
        }
        changes.statusChanged(home);
    }

    private void applyOfferDeclined(OfferDeclined e) {
        RequestState r = backToQueue(e.requestId(), e.expertId());
        r.coolDown(e.expertId(), e.cooldownUntil());
        cx.schedule(e.cooldownUntil(), cooldownEnd, r.id, null, 0);
    }

    private void applyOfferTimedOut(OfferTimedOut e) {
        RequestState r = backToQueue(e.requestId(), e.expertId());
        directory.expertOf(e.expertId()).consecutiveMisses = e.consecutiveMisses();
        r.coolDown(e.expertId(), e.cooldownUntil());
        cx.schedule(e.cooldownUntil(), cooldownEnd, r.id, null, 0);
    }

    private void applyRequestAbandoned(RequestAbandoned e) {
        RequestState r = requestOf(e.requestId());
        leaveQueues(r);
        if (r.status != RequestState.Status.WAITING) {
            throw new IllegalStateException("request " + r.id + " abandoned while " + r.status);
        }
        r.ring.ownWaiting--;
        r.ring.ownActive.remove(r);
        RingState home = r.ring.today(e.at());
        home.abandonedToday++;
        if (Duration.between(r.queuedAt, e.at()).compareTo(cx.config.shortAbandonGrace()) >= 0) {
            home.abandonedAfterGraceToday++;
        }
        retire(r, "ABANDONED");
    }

    private void applyLanguageEscalated(LanguageEscalated e) {
        RequestState r = requestOf(e.requestId());
        r.acceptable = EnumSet.copyOf(e.languages());
        r.languageEscalated = true;
    }

    private void applyRequestOverflowed(RequestOverflowed e) {
        RequestState r = requestOf(e.requestId());
        RingState to = directory.ringOf(e.toRingId());
        r.overflowed = true;
        if (!r.targets.contains(to)) {
            r.targets.add(to);
            if (r.status == RequestState.Status.WAITING) {
                to.queue.add(r);
                changes.changed(to);
            }
        }
    }

    private RequestState backToQueue(long requestId, String expertId) {
        RequestState r = requestOf(requestId);
        ExpertState x = directory.expertOf(expertId);
        if (r.offeredTo != x) {
            throw new IllegalStateException("request " + requestId + " was not offered to " + expertId);
        }
        x.offer = null;
        cx.cancel(r.offerTimer);
        r.offeredTo = null;
        r.offerRing = null;
        r.offerExpiresAt = null;
        r.expertHeld = false;
        r.status = RequestState.Status.WAITING;
        r.ring.ownRinging--;
        r.ring.ownWaiting++;
        for (RingState ring : r.targets) {
            ring.queue.add(r);
            changes.changed(ring);
        }
        r.publishedPosition = -1;
        return r;
    }

    private void leaveQueues(RequestState r) {
        for (RingState ring : r.targets) {
            if (ring.queue.remove(r)) {
                changes.changed(ring);
            }
        }
    }

    private void retire(RequestState r, String state) {
        requests.remove(r.id);
        cx.cancel(r.offerTimer);
        cx.cancel(r.escalationTimer);
        cx.cancel(r.overflowTimer);
        activePerPoint.computeIfPresent(r.pointId, (k, v) -> v > 1 ? v - 1 : null);
        RequestsById mine = byAdvisor.get(r.advisorId);
        mine.remove(r);
        if (mine.isEmpty()) {
            byAdvisor.remove(r.advisorId);
        }
        int slot = endedRequests.add(r.id);
        if (slot >= endedStates.length) {
            endedStates = Arrays.copyOf(endedStates, endedRequests.slots());
        }
        endedStates[slot] = state;
        if (r.joinCallId != 0) {
            CallState call = calls.call(r.joinCallId);
            if (call != null) {
                call.joinRequests.remove(r);
            }
        }
        changes.statusChanged(r.ring);
    }
}
