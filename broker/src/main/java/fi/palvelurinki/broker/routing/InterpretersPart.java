package fi.palvelurinki.broker.routing;

import fi.palvelurinki.broker.AbandonReason;
import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.ErrorCode;
import fi.palvelurinki.broker.Notification;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.DomainEvent.InterpreterAnswered;
import fi.palvelurinki.broker.journal.DomainEvent.InterpreterNeedEnded;
import fi.palvelurinki.broker.journal.DomainEvent.InterpreterNeeded;
import fi.palvelurinki.broker.journal.DomainEvent.InterpreterOffered;
import fi.palvelurinki.broker.journal.DomainEvent.InterpreterOutcome;
import fi.palvelurinki.broker.journal.DomainEvent.OfferHeld;
import fi.palvelurinki.broker.journal.DomainEvent.PresenceChanged;
import fi.palvelurinki.broker.point.Advisor;
import fi.palvelurinki.broker.point.ServicePoint;
import fi.palvelurinki.broker.ring.Interpreting;
import fi.palvelurinki.broker.ring.Language;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Interpreters: their needs (before a call, routed jointly with the expert; during a call, alone), offers to
 * the members of interpreter rings, the joint decision's holds, and an interpreter's joining the call.
 *
 * <p>The joint decision (docs/routing.md, "Interpreters"): a request with a need is offered only when an
 * eligible expert and an eligible interpreter are both available — the {@link OfferGate} keeps experts from
 * it otherwise — and then to both at once. The call starts when both have accepted. Whoever accepts first
 * is held (still OFFERED, not in a call). When the other declines or does not answer, a replacement of the
 * missing kind is offered at once if one is free, and the held party waits at most
 * {@code BrokerConfig.jointHold}; then they are released and the request waits for both again.
 *
 * <p>Owns {@code InterpreterNeed}, {@code ExpertState.interpreting} and {@code RequestState.need} and
 * {@code expertHeld}.
 */
final class InterpretersPart implements EnginePart, Lifecycle, OfferGate {
    private final EngineContext cx;
    private final DirectoryPart directory;
    private final Map<Long, InterpreterNeed> needs = new HashMap<>();
    /** Needs no interpreter is ringing for or holding, in order of service. */
    private final TreeSet<InterpreterNeed> waiting = new TreeSet<>(InterpreterNeed.ORDER);
    private final TimerQueue.Handler offerTimeout = this::offerTimedOut;
    private final TimerQueue.Handler holdOver = this::holdOver;
    private final TimerQueue.Handler cooldownEnd = this::cooldownOver;
    private long nextNeedId = 1;
    private QueuePart queues;
    private CallsPart calls;
    private Routing routing;
    private java.util.function.ToIntFunction<String> bookedHeld = language -> 0;

    InterpretersPart(EngineContext cx, DirectoryPart directory) {
        this.cx = cx;
        this.directory = directory;
    }

    void connect(QueuePart queues, CallsPart calls, java.util.function.ToIntFunction<String> bookedHeld) {
        this.queues = queues;
        this.calls = calls;
        this.routing = queues.routing();
        this.bookedHeld = bookedHeld;
    }

    /** How many interpreters interpret {@code language} for customers served in {@code service}. */
    int interpretersFor(String language, Language service) {
        java.util.Set<ExpertState> who = new java.util.HashSet<>();
        for (RingState ring : directory.rings()) {
            if (ring.config.interpreting().contains(language) && ring.config.languages().contains(service)) {
                for (ExpertState x : ring.members) {
                    if (x.profile.interprets(language) && x.profile.languages().contains(service)) {
                        who.add(x);
                    }
                }
            }
        }
        return who.size();
    }

    /** Bookings' holds on interpreters lapsed: the available ones look at the needs again. */
    void redispatch() {
        for (RingState ring : directory.rings()) {
            if (ring.config.interpreterRing()) {
                for (ExpertState x : new ArrayList<>(ring.available)) {
                    routing.serveExpert(x);
                }
            }
        }
    }

