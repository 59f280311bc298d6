package fi.palvelurinki.broker.routing;

import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.CallEndReason;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.ErrorCode;
import fi.palvelurinki.broker.Notification;
import fi.palvelurinki.broker.Party;
import fi.palvelurinki.broker.Recipient;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.DomainEvent.CallEnded;
import fi.palvelurinki.broker.journal.DomainEvent.CallOutcomeRecorded;
import fi.palvelurinki.broker.journal.DomainEvent.CallQualityReported;
import fi.palvelurinki.broker.journal.DomainEvent.CallStarted;
import fi.palvelurinki.broker.journal.DomainEvent.PresenceChanged;
import fi.palvelurinki.broker.journal.DomainEvent.WrapUpEnded;
import fi.palvelurinki.broker.point.Advisor;
import fi.palvelurinki.broker.point.ServicePoint;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Calls in progress: starting one when an offer is accepted, hanging up, ending one when a party is
 * gone or its media was lost for good, journaling the parties' quality reports and the expert's outcome
 * of an ended call, and each ring's recent handle time (talk + wrap-up). Owns {@code ExpertState.call} and
 * {@code lastCallStartedAt}, {@code RequestState.callId}, {@code RingState.callsInProgress} and
 * {@code ahtSeconds}.
 */
final class CallsPart implements EnginePart {
    private final EngineContext cx;
    private final DirectoryPart directory;
    private final Map<Long, CallState> calls = new HashMap<>();
    /** Recently ended calls: hanging up again is a no-op, and the expert may still record the outcome. */
    private final LinkedHashMap<Long, EndedCall> endedCalls;
    private long nextCallId = 1;
    private QueuePart queues;
    private PresencePart presence;
    private Lifecycle lifecycle;
    private RingChanges changes;

