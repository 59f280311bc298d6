package fi.palvelurinki.broker.routing;

import fi.palvelurinki.broker.AbandonReason;
import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.CallbackSettings;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.ErrorCode;
import fi.palvelurinki.broker.Notification;
import fi.palvelurinki.broker.Recipient;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.DomainEvent.CallStarted;
import fi.palvelurinki.broker.journal.DomainEvent.CallbackAnswered;
import fi.palvelurinki.broker.journal.DomainEvent.CallbackFailed;
import fi.palvelurinki.broker.journal.DomainEvent.CallbackPointRung;
import fi.palvelurinki.broker.journal.DomainEvent.CallbackRequested;
import fi.palvelurinki.broker.journal.DomainEvent.CallbackRetryScheduled;
import fi.palvelurinki.broker.journal.DomainEvent.CallbackRingUnanswered;
import fi.palvelurinki.broker.journal.DomainEvent.OfferWithdrawn;
import fi.palvelurinki.broker.journal.DomainEvent.RequestAbandoned;
import fi.palvelurinki.broker.point.Advisor;
import fi.palvelurinki.broker.point.ServicePoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Call-backs: a waiting request the advisor turned into a call-back keeps its place in the queue while
 * the point does other work. When it is its turn the expert is offered it first (marked call-back);
 * accepting it rings the point (every advisor there, or only the one who asked) while the expert waits;
 * the first advisor to answer connects the call. Unanswered within the ring timeout, the expert is
 * released at once and the call-back, still in its place, is held back for the retry delay; after the
 * last attempt it fails. Owns {@code RequestState.callback} and the ring and retry timers; its
 * {@link OfferGate} keeps a call-back from experts until its retry is due.
 */
final class CallbacksPart implements EnginePart, Lifecycle, OfferGate {
    private final EngineContext cx;
    private final DirectoryPart directory;
    private final Map<Long, CallbackState> callbacks = new HashMap<>();
    private final TimerQueue.Handler ringTimeout = this::ringTimedOut;
    private final TimerQueue.Handler retryDue = this::retryDue;
    private QueuePart queues;
    private Routing routing;

    CallbacksPart(EngineContext cx, DirectoryPart directory) {
        this.cx = cx;
        this.directory = directory;
    }

    void connect(QueuePart queues) {
        this.queues = queues;
        this.routing = queues.routing();
    }

    private CallbackSettings settings() {
        return cx.config.callbacks();
    }

    @Override
    public void register(Wiring w) {
        w.command(Command.RequestCallback.class, this::requestCallback);
        w.command(Command.AnswerCallback.class, this::answer);
        w.event(DomainEvent.Type.CALLBACK_REQUESTED, CallbackRequested.class, this::applyRequested);
        w.event(DomainEvent.Type.CALLBACK_POINT_RUNG, CallbackPointRung.class, this::applyPointRung);
        w.event(DomainEvent.Type.CALLBACK_ANSWERED, CallbackAnswered.class, e -> stopCalling(callbackOf(e.requestId())));
        w.event(DomainEvent.Type.CALLBACK_RING_UNANSWERED, CallbackRingUnanswered.class, e -> {
            CallbackState cb = callbackOf(e.requestId());
            cb.unanswered = e.attempt();
            stopCalling(cb);
        });
        w.event(DomainEvent.Type.CALLBACK_RETRY_SCHEDULED, CallbackRetryScheduled.class, e -> {
            CallbackState cb = callbackOf(e.requestId());
            cb.retryAt = e.retryAt();
            cx.cancel(cb.retryTimer);
            cb.retryTimer = cx.schedule(e.retryAt(), retryDue, cb.requestId, null, 0);
        });
        w.event(DomainEvent.Type.CALLBACK_FAILED, CallbackFailed.class, e -> { });
        // The ring is over when the expert's offer is withdrawn (they left, the broker restarted).
        w.event(DomainEvent.Type.OFFER_WITHDRAWN, OfferWithdrawn.class, e -> {
            CallbackState cb = callbacks.get(e.requestId());
            if (cb != null) {
                stopCalling(cb);
            }
        });
        w.event(DomainEvent.Type.REQUEST_ABANDONED, RequestAbandoned.class, e -> forget(e.requestId()));
        w.event(DomainEvent.Type.CALL_STARTED, CallStarted.class, e -> forget(e.requestId()));
    }

    // ------------------------------------------------------------------ commands