    @Override
    public void register(Wiring w) {
        w.event(DomainEvent.Type.INTERPRETER_NEEDED, InterpreterNeeded.class, this::applyNeeded);
        w.event(DomainEvent.Type.INTERPRETER_OFFERED, InterpreterOffered.class, this::applyOffered);
        w.event(DomainEvent.Type.INTERPRETER_ANSWERED, InterpreterAnswered.class, this::applyAnswered);
        w.event(DomainEvent.Type.OFFER_HELD, OfferHeld.class, e -> {
            RequestState r = queues.requestOf(e.requestId());
            r.expertHeld = true;
            cx.cancel(r.offerTimer);
        });
        w.event(DomainEvent.Type.INTERPRETER_NEED_ENDED, InterpreterNeedEnded.class, e -> forget(needOf(e.needId())));
        w.event(DomainEvent.Type.PARTY_JOINED, DomainEvent.PartyJoined.class, e -> {
            if (e.needId() != 0) {
                InterpreterNeed n = needOf(e.needId());
                cx.cancel(n.offerTimer);
                n.interpreter.interpreting = null;
                forget(n);
            }
        });
    }

    private InterpreterNeed needOf(long id) {
        InterpreterNeed n = needs.get(id);
        if (n == null) {
            throw new IllegalStateException("event refers to interpreter need " + id + ", which is not open");
        }
        return n;
    }

    // ------------------------------------------------------------------ asking for an interpreter

    /** Checks that some interpreter ring interprets {@code language} for customers served in {@code service}. */
    String checkInterpreting(String language, Language service) {
        String code = Interpreting.check(language);
        for (RingState ring : directory.rings()) {
            if (ring.config.interpreting().contains(code) && ring.config.languages().contains(service)) {
                return code;
            }
        }
        throw new BrokerException(ErrorCode.LANGUAGE_NOT_OFFERED, "no interpreter ring interprets " + service.code() + "–"
                + code);
    }

    /** The need of request {@code r}, just queued: routed with it from now on. */
    void needFor(RequestState r, String language) {
        cx.emit(new InterpreterNeeded(cx.now, nextNeedId, r.id, 0, language, r.language, r.pointId, r.advisorId,
                r.priority));
    }

    /** An interpreter for call {@code call}, asked for by {@code by} (a party key): offered alone, at once if one is free. */
    InterpreterNeed needDuring(CallState call, String language, String by) {
        long id = nextNeedId;
        cx.emit(new InterpreterNeeded(cx.now, id, 0, call.id, language, call.request.language, call.request.pointId, by,
                call.request.priority));
        InterpreterNeed n = needs.get(id);
        ExpertState x = candidate(n);
        if (x != null) {
            offer(n, x);
        }
        return n;
    }

    /** Needs still open for {@code call} (waiting, ringing or held). */
    List<InterpreterNeed> openFor(CallState call) {
        List<InterpreterNeed> out = new ArrayList<>(2);
        for (InterpreterNeed n : needs.values()) {
            if (n.call == call) {
                out.add(n);
            }
        }
        out.sort(InterpreterNeed.ORDER);
        return out;
    }

    InterpreterNeed findNeed(long id) {
        return needs.get(id);
    }

    /** Position 1 = the next need an interpreter of its language is offered. */
    int positionOf(InterpreterNeed n) {
        int p = 1;
        for (InterpreterNeed o : waiting) {
            if (o == n) {
                return p;
            }
            if (o.language.equals(n.language)) {
                p++;
            }
        }
        return 0;
    }

