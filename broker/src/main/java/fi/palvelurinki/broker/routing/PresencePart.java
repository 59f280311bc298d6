package fi.palvelurinki.broker.routing;

import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.CallEndReason;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.ErrorCode;
import fi.palvelurinki.broker.Notification;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.DomainEvent.CallEnded;
import fi.palvelurinki.broker.journal.DomainEvent.PresenceChanged;
import fi.palvelurinki.broker.journal.DomainEvent.WrapUpEnded;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Locale;

/**
 * Experts' presence and its checked transitions, wrap-up and its timer, and recovery after a restart.
 * Owns {@code ExpertState.presence}, {@code presenceSince}, {@code idleSince} and the wrap-up fields,
 * and each ring's {@code available} set and {@code staffed} count.
 */
final class PresencePart implements EnginePart, DirectoryPart.Membership {
    private final EngineContext cx;
    private final DirectoryPart directory;
    private final TimerQueue.Handler wrapUpTimer = this::wrapUpOver;
    private QueuePart queues;
    private Routing routing;
    private CallsPart calls;
    private RingChanges changes;

    PresencePart(EngineContext cx, DirectoryPart directory) {
        this.cx = cx;
        this.directory = directory;
    }

    void connect(QueuePart queues, CallsPart calls, RingChanges changes) {
        this.queues = queues;
        this.routing = queues.routing();
        this.calls = calls;
        this.changes = changes;
    }

    @Override
    public void register(Wiring w) {
        w.command(Command.SetPresence.class, this::setPresence);
        w.command(Command.EndWrapUp.class, this::endWrapUpCommand);
        w.command(Command.ExpertGone.class, this::expertGone);
        w.event(DomainEvent.Type.PRESENCE_CHANGED, PresenceChanged.class, this::applyPresence);
        w.event(DomainEvent.Type.WRAP_UP_ENDED, WrapUpEnded.class, this::applyWrapUpEnded);
        w.event(DomainEvent.Type.CALL_ENDED, CallEnded.class, this::applyCallEnded);
        w.event(DomainEvent.Type.PARTY_LEFT, DomainEvent.PartyLeft.class,
                e -> wrapUp(directory.expertOf(e.partyId()), e.callId(), e.ringId(), e.at(), e.wrapUpUntil()));
    }

    /**
     * After replay nobody is connected: experts come back OFFLINE until they reconnect; offers are
     * withdrawn (their requests wait again, in their old places). Calls in progress go on: the video runs
     * between the browsers, not through the server, so the parties resume the call when they reconnect,
     * and signaling ends it if one of them does not come back within the resume grace.
     */
    @Override
    public void recover() {
        for (ExpertState e : new ArrayList<>(directory.experts())) {
            switch (e.presence) {
                case OFFERED -> queues.withdrawOffer(e, "broker restart", Presence.OFFLINE, false);
                case IN_CALL -> { }
                case WRAP_UP -> {
                    cx.emit(new WrapUpEnded(cx.now, e.id, e.wrapUpCallId, e.wrapUpRing.id(), true));
                    cx.emit(new PresenceChanged(cx.now, e.id, Presence.WRAP_UP, Presence.OFFLINE, "broker restart"));
                }
                case AVAILABLE, AWAY -> cx.emit(new PresenceChanged(cx.now, e.id, e.presence, Presence.OFFLINE, "broker restart"));
                case OFFLINE -> { }
            }
        }
    }

    // ------------------------------------------------------------------ commands

    private Reply setPresence(Command.SetPresence c) {
        ExpertState e = directory.expert(c.expertId());
        Presence target = c.presence();
        if (target != Presence.AVAILABLE && target != Presence.AWAY && target != Presence.OFFLINE) {
            throw BrokerException.invalid("an expert can set presence AVAILABLE, AWAY or OFFLINE, not " + target);
        }
        if (e.presence == target) {
            return Reply.Done.INSTANCE;
        }
        switch (e.presence) {
            case IN_CALL -> throw new BrokerException(ErrorCode.ILLEGAL_TRANSITION,
                    "expert " + e.id + " is in call " + e.call.id + "; hang up first");
            case OFFERED -> {
                if (target == Presence.AVAILABLE) {
                    throw new BrokerException(ErrorCode.ILLEGAL_TRANSITION, "expert " + e.id
                            + " has an offer ringing; accept or decline it");
                }
                queues.withdrawOffer(e, "expert went " + target.name().toLowerCase(Locale.ROOT), target, true);
            }
            case WRAP_UP -> endWrapUp(e, true, target, "ended by expert", false);
            default -> {
                e.presence.checkTransition(target);
                cx.emit(new PresenceChanged(cx.now, e.id, e.presence, target, "set by expert"));
                if (target == Presence.AVAILABLE) {
                    routing.serveExpert(e);
                }
            }
        }
        return Reply.Done.INSTANCE;
    }