    private Reply requestCallback(Command.RequestCallback c) {
        Advisor advisor = directory.advisor(c.advisorId());
        RequestState r = queues.findRequest(c.requestId());
        if (r == null) {
            throw new BrokerException(ErrorCode.UNKNOWN_REQUEST, "no active request " + c.requestId());
        }
        if (!r.pointId.equals(advisor.pointId())) {
            throw new BrokerException(ErrorCode.NOT_A_PARTY, "request " + r.id + " belongs to another service point");
        }
        if (r.callback == null) {
            if (r.need != null || r.joinCallId != 0) {
                throw new BrokerException(ErrorCode.ILLEGAL_TRANSITION, "request " + r.id + (r.need != null
                        ? " waits for an expert and an interpreter together" : " brings a party into a call in progress")
                        + "; such a request cannot become a call-back");
            }
            if (r.status != RequestState.Status.WAITING) {
                throw new BrokerException(ErrorCode.ILLEGAL_TRANSITION, "request " + r.id + " is "
                        + (r.status == RequestState.Status.OFFERED ? "ringing at an expert" : "connected")
                        + "; only a waiting request can become a call-back");
            }
            cx.emit(new CallbackRequested(cx.now, r.id, r.advisorId, r.pointId, settings().ringAllAdvisors()));
        }
        return queues.queued(r);
    }

    /** The expert accepted a call-back: ring the point while the expert waits. */
    Reply expertAccepted(RequestState r, ExpertState e, RingState via) {
        CallbackState cb = r.callback;
        if (cb.calling()) {
            throw new BrokerException(ErrorCode.NO_SUCH_OFFER, "request " + r.id + " is already calling its point");
        }
        int attempt = cb.unanswered + 1;
        Instant until = cx.now.plus(settings().ringTimeout());
        cx.emit(new CallbackPointRung(cx.now, r.id, e.id, via.id(), r.pointId, attempt, until));
        cb.told = true;
        for (String a : advisorsToRing(r)) {
            cx.notify(new Notification.CallbackRinging(Recipient.advisor(a), r.id, r.advisorId, r.ring.id(),
                    r.ring.config.name(), r.topic, r.triageNote, e.id, e.profile.name(), attempt, until));
        }
        ServicePoint point = directory.findPoint(r.pointId);
        return new Reply.CallingPoint(r.id, point.id(), point.name(), attempt, until);
    }

    /** Declining is not possible once the point rings: the ring ends by itself at its timeout. */
    void checkNotCalling(RequestState r) {
        if (r.callback != null && r.callback.calling()) {
            throw new BrokerException(ErrorCode.ILLEGAL_TRANSITION, "the point of request " + r.id
                    + " is being rung; it ends when an advisor answers or the ring times out");
        }
    }

    private Reply answer(Command.AnswerCallback c) {
        Advisor advisor = directory.advisor(c.advisorId());
        RequestState r = queues.findRequest(c.requestId());
        CallbackState cb = r == null ? null : r.callback;
        if (cb == null || !cb.calling()) {
            throw new BrokerException(ErrorCode.NO_SUCH_OFFER, "call-back " + c.requestId()
                    + " is not ringing (it was answered, timed out or cancelled)");
        }
        if (!r.pointId.equals(advisor.pointId()) || (!cb.ringAllAdvisors && !advisor.id().equals(r.advisorId))) {
            throw new BrokerException(ErrorCode.NOT_A_PARTY, "call-back " + r.id + " is not ringing at " + advisor.id());
        }
        long rang = Duration.between(cb.ringingSince, cx.now).toMillis();
        cx.emit(new CallbackAnswered(cx.now, r.id, cb.callingExpert.id, advisor.id(), cb.attempt, rang));
        tellRingEnded(r, "answered");
        return queues.connect(r, advisor.id());
    }

    // ------------------------------------------------------------------ timers

    private void ringTimedOut(TimerQueue.Timer t) {
        RequestState r = queues.findRequest(t.id());
        CallbackState cb = r == null ? null : r.callback;
        if (cb == null || !cb.calling() || cb.attempt != t.token()) {
            return;
        }
        ExpertState e = cb.callingExpert;
        int attempt = cb.attempt;
        cx.emit(new CallbackRingUnanswered(cx.now, r.id, e.id, cb.callingVia.id(), attempt,
                Duration.between(cb.ringingSince, cx.now).toMillis()));
        queues.withdrawOffer(e, "point did not answer", Presence.AVAILABLE, false);
        cx.notify(new Notification.OfferRevoked(e.id, r.id, Notification.RevokeReason.POINT_DID_NOT_ANSWER));
        tellRingEnded(r, "unanswered");
        int max = settings().maxAttempts();
        if (attempt >= max) {
            cx.emit(new CallbackFailed(cx.now, r.id, attempt));
            queues.callbackFailed(r);
        } else {
            Instant retry = cx.now.plus(settings().retryDelay());
            cx.emit(new CallbackRetryScheduled(cx.now, r.id, attempt + 1, retry));
            cx.notify(new Notification.Ringing(r.advisorId, r.id, false));
            cx.notify(new Notification.CallbackRetry(r.advisorId, r.id, attempt, max, retry));
        }
        routing.serveExpert(e);
    }