    CallsPart(EngineContext cx, DirectoryPart directory) {
        this.cx = cx;
        this.directory = directory;
        int remember = cx.config.rememberEnded();
        this.endedCalls = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, EndedCall> eldest) {
                return size() > remember;
            }
        };
    }

    /** What an outcome is recorded against, kept after the call's state is gone. */
    private static final class EndedCall {
        final long requestId;
        final String expertId;
        final String ringId;
        final String pointId;
        final String topic;
        boolean outcomeRecorded;

        EndedCall(CallState c) {
            requestId = c.request.id;
            expertId = c.expert.id;
            ringId = c.ring.id();
            pointId = c.request.pointId;
            topic = c.request.topic;
        }
    }

    void connect(QueuePart queues, PresencePart presence, Lifecycle lifecycle, RingChanges changes) {
        this.queues = queues;
        this.presence = presence;
        this.lifecycle = lifecycle;
        this.changes = changes;
    }

    @Override
    public void register(Wiring w) {
        w.command(Command.Hangup.class, this::hangup);
        w.command(Command.ReportCallQuality.class, this::reportQuality);
        w.command(Command.EndCallMediaLost.class, this::mediaLost);
        w.command(Command.RecordCallOutcome.class, this::recordOutcome);
        w.command(Command.GetCallsInProgress.class, c -> callsInProgress());
        w.event(DomainEvent.Type.CALL_STARTED, CallStarted.class, this::applyCallStarted);
        w.event(DomainEvent.Type.CALL_ENDED, CallEnded.class, this::applyCallEnded);
        w.event(DomainEvent.Type.WRAP_UP_ENDED, WrapUpEnded.class, this::applyWrapUpEnded);
        // Kept for the report and /metrics; no routing state depends on a call's quality.
        w.event(DomainEvent.Type.CALL_QUALITY_REPORTED, CallQualityReported.class, e -> { });
        w.event(DomainEvent.Type.CALL_OUTCOME_RECORDED, CallOutcomeRecorded.class, this::applyOutcome);
    }

    CallState call(long id) {
        return calls.get(id);
    }

    /**
     * The offer of {@code r} to {@code e} (through {@code via}) was accepted: the call starts with
     * {@code advisorId} (who asked, or who answered a call-back).
     */
    Reply.CallConnected start(RequestState r, ExpertState e, RingState via, String advisorId) {
        long callId = nextCallId;
        cx.emit(new CallStarted(cx.now, callId, r.id, e.id, advisorId, via.id(), r.pointId));
        cx.emit(new PresenceChanged(cx.now, e.id, Presence.OFFERED, Presence.IN_CALL, "accepted"));
        lifecycle.callStarted(calls.get(callId));
        ServicePoint point = directory.findPoint(r.pointId);
        for (Recipient to : List.of(Recipient.advisor(advisorId), Recipient.expert(e.id))) {
            cx.notify(new Notification.CallConnected(to, callId, r.id, via.id(), e.id, e.profile.name(), advisorId,
                    r.pointId, point.name()));
        }
        return new Reply.CallConnected(callId, r.id, via.id(), e.id, e.profile.name(), advisorId, r.pointId);
    }

    private Reply hangup(Command.Hangup c) {
        if (c.party() == null) {
            throw BrokerException.invalid("party is required");
        }
        CallState call = calls.get(c.callId());
        if (call == null) {
            if (endedCalls.containsKey(c.callId())) {
                return Reply.Done.INSTANCE;
            }
            throw new BrokerException(ErrorCode.UNKNOWN_CALL, "no call " + c.callId());
        }
        // Any advisor of the call's point may hang up: the customer sits at the point, not with one advisor.
        Advisor advisor = c.party() == Party.ADVISOR && c.partyId() != null ? directory.findAdvisor(c.partyId()) : null;
        // A home customer is their call's only party on that side.
        boolean party = c.party() == Party.ADVISOR
                ? advisor != null && advisor.pointId().equals(call.request.pointId)
                        || advisor == null && call.request.advisorId.equals(c.partyId())
                : call.expert.id.equals(c.partyId());
        if (!party) {
            throw new BrokerException(ErrorCode.NOT_A_PARTY, c.party().name().toLowerCase(Locale.ROOT) + " "
                    + c.partyId() + " is not a party of call " + call.id);
        }
        endCall(call, c.party() == Party.ADVISOR ? CallEndReason.ADVISOR_HUNG_UP : CallEndReason.EXPERT_HUNG_UP, false);
        return Reply.Done.INSTANCE;
    }

    private Reply reportQuality(Command.ReportCallQuality c) {
        if (c.party() == null || c.quality() == null) {
            throw BrokerException.invalid("party and quality are required");
        }
        CallState call = calls.get(c.callId());
        if (call == null) {
            throw new BrokerException(ErrorCode.UNKNOWN_CALL, "no call " + c.callId() + " in progress");
        }
        cx.emit(new CallQualityReported(cx.now, call.id, call.ring.id(), call.request.pointId, c.party(), c.quality()));
        return Reply.Done.INSTANCE;
    }

    private Reply recordOutcome(Command.RecordCallOutcome c) {
        if (c.expertId() == null || c.outcome() == null) {
            throw BrokerException.invalid("expert and outcome are required");
        }
        fi.palvelurinki.broker.ring.Ids.check("outcome", c.outcome());
        if (calls.containsKey(c.callId())) {
            throw new BrokerException(ErrorCode.ILLEGAL_TRANSITION, "call " + c.callId() + " is still in progress: "
                    + "its outcome is recorded after it ends");
        }
        EndedCall ended = endedCalls.get(c.callId());
        if (ended == null) {
            throw new BrokerException(ErrorCode.UNKNOWN_CALL, "no ended call " + c.callId());
        }
        if (!ended.expertId.equals(c.expertId())) {
            throw new BrokerException(ErrorCode.NOT_A_PARTY, "expert " + c.expertId() + " did not answer call " + c.callId());
        }
        if (ended.outcomeRecorded) {
            throw new BrokerException(ErrorCode.ILLEGAL_TRANSITION, "the outcome of call " + c.callId()
                    + " is already recorded");
        }
        cx.emit(new CallOutcomeRecorded(cx.now, c.callId(), ended.requestId, ended.expertId, ended.ringId, ended.pointId,
                ended.topic, c.outcome()));
        return Reply.Done.INSTANCE;
    }

    /** Signaling's recovery timer ran out; a call hung up meanwhile is left as it ended (a no-op). */
    private Reply mediaLost(Command.EndCallMediaLost c) {
        CallState call = calls.get(c.callId());
        if (call != null) {
            endCall(call, CallEndReason.MEDIA_LOST, false);
        }
        return Reply.Done.INSTANCE;
    }

    /** @param expertLeaving the expert is gone: wrap-up ends at once and they go OFFLINE */
    void endCall(CallState call, CallEndReason reason, boolean expertLeaving) {
        ExpertState e = call.expert;
        Instant until = cx.now.plus(call.ring.config.wrapUp());
        cx.emit(new CallEnded(cx.now, call.id, call.request.id, e.id, call.ring.id(), call.request.pointId, reason, until));
        cx.emit(new PresenceChanged(cx.now, e.id, Presence.IN_CALL, Presence.WRAP_UP, "call ended"));
        lifecycle.callEnded(call);
        cx.notify(new Notification.CallEnded(Recipient.advisor(call.advisorId), call.id, reason, null));
        cx.notify(new Notification.CallEnded(Recipient.expert(e.id), call.id, reason, until));
        if (expertLeaving) {
            presence.endWrapUp(e, true, Presence.OFFLINE, "expert disconnected", false);
        } else if (!until.isAfter(cx.now)) {
            presence.endWrapUp(e, false, Presence.AVAILABLE, "no wrap-up time", true);
        }
    }

    /** The calls in progress, oldest first: after a restart, signaling waits for both parties of each. */
    private Reply callsInProgress() {
        return new Reply.CallsInProgress(calls.values().stream()
                .sorted(java.util.Comparator.comparingLong((CallState c) -> c.id))
                .map(c -> new Reply.CallInProgress(c.id, c.request.id, c.advisorId, c.expert.id,
                        c.request.pointId, c.ring.id(), c.startedAt))
                .toList());
    }

    // ------------------------------------------------------------------ appliers

    private void applyCallStarted(CallStarted e) {
        RequestState r = queues.requestOf(e.requestId());
        ExpertState x = directory.expertOf(e.expertId());
        CallState call = new CallState(e.callId(), r, x, directory.ringOf(e.ringId()), e.at(), e.advisorId());
        calls.put(call.id, call);
        call.ring.callsInProgress++;
        r.callId = call.id;
        x.call = call;
        x.lastCallStartedAt = e.at();
        nextCallId = Math.max(nextCallId, e.callId() + 1);
    }

    private void applyCallEnded(CallEnded e) {
        CallState call = calls.remove(e.callId());
        if (call == null) {
            throw new IllegalStateException("call " + e.callId() + " ended but was not in progress");
        }
        call.ring.callsInProgress--;
        call.expert.call = null;
        endedCalls.put(call.id, new EndedCall(call));
    }

    private void applyOutcome(CallOutcomeRecorded e) {
        EndedCall ended = endedCalls.get(e.callId());
        if (ended != null) {
            ended.outcomeRecorded = true;
        }
    }

    private void applyWrapUpEnded(WrapUpEnded e) {
        ExpertState x = directory.expertOf(e.expertId());
        RingState ring = directory.ringOf(e.ringId());
        if (x.lastCallStartedAt != null) {
            double handle = Duration.between(x.lastCallStartedAt, e.at()).toMillis() / 1000.0;
            ring.ahtSeconds = WaitEstimator.update(ring.ahtSeconds, handle);
            changes.changed(ring);
        }
    }
}