    /**
     * The wait of a request that needs an interpreter is the longer of the expert's and the interpreter's:
     * each estimated from its own pool's staffing and handle time (the scarcer resource decides).
     */
    Duration estimate(RequestState r, Duration expertWait) {
        if (r.need == null || r.need.state != InterpreterNeed.State.WAITING || expertWait == null) {
            return expertWait;
        }
        int staffed = 0;
        double aht = 0;
        for (RingState ring : directory.rings()) {
            if (ring.config.interpreting().contains(r.need.language)) {
                staffed += ring.staffed;
                aht = Math.max(aht, ring.ahtSeconds);
            }
        }
        Duration interp = WaitEstimator.estimate(positionOf(r.need), staffed, aht);
        return interp == null ? null : interp.compareTo(expertWait) > 0 ? interp : expertWait;
    }

    // ------------------------------------------------------------------ matching

    /** The joint decision's rule: an expert may be offered such a request only with an interpreter. */
    @Override
    public boolean admits(ExpertState e, RequestState r) {
        return r.need == null || r.need.state != InterpreterNeed.State.WAITING || candidate(r.need) != null;
    }

    @Override
    public boolean exempt(RequestState r) {
        return false;
    }

    @Override
    public boolean closes(RingState ring, ExpertState plus) {
        return false;
    }

    /**
     * The eligible available interpreter idle longest, or null. Interpreters booked with slots due now are
     * kept for them (docs/routing.md): a need not from a booking gets one only while more are free.
     */
    private ExpertState candidate(InterpreterNeed n) {
        ExpertState best = longestIdle(n);
        if (best == null || n.request != null && n.request.kind == fi.palvelurinki.broker.CallKind.BOOKED) {
            return best;
        }
        int held = bookedHeld.applyAsInt(n.language);
        return held == 0 || freeFor(n) > held ? best : null;
    }

    private int freeFor(InterpreterNeed n) {
        java.util.Set<ExpertState> free = new java.util.HashSet<>();
        for (RingState ring : directory.rings()) {
            if (ring.config.interpreting().contains(n.language) && ring.config.languages().contains(n.serviceLanguage)
                    && ring.config.openingHours().isOpen(cx.now)) {
                for (ExpertState x : ring.available) {
                    if (eligible(x, n)) {
                        free.add(x);
                    }
                }
            }
        }
        return free.size();
    }

    private ExpertState longestIdle(InterpreterNeed n) {
        ExpertState best = null;
        for (RingState ring : directory.rings()) {
            if (!ring.config.interpreting().contains(n.language) || !ring.config.languages().contains(n.serviceLanguage)
                    || !ring.config.openingHours().isOpen(cx.now)) {
                continue;
            }
            for (ExpertState x : ring.available) {
                if (best != null && ExpertState.IDLE_ORDER.compare(x, best) >= 0) {
                    break;
                }
                if (eligible(x, n)) {
                    best = x;
                    break;
                }
            }
        }
        return best;
    }

    private boolean eligible(ExpertState x, InterpreterNeed n) {
        return x.presence == Presence.AVAILABLE && x.interpreting == null && x.offer == null
                && x.profile.interprets(n.language) && x.profile.languages().contains(n.serviceLanguage)
                && !n.coolingDown(x.id, cx.now);
    }

    private RingState ringFor(ExpertState x, InterpreterNeed n) {
        for (RingState ring : x.rings) {
            if (ring.config.interpreting().contains(n.language) && ring.config.languages().contains(n.serviceLanguage)) {
                return ring;
            }
        }
        throw new IllegalStateException("interpreter " + x.id + " is in no ring interpreting " + n.language);
    }

    /**
     * An interpreter became available: the first need in order of service they can take. A need whose
     * request waits for an expert too is offered only jointly, through the request's routing.
     */
    void serve(ExpertState x) {
        for (InterpreterNeed n : new ArrayList<>(waiting)) {
            if (x.presence != Presence.AVAILABLE || x.interpreting != null) {
                return;
            }
            if (n.state != InterpreterNeed.State.WAITING || !eligible(x, n) || !openFor(x, n)) {
                continue;
            }
            if (n.request != null && n.request.status == RequestState.Status.WAITING) {
                routing.offerRequest(n.request);
            } else {
                offer(n, x);
            }
        }
    }