    private void retryDue(TimerQueue.Timer t) {
        CallbackState cb = callbacks.get(t.id());
        if (cb == null || cb.retryAt == null || cx.now.isBefore(cb.retryAt)) {
            return;
        }
        RequestState r = queues.findRequest(cb.requestId);
        if (r != null) {
            routing.offerRequest(r);
        }
    }

    // ------------------------------------------------------------------ the gate and lifecycle

    @Override
    public boolean admits(ExpertState e, RequestState r) {
        CallbackState cb = r.callback;
        return cb == null || cb.retryAt == null || !cx.now.isBefore(cb.retryAt);
    }

    @Override
    public boolean exempt(RequestState r) {
        return false;
    }

    @Override
    public boolean closes(RingState ring, ExpertState plus) {
        return false;
    }

    /** The expert left while the point was rung: the ring stops, the call-back waits in its place again. */
    @Override
    public void offerWithdrawn(RequestState r) {
        if (r.callback != null && r.callback.told) {
            tellRingEnded(r, "withdrawn");
        }
    }

    /** A cancelled call-back stops ringing at the point at once. */
    @Override
    public void requestAbandoned(RequestState r, AbandonReason reason) {
        if (r.callback != null && r.callback.told) {
            tellRingEnded(r, "cancelled");
        }
    }

    // ------------------------------------------------------------------ views

    Reply.CallbackView view(RequestState r) {
        CallbackState cb = r.callback;
        if (cb == null) {
            return null;
        }
        return new Reply.CallbackView(cb.unanswered, settings().maxAttempts(),
                cb.retryAt != null && cx.now.isBefore(cb.retryAt) ? cb.retryAt : null,
                cb.calling() ? cb.ringUntil : null, cb.calling() ? cb.callingExpert.profile.name() : null);
    }

    private List<String> advisorsToRing(RequestState r) {
        if (!r.callback.ringAllAdvisors) {
            return List.of(r.advisorId);
        }
        List<String> out = new ArrayList<>();
        for (Advisor a : directory.advisors()) {
            if (a.pointId().equals(r.pointId)) {
                out.add(a.id());
            }
        }
        out.sort(null);
        return out;
    }

    private void tellRingEnded(RequestState r, String outcome) {
        if (!r.callback.told) {
            return;
        }
        r.callback.told = false;
        for (String a : advisorsToRing(r)) {
            cx.notify(new Notification.CallbackRingEnded(Recipient.advisor(a), r.id, outcome));
        }
    }

    // ------------------------------------------------------------------ appliers

    private void applyRequested(CallbackRequested e) {
        RequestState r = queues.requestOf(e.requestId());
        CallbackState cb = new CallbackState(r.id, e.ringAllAdvisors());
        callbacks.put(r.id, cb);
        r.callback = cb;
    }

    private void applyPointRung(CallbackPointRung e) {
        CallbackState cb = callbackOf(e.requestId());
        cb.callingExpert = directory.expertOf(e.expertId());
        cb.callingVia = directory.ringOf(e.ringId());
        cb.ringingSince = e.at();
        cb.ringUntil = e.ringUntil();
        cb.attempt = e.attempt();
        cb.retryAt = null;
        cb.ringTimer = cx.schedule(e.ringUntil(), ringTimeout, cb.requestId, null, e.attempt());
    }

    private void stopCalling(CallbackState cb) {
        cx.cancel(cb.ringTimer);
        cb.ringTimer = null;
        cb.callingExpert = null;
        cb.callingVia = null;
        cb.ringingSince = null;
        cb.ringUntil = null;
    }

    private void forget(long requestId) {
        CallbackState cb = callbacks.remove(requestId);
        if (cb != null) {
            cx.cancel(cb.ringTimer);
            cx.cancel(cb.retryTimer);
        }
    }

    private CallbackState callbackOf(long requestId) {
        CallbackState cb = callbacks.get(requestId);
        if (cb == null) {
            throw new IllegalStateException("event refers to call-back " + requestId + ", which is not active");
        }
        return cb;
    }
}