    private Reply endWrapUpCommand(Command.EndWrapUp c) {
        ExpertState e = directory.expert(c.expertId());
        if (e.presence == Presence.AVAILABLE) {
            return Reply.Done.INSTANCE;
        }
        if (e.presence != Presence.WRAP_UP) {
            throw new BrokerException(ErrorCode.ILLEGAL_TRANSITION, "expert " + e.id + " is " + e.presence
                    + ", not in wrap-up");
        }
        endWrapUp(e, true, Presence.AVAILABLE, "ready for next call", false);
        return Reply.Done.INSTANCE;
    }

    private Reply expertGone(Command.ExpertGone c) {
        ExpertState e = directory.expert(c.expertId());
        switch (e.presence) {
            case OFFERED -> queues.withdrawOffer(e, "expert disconnected", Presence.OFFLINE, true);
            case IN_CALL -> calls.partyGone(e);
            case WRAP_UP -> endWrapUp(e, true, Presence.OFFLINE, "expert disconnected", false);
            case AVAILABLE, AWAY -> cx.emit(new PresenceChanged(cx.now, e.id, e.presence, Presence.OFFLINE, "expert disconnected"));
            case OFFLINE -> { }
        }
        return Reply.Done.INSTANCE;
    }

    /**
     * Ends {@code e}'s wrap-up.
     *
     * @param tellExpert the expert did not ask for this change, so tell them (before any next offer)
     */
    void endWrapUp(ExpertState e, boolean early, Presence target, String reason, boolean tellExpert) {
        cx.emit(new WrapUpEnded(cx.now, e.id, e.wrapUpCallId, e.wrapUpRing.id(), early));
        cx.emit(new PresenceChanged(cx.now, e.id, Presence.WRAP_UP, target, reason));
        if (tellExpert) {
            cx.notify(new Notification.PresenceChanged(e.id, target, reason, null));
        }
        if (target == Presence.AVAILABLE) {
            routing.serveExpert(e);
        }
    }

    private void wrapUpOver(TimerQueue.Timer t) {
        ExpertState e = directory.findExpert(t.key());
        if (e == null || e.presence != Presence.WRAP_UP || e.wrapUpCallId != t.token()) {
            return;
        }
        endWrapUp(e, false, Presence.AVAILABLE, "wrap-up time over", true);
    }

    // ------------------------------------------------------------------ appliers

    @Override
    public void left(ExpertState x, RingState ring) {
        ring.available.remove(x);
        if (x.presence.staffed()) {
            ring.staffed--;
        }
        changes.changed(ring);
    }

    @Override
    public void joined(ExpertState x, RingState ring) {
        if (x.presence == Presence.AVAILABLE) {
            ring.available.add(x);
        }
        if (x.presence.staffed()) {
            ring.staffed++;
        }
        changes.changed(ring);
    }

    private void applyPresence(PresenceChanged e) {
        ExpertState x = directory.expertOf(e.expertId());
        if (x.presence != e.from()) {
            throw new IllegalStateException("expert " + x.id + " is " + x.presence + ", event says " + e.from());
        }
        if (!e.from().canBecome(e.to())) {
            throw new IllegalStateException("illegal presence transition " + e.from() + " → " + e.to() + " of " + x.id);
        }
        if (e.from() == Presence.AVAILABLE) {
            for (RingState ring : x.rings) {
                ring.available.remove(x);
            }
        }
        x.presence = e.to();
        x.presenceSince = e.at();
        if (e.to() == Presence.AVAILABLE) {
            if (e.from() != Presence.OFFERED) {
                // Declining or missing an offer does not reset how long the expert has been idle.
                x.idleSince = e.at();
            }
            for (RingState ring : x.rings) {
                ring.available.add(x);
            }
        }
        int delta = (e.to().staffed() ? 1 : 0) - (e.from().staffed() ? 1 : 0);
        for (RingState ring : x.rings) {
            ring.staffed += delta;
            changes.changed(ring);
        }
    }

    private void applyCallEnded(CallEnded e) {
        wrapUp(directory.expertOf(e.expertId()), e.callId(), e.ringId(), e.at(), e.wrapUpUntil());
    }

    private void wrapUp(ExpertState x, long callId, String ringId, Instant at, Instant until) {
        x.wrapUpCallId = callId;
        x.wrapUpRing = directory.ringOf(ringId);
        x.wrapUpUntil = until;
        if (until != null && until.isAfter(at)) {
            x.wrapUpTimer = cx.schedule(until, wrapUpTimer, 0, x.id, callId);
        }
    }

    private void applyWrapUpEnded(WrapUpEnded e) {
        ExpertState x = directory.expertOf(e.expertId());
        x.wrapUpUntil = null;
        cx.cancel(x.wrapUpTimer);
        x.wrapUpTimer = null;
    }
}