    private boolean openFor(ExpertState x, InterpreterNeed n) {
        return ringFor(x, n).config.openingHours().isOpen(cx.now);
    }

    /** The request's expert has just been offered it: its interpreter is offered at the same moment. */
    void offeredWithExpert(RequestState r) {
        InterpreterNeed n = r.need;
        if (n == null || n.state != InterpreterNeed.State.WAITING) {
            return;
        }
        ExpertState x = candidate(n);
        if (x == null) {
            throw new IllegalStateException("request " + r.id + " was offered without an interpreter for " + n.language);
        }
        offer(n, x);
    }

    private void offer(InterpreterNeed n, ExpertState x) {
        RingState ring = ringFor(x, n);
        Instant expires = cx.now.plus(ring.config.offerTimeout());
        cx.emit(new InterpreterOffered(cx.now, n.id, x.id, ring.id(), n.language, expires));
        cx.emit(new PresenceChanged(cx.now, x.id, Presence.AVAILABLE, Presence.OFFERED, "interpreter offer"));
        ServicePoint point = directory.findPoint(n.pointId);
        RequestState r = n.request != null ? n.request : n.call.request;
        Advisor advisor = directory.findAdvisor(r.advisorId);
        cx.notify(new Notification.Offer(x.id, n.id, ring.id(), ring.config.name(), point.id(), point.name(),
                point.municipality(), advisor == null ? QueuePart.HOME_CUSTOMER : advisor.name(), r.topic, n.serviceLanguage,
                r.triageNote, r.kind, expires, n.neededAt, false, "interpreter", n.language, n.callId()));
    }

    // ------------------------------------------------------------------ answers

    /** The expert accepted request {@code r}, which needs an interpreter. */
    Reply expertAccepted(RequestState r, ExpertState e) {
        InterpreterNeed n = r.need;
        if (n.state == InterpreterNeed.State.ACCEPTED) {
            cx.cancel(n.holdTimer);
            n.holdTimer = null;
            Reply.CallConnected reply = queues.connect(r, r.advisorId);
            join(n, calls.call(reply.callId()));
            return reply;
        }
        if (r.expertHeld) {
            throw new BrokerException(ErrorCode.ILLEGAL_TRANSITION, "request " + r.id
                    + " is already accepted; it connects when the interpreter accepts");
        }
        cx.emit(new OfferHeld(cx.now, r.id, e.id, r.offerRing.id()));
        cx.notify(new Notification.OfferHeld(e.id, r.id, "interpreter"));
        if (n.state == InterpreterNeed.State.WAITING) {
            replace(n);
        }
        return Reply.Done.INSTANCE;
    }

    Reply accept(ExpertState x, long needId) {
        InterpreterNeed n = ringingAt(x, needId);
        cx.emit(new InterpreterAnswered(cx.now, n.id, x.id, n.ring.id(), InterpreterOutcome.ACCEPTED, null));
        if (n.call != null) {
            join(n, n.call);
            return new Reply.InterpreterAccepted(n.id, true, n.call.id);
        }
        RequestState r = n.request;
        if (r.expertHeld) {
            cx.cancel(n.holdTimer);
            n.holdTimer = null;
            Reply.CallConnected call = queues.connect(r, r.advisorId);
            join(n, calls.call(call.callId()));
            return new Reply.InterpreterAccepted(n.id, true, call.callId());
        }
        cx.notify(new Notification.OfferHeld(x.id, n.id, "expert"));
        if (r.status == RequestState.Status.WAITING) {
            // No expert rings for it now (the one offered with this interpreter declined meanwhile).
            routing.offerRequest(r);
            if (r.status == RequestState.Status.WAITING) {
                hold(n);
            }
        }
        return new Reply.InterpreterAccepted(n.id, false, null);
    }

    Reply decline(ExpertState x, long needId) {
        InterpreterNeed n = ringingAt(x, needId);
        Instant until = cx.now.plus(n.ring.config.declineCooldown());
        cx.emit(new InterpreterAnswered(cx.now, n.id, x.id, n.ring.id(), InterpreterOutcome.DECLINED, until));
        cx.emit(new PresenceChanged(cx.now, x.id, Presence.OFFERED, Presence.AVAILABLE, "declined"));
        interpreterGone(n);
        routing.serveExpert(x);
        return Reply.Done.INSTANCE;
    }

    private InterpreterNeed ringingAt(ExpertState x, long needId) {
        InterpreterNeed n = x.interpreting;
        if (n == null || n.id != needId || n.state != InterpreterNeed.State.RINGING) {
            throw new BrokerException(ErrorCode.NO_SUCH_OFFER, "interpreting " + needId + " is not ringing at " + x.id
                    + (n != null && n.id == needId ? " (already accepted)" : " (it timed out, was cancelled or went to someone else)"));
        }
        return n;
    }

    private void offerTimedOut(TimerQueue.Timer t) {
        InterpreterNeed n = needs.get(t.id());
        if (n == null || n.state != InterpreterNeed.State.RINGING || n.offerCount != t.token()) {
            return;
        }
        ExpertState x = n.interpreter;
        int misses = x.consecutiveMisses + 1;
        Instant until = cx.now.plus(n.ring.config.declineCooldown());
        boolean away = misses >= n.ring.config.maxMissedOffers();
        cx.emit(new InterpreterAnswered(cx.now, n.id, x.id, n.ring.id(), InterpreterOutcome.TIMED_OUT, until));
        String why = away ? "missed " + misses + " offers in a row" : "offer timed out";
        cx.emit(new PresenceChanged(cx.now, x.id, Presence.OFFERED, away ? Presence.AWAY : Presence.AVAILABLE, why));
        cx.notify(new Notification.OfferRevoked(x.id, n.id, Notification.RevokeReason.TIMED_OUT));
        if (away) {
            cx.notify(new Notification.PresenceChanged(x.id, Presence.AWAY, why, null));
        }
        interpreterGone(n);
        routing.serveExpert(x);
    }

    /** The need's interpreter declined, did not answer or left: find another, holding the expert who accepted. */
    private void interpreterGone(InterpreterNeed n) {
        if (n.call != null) {
            ExpertState x = candidate(n);
            if (x != null) {
                offer(n, x);
            }
            return;
        }
        RequestState r = n.request;
        if (r.status == RequestState.Status.WAITING) {
            // Neither is engaged now: the joint decision is taken again when both are free.
            routing.offerRequest(r);
            return;
        }
        replace(n);
    }

    /** The request's expert rings or waits: offer a replacement interpreter now if one is free, and bound the wait. */
    private void replace(InterpreterNeed n) {
        ExpertState x = candidate(n);
        if (x != null) {
            offer(n, x);
        }
        if (n.request.expertHeld) {
            hold(n);
        }
    }

    private void hold(InterpreterNeed n) {
        if (n.holdTimer == null) {
            n.holdTimer = cx.schedule(cx.now.plus(cx.config.jointHold()), holdOver, n.id, null, 0);
        }
    }

    /**
     * The expert's offer of request {@code r} ended without a call (declined, timed out, withdrawn): if the
     * interpreter had accepted, they are held while another expert is sought.
     */
    void expertGone(RequestState r) {
        InterpreterNeed n = r.need;
        if (n != null && n.state == InterpreterNeed.State.ACCEPTED && r.status == RequestState.Status.WAITING) {
            hold(n);
        }
    }

    private void holdOver(TimerQueue.Timer t) {
        InterpreterNeed n = needs.get(t.id());
        if (n == null || n.holdTimer != t) {
            return;
        }
        n.holdTimer = null;
        RequestState r = n.request;
        if (r.expertHeld && n.state != InterpreterNeed.State.ACCEPTED) {
            // The expert waited for an interpreter in vain: both go, the request waits for both again.
            if (n.state == InterpreterNeed.State.RINGING) {
                // Cooled down like a non-answerer: the same pair is not offered again at once.
                withdraw(n, InterpreterOutcome.WITHDRAWN, Presence.AVAILABLE, "joint offer withdrawn",
                        Notification.RevokeReason.PARTNER_MISSING, cx.now.plus(n.ring.config.declineCooldown()));
            }
            ExpertState e = r.offeredTo;
            queues.releaseHeld(r, "no interpreter accepted");
            routing.serveExpert(e);
            if (n.interpreter == null) {
                routing.offerRequest(r);
            }
        } else if (n.state == InterpreterNeed.State.ACCEPTED) {
            if (r.status == RequestState.Status.OFFERED) {
                // An expert rings for it now: the interpreter waits for that answer, no longer.
                n.holdTimer = cx.schedule(r.offerExpiresAt.plusMillis(1), holdOver, n.id, null, 0);
                return;
            }
            ExpertState x = n.interpreter;
            withdraw(n, InterpreterOutcome.RELEASED, Presence.AVAILABLE, "no expert accepted",
                    Notification.RevokeReason.PARTNER_MISSING);
            routing.serveExpert(x);
        }
    }

    private void cooldownOver(TimerQueue.Timer t) {
        InterpreterNeed n = needs.get(t.id());
        if (n == null || n.state != InterpreterNeed.State.WAITING) {
            return;
        }
        if (n.request != null && n.request.status == RequestState.Status.WAITING) {
            routing.offerRequest(n.request);
        } else {
            ExpertState x = candidate(n);
            if (x != null) {
                offer(n, x);
            }
        }
    }

    /** Ends the interpreter's part in {@code n} (ringing or held) before a call: they go to {@code to}. */
    private void withdraw(InterpreterNeed n, InterpreterOutcome outcome, Presence to, String why,
            Notification.RevokeReason revoke) {
        withdraw(n, outcome, to, why, revoke, null);
    }

    /** @param cooldownUntil the interpreter is not offered {@code n} again before this, or null */
    private void withdraw(InterpreterNeed n, InterpreterOutcome outcome, Presence to, String why,
            Notification.RevokeReason revoke, Instant cooldownUntil) {
        ExpertState x = n.interpreter;
        cx.emit(new InterpreterAnswered(cx.now, n.id, x.id, n.ring.id(), outcome, cooldownUntil));
        cx.emit(new PresenceChanged(cx.now, x.id, Presence.OFFERED, to, why));
        if (revoke != null) {
            cx.notify(new Notification.OfferRevoked(x.id, n.id, revoke));
        }
    }

    /**
     * Interpreter {@code x}, ringing or held, leaves or is made to (restart, sign-out).
     *
     * @param reoffer look for another interpreter (not at recovery, when nobody is connected)
     */
    void withdrawOffer(ExpertState x, String reason, Presence target, boolean reoffer) {
        InterpreterNeed n = x.interpreting;
        withdraw(n, InterpreterOutcome.WITHDRAWN, target, reason, null);
        if (reoffer) {
            interpreterGone(n);
        }
    }

    // ------------------------------------------------------------------ joining and ending

    private void join(InterpreterNeed n, CallState call) {
        ExpertState x = n.interpreter;
        calls.join(call, x, "interpreter", n.ring, n.language, n.id, 0);
    }

    /** Ends a need before it is met, telling its interpreter; {@code reason} is journaled. */
    void end(InterpreterNeed n, String reason, Notification.RevokeReason revoke) {
        ExpertState x = n.interpreter;
        if (x != null) {
            withdraw(n, InterpreterOutcome.WITHDRAWN, Presence.AVAILABLE, reason, revoke);
        }
        cx.emit(new InterpreterNeedEnded(cx.now, n.id, reason));
        if (x != null) {
            routing.serveExpert(x);
        }
    }

    @Override
    public void requestAbandoned(RequestState r, AbandonReason reason) {
        if (r.need != null) {
            end(r.need, "request_ended", Notification.RevokeReason.CANCELLED);
        }
    }

    @Override
    public void callEnded(CallState call) {
        for (InterpreterNeed n : openFor(call)) {
            end(n, "call_ended", Notification.RevokeReason.CALL_ENDED);
        }
    }

    @Override
    public void offerWithdrawn(RequestState r) {
        expertGone(r);
    }

    @Override
    public void recover() {
        // Offers were withdrawn by presence's recovery (nobody is connected); the needs wait again, in order.
        for (InterpreterNeed n : needs.values()) {
            cx.cancel(n.holdTimer);
            n.holdTimer = null;
        }
    }

    // ------------------------------------------------------------------ appliers

    private void applyNeeded(InterpreterNeeded e) {
        RequestState r = e.requestId() == 0 ? null : queues.requestOf(e.requestId());
        CallState call = e.callId() == 0 ? null : calls.call(e.callId());
        if (r == null && call == null) {
            throw new IllegalStateException("interpreter need " + e.needId() + " names neither a request nor a call");
        }
        InterpreterNeed n = new InterpreterNeed(e.needId(), e.language(), e.serviceLanguage(), e.pointId(),
                e.requestedBy(), e.priority(), e.at(), r, call);
        needs.put(n.id, n);
        waiting.add(n);
        nextNeedId = Math.max(nextNeedId, n.id + 1);
        if (r != null) {
            r.need = n;
        }
    }

    private void applyOffered(InterpreterOffered e) {
        InterpreterNeed n = needOf(e.needId());
        ExpertState x = directory.expertOf(e.interpreterId());
        waiting.remove(n);
        n.state = InterpreterNeed.State.RINGING;
        n.interpreter = x;
        n.ring = directory.ringOf(e.ringId());
        n.expiresAt = e.expiresAt();
        n.offerCount++;
        x.interpreting = n;
        n.offerTimer = cx.schedule(e.expiresAt(), offerTimeout, n.id, null, n.offerCount);
    }

    private void applyAnswered(InterpreterAnswered e) {
        InterpreterNeed n = needOf(e.needId());
        ExpertState x = directory.expertOf(e.interpreterId());
        if (n.interpreter != x) {
            throw new IllegalStateException("interpreter need " + n.id + " was not offered to " + x.id);
        }
        cx.cancel(n.offerTimer);
        switch (e.outcome()) {
            case ACCEPTED -> {
                n.state = InterpreterNeed.State.ACCEPTED;
                x.consecutiveMisses = 0;
            }
            case DECLINED, TIMED_OUT, WITHDRAWN, RELEASED -> {
                if (e.outcome() == InterpreterOutcome.TIMED_OUT) {
                    x.consecutiveMisses++;
                }
                n.state = InterpreterNeed.State.WAITING;
                n.interpreter = null;
                n.ring = null;
                n.expiresAt = null;
                x.interpreting = null;
                waiting.add(n);
                if (e.cooldownUntil() != null) {
                    n.coolDown(x.id, e.cooldownUntil());
                    cx.schedule(e.cooldownUntil(), cooldownEnd, n.id, null, 0);
                }
            }
        }
    }

    private void forget(InterpreterNeed n) {
        needs.remove(n.id);
        waiting.remove(n);
        cx.cancel(n.offerTimer);
        cx.cancel(n.holdTimer);
        n.holdTimer = null;
        if (n.interpreter != null && n.interpreter.interpreting == n) {
            n.interpreter.interpreting = null;
        }
        if (n.request != null && n.request.need == n) {
            n.request.need = null;
        }
    }
}
