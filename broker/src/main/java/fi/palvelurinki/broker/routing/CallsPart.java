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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

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
    private final LongMap<CallState> calls = new LongMap<>();
    /**
     * Recently ended calls: hanging up again is a no-op, and the expert may still record the outcome.
     * What an outcome is recorded against is kept by slot in {@link #ended}, after the call's state is gone.
     */
    private final RecentIds endedCalls;
    private final EndedCalls ended = new EndedCalls();
    private long nextCallId = 1;
    private QueuePart queues;
    private PresencePart presence;
    private Lifecycle lifecycle;
    private RingChanges changes;
    private InterpretersPart interpreters;

    CallsPart(EngineContext cx, DirectoryPart directory) {
        this.cx = cx;
        this.directory = directory;
        this.endedCalls = new RecentIds(cx.config.rememberEnded());
    }

    /** What is kept of each ended call remembered, by its slot in {@link #endedCalls}: no object per call. */
    private static final class EndedCalls {
        long[] requestId = new long[0];
        String[] expertId = new String[0];
        String[] ringId = new String[0];
        String[] pointId = new String[0];
        String[] topic = new String[0];
        boolean[] outcomeRecorded = new boolean[0];

        void put(int slot, int slots, CallState c) {
            if (slot >= requestId.length) {
                requestId = Arrays.copyOf(requestId, slots);
                expertId = Arrays.copyOf(expertId, slots);
                ringId = Arrays.copyOf(ringId, slots);
                pointId = Arrays.copyOf(pointId, slots);
                topic = Arrays.copyOf(topic, slots);
                outcomeRecorded = Arrays.copyOf(outcomeRecorded, slots);
            }
            requestId[slot] = c.request.id;
            expertId[slot] = c.expert.id;
            ringId[slot] = c.ring.id();
            pointId[slot] = c.request.pointId;
            topic[slot] = c.request.topic;
            outcomeRecorded[slot] = false;
        }
    }

    void connect(QueuePart queues, PresencePart presence, InterpretersPart interpreters, Lifecycle lifecycle,
            RingChanges changes) {
        this.queues = queues;
        this.interpreters = interpreters;
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
        w.command(Command.AddParty.class, this::addParty);
        w.command(Command.GetCallMembers.class, c -> {
            CallState call = calls.get(c.callId());
            if (call == null) {
                throw new BrokerException(ErrorCode.UNKNOWN_CALL, "no call " + c.callId() + " in progress");
            }
            return new Reply.CallMembers(call.id, members(call));
        });
        w.command(Command.CancelParty.class, this::cancelParty);
        w.event(DomainEvent.Type.PARTY_JOINED, DomainEvent.PartyJoined.class, this::applyPartyJoined);
        w.event(DomainEvent.Type.PARTY_LEFT, DomainEvent.PartyLeft.class, this::applyPartyLeft);
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
        CallState call = partyCall(c.party(), c.partyId(), c.callId());
        if (call == null) {
            return Reply.Done.INSTANCE;
        }
        CallState.Joined joined = c.party() == Party.EXPERT ? call.joinedParty(c.partyId()) : null;
        if (joined != null) {
            // A third or fourth party leaves; the call goes on for the others.
            leave(call, joined, "hung_up", CallEndReason.EXPERT_HUNG_UP, false);
            return Reply.Done.INSTANCE;
        }
        endCall(call, c.party() == Party.ADVISOR ? CallEndReason.ADVISOR_HUNG_UP : CallEndReason.EXPERT_HUNG_UP, false);
        return Reply.Done.INSTANCE;
    }

    /**
     * The call in progress a party of it acts on (hangs up, cancels a party asked for), or null when it ended
     * lately: acting on it again is a no-op. Refused when it is unknown or not theirs.
     */
    private CallState partyCall(Party side, String partyId, long callId) {
        if (side == null) {
            throw BrokerException.invalid("party is required");
        }
        CallState call = calls.get(callId);
        if (call == null) {
            if (endedCalls.slotOf(callId) >= 0) {
                return null;
            }
            throw new BrokerException(ErrorCode.UNKNOWN_CALL, "no call " + callId);
        }
        checkParty(call, side, partyId);
        return call;
    }

    /** Refuses anyone but the call's point (any advisor of it), its expert and the parties who joined it. */
    private void checkParty(CallState call, Party side, String partyId) {
        // Any advisor of the call's point may act for it: the customer sits at the point, not with one advisor.
        Advisor advisor = side == Party.ADVISOR && partyId != null ? directory.findAdvisor(partyId) : null;
        // A home customer is their call's only party on that side.
        boolean party = side == Party.ADVISOR
                ? advisor != null && advisor.pointId().equals(call.request.pointId)
                        || advisor == null && call.request.advisorId.equals(partyId)
                : call.expert.id.equals(partyId) || call.joinedParty(partyId) != null;
        if (!party) {
            throw new BrokerException(ErrorCode.NOT_A_PARTY, side.name().toLowerCase(Locale.ROOT) + " "
                    + partyId + " is not a party of call " + call.id);
        }
    }

    // ------------------------------------------------------------------ third and fourth parties

    static final int MAX_PARTIES = 4;

    private Reply addParty(Command.AddParty c) {
        if (c.party() == null) {
            throw BrokerException.invalid("party is required");
        }
        CallState call = calls.get(c.callId());
        if (call == null) {
            throw new BrokerException(ErrorCode.UNKNOWN_CALL, "no call " + c.callId() + " in progress");
        }
        checkParty(call, c.party(), c.partyId());
        if ((c.interpreter() == null) == (c.ringId() == null)) {
            throw BrokerException.invalid("name either an interpreting language (interpreter) or a ring, not "
                    + (c.interpreter() == null ? "neither" : "both"));
        }
        List<InterpreterNeed> open = interpreters.openFor(call);
        int parties = 2 + call.joined.size() + open.size() + call.joinRequests.size();
        if (parties >= MAX_PARTIES) {
            throw new BrokerException(ErrorCode.CAPACITY_EXCEEDED, "call " + call.id + " has " + parties
                    + " parties with those asked for; a call has at most " + MAX_PARTIES);
        }
        String by = c.party().name().toLowerCase(Locale.ROOT) + ":" + c.partyId();
        if (c.interpreter() != null) {
            String language = interpreters.checkInterpreting(c.interpreter(), call.request.language);
            for (InterpreterNeed n : open) {
                if (n.language.equals(language)) {
                    throw new BrokerException(ErrorCode.ILLEGAL_TRANSITION, "an interpreter for " + language
                            + " is already being looked for (" + n.id + ")");
                }
            }
            for (CallState.Joined j : call.joined) {
                if (language.equals(j.language())) {
                    throw new BrokerException(ErrorCode.ILLEGAL_TRANSITION, "interpreter " + j.expert().id + " for "
                            + language + " is already in call " + call.id);
                }
            }
            InterpreterNeed n = interpreters.needDuring(call, language, by);
            return new Reply.PartyRequested(call.id, "interpreter", n.id, interpreters.positionOf(n));
        }
        RingState ring = directory.ring(c.ringId());
        if (ring.config.interpreterRing()) {
            throw BrokerException.invalid("ring " + ring.id() + " is an interpreter ring: ask for an interpreter "
                    + "(interpreter) instead");
        }
        if (!ring.config.openingHours().isOpen(cx.now)) {
            throw new BrokerException(ErrorCode.RING_CLOSED, "ring " + ring.id() + " is closed now");
        }
        String topic = c.topic() == null ? (ring.config.servesTopic(call.request.topic) ? call.request.topic
                : ring.config.topics().stream().sorted().findFirst().orElse(call.request.topic)) : c.topic();
        fi.palvelurinki.broker.ring.Ids.check("topic", topic);
        if (!ring.config.servesTopic(topic)) {
            throw new BrokerException(ErrorCode.TOPIC_NOT_OFFERED, "ring " + ring.id() + " does not serve topic '"
                    + topic + "'; it serves " + ring.config.topics());
        }
        if (!ring.config.languages().contains(call.request.language)) {
            throw new BrokerException(ErrorCode.LANGUAGE_NOT_OFFERED, "ring " + ring.id() + " does not serve in "
                    + call.request.language.code() + ", the language of call " + call.id);
        }
        String note = fi.palvelurinki.broker.ring.Texts.check("note", c.note(), QueuePart.MAX_TRIAGE_NOTE, false);
        RequestState r = queues.queueJoin(call, ring, topic, note, by);
        int position = r.status == RequestState.Status.WAITING ? queues.positionOf(r) : 0;
        return new Reply.PartyRequested(call.id, "expert", r.id, position);
    }

    private Reply cancelParty(Command.CancelParty c) {
        CallState call = partyCall(c.party(), c.partyId(), c.callId());
        if (call == null) {
            return Reply.Done.INSTANCE;
        }
        for (InterpreterNeed n : interpreters.openFor(call)) {
            if (n.id == c.id()) {
                interpreters.end(n, "cancelled", Notification.RevokeReason.CANCELLED);
                tellParties(call, null, to -> new Notification.PartyRequestEnded(to, call.id, n.id, "cancelled"));
                return Reply.Done.INSTANCE;
            }
        }
        for (RequestState r : call.joinRequests) {
            if (r.id == c.id()) {
                queues.cancelJoin(r);
                tellParties(call, null, to -> new Notification.PartyRequestEnded(to, call.id, r.id, "cancelled"));
                return Reply.Done.INSTANCE;
            }
        }
        throw new BrokerException(ErrorCode.UNKNOWN_REQUEST, "call " + call.id + " is not looking for a party " + c.id()
                + " (joined, cancelled or never asked for)");
    }

    /**
     * {@code x} accepted and joins {@code call} as its third or fourth party: those in it are told, and the
     * newcomer learns who is there (and opens the media to each, docs/protocol.md).
     */
    void join(CallState call, ExpertState x, String role, RingState ring, String language, long needId, long requestId) {
        cx.emit(new DomainEvent.PartyJoined(cx.now, call.id, x.id, role, ring.id(), language, needId, requestId));
        cx.emit(new PresenceChanged(cx.now, x.id, Presence.OFFERED, Presence.IN_CALL, "joined call " + call.id));
        Notification.CallMember newcomer = member(call.joinedParty(x.id));
        List<Notification.CallMember> members = new java.util.ArrayList<>(members(call));
        members.removeIf(m -> m.party().equals(newcomer.party()));
        tellParties(call, x, to -> new Notification.PartyJoined(to, call.id, newcomer));
        ServicePoint point = directory.findPoint(call.request.pointId);
        cx.notify(new Notification.CallJoined(Recipient.expert(x.id), call.id, call.request.id, call.ring.id(), role,
                language, point.id(), point.name(), members));
    }

    /** The call's parties, first the point, then its expert, then those who joined. */
    List<Notification.CallMember> members(CallState call) {
        List<Notification.CallMember> out = new java.util.ArrayList<>(MAX_PARTIES);
        Advisor a = directory.findAdvisor(call.advisorId);
        out.add(new Notification.CallMember(Recipient.advisor(call.advisorId), "advisor",
                a == null ? QueuePart.HOME_CUSTOMER : a.name(), null));
        out.add(new Notification.CallMember(Recipient.expert(call.expert.id), "expert", call.expert.profile.name(), null));
        for (CallState.Joined j : call.joined) {
            out.add(member(j));
        }
        return out;
    }

    private static Notification.CallMember member(CallState.Joined j) {
        return new Notification.CallMember(Recipient.expert(j.expert().id), j.role(), j.expert().profile.name(),
                j.language());
    }

    /** Tells every party of {@code call} but {@code except}. */
    private void tellParties(CallState call, ExpertState except, java.util.function.Function<Recipient, Notification> n) {
        cx.notify(n.apply(Recipient.advisor(call.advisorId)));
        if (call.expert != except) {
            cx.notify(n.apply(Recipient.expert(call.expert.id)));
        }
        for (CallState.Joined j : call.joined) {
            if (j.expert() != except) {
                cx.notify(n.apply(Recipient.expert(j.expert().id)));
            }
        }
    }

    /**
     * A joined party leaves a call that goes on.
     *
     * @param leaving the party is gone: wrap-up ends at once and they go OFFLINE
     */
    private void leave(CallState call, CallState.Joined j, String reason, CallEndReason forThem, boolean leaving) {
        ExpertState x = j.expert();
        Instant until = cx.now.plus(j.ring().config.wrapUp());
        cx.emit(new DomainEvent.PartyLeft(cx.now, call.id, x.id, j.ring().id(), reason, until));
        cx.emit(new PresenceChanged(cx.now, x.id, Presence.IN_CALL, Presence.WRAP_UP, "left call " + call.id));
        tellParties(call, x, to -> new Notification.PartyLeft(to, call.id, Recipient.expert(x.id), reason));
        cx.notify(new Notification.CallEnded(Recipient.expert(x.id), call.id, forThem, until));
        if (leaving) {
            presence.endWrapUp(x, true, Presence.OFFLINE, "expert disconnected", false);
        } else if (!until.isAfter(cx.now)) {
            presence.endWrapUp(x, false, Presence.AVAILABLE, "no wrap-up time", true);
        }
    }

    /** Expert {@code e}, in a call, is gone for good: a joined party leaves it, the call's own expert ends it. */
    void partyGone(ExpertState e) {
        CallState call = e.call;
        CallState.Joined j = call.joinedParty(e.id);
        if (j != null) {
            leave(call, j, "disconnected", CallEndReason.EXPERT_DISCONNECTED, true);
        } else {
            endCall(call, CallEndReason.EXPERT_DISCONNECTED, true);
        }
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
        int slot = endedCalls.slotOf(c.callId());
        if (slot < 0) {
            throw new BrokerException(ErrorCode.UNKNOWN_CALL, "no ended call " + c.callId());
        }
        if (!ended.expertId[slot].equals(c.expertId())) {
            throw new BrokerException(ErrorCode.NOT_A_PARTY, "expert " + c.expertId() + " did not answer call " + c.callId());
        }
        if (ended.outcomeRecorded[slot]) {
            throw new BrokerException(ErrorCode.ILLEGAL_TRANSITION, "the outcome of call " + c.callId()
                    + " is already recorded");
        }
        cx.emit(new CallOutcomeRecorded(cx.now, c.callId(), ended.requestId[slot], ended.expertId[slot],
                ended.ringId[slot], ended.pointId[slot], ended.topic[slot], c.outcome()));
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
        for (CallState.Joined j : new java.util.ArrayList<>(call.joined)) {
            ExpertState x = j.expert();
            Instant until = cx.now.plus(j.ring().config.wrapUp());
            cx.emit(new DomainEvent.PartyLeft(cx.now, call.id, x.id, j.ring().id(), "call_ended", until));
            cx.emit(new PresenceChanged(cx.now, x.id, Presence.IN_CALL, Presence.WRAP_UP, "call ended"));
            cx.notify(new Notification.CallEnded(Recipient.expert(x.id), call.id, reason, until));
            if (!until.isAfter(cx.now)) {
                presence.endWrapUp(x, false, Presence.AVAILABLE, "no wrap-up time", true);
            }
        }
        for (RequestState r : new java.util.ArrayList<>(call.joinRequests)) {
            queues.abandonJoin(r);
        }
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
                        c.request.pointId, c.ring.id(), c.startedAt, c.joined.stream().map(x -> x.expert().id).toList()))
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
        int slot = endedCalls.add(call.id);
        ended.put(slot, endedCalls.slots(), call);
    }

    private void applyPartyJoined(DomainEvent.PartyJoined e) {
        CallState call = calls.get(e.callId());
        ExpertState x = directory.expertOf(e.partyId());
        RingState ring = directory.ringOf(e.ringId());
        call.joined.add(new CallState.Joined(x, e.role(), ring, e.language(), e.at()));
        ring.callsInProgress++;
        x.call = call;
        x.lastCallStartedAt = e.at();
    }

    private void applyPartyLeft(DomainEvent.PartyLeft e) {
        CallState call = calls.get(e.callId());
        CallState.Joined j = call.joinedParty(e.partyId());
        call.joined.remove(j);
        j.ring().callsInProgress--;
        j.expert().call = null;
    }

    private void applyOutcome(CallOutcomeRecorded e) {
        int slot = endedCalls.slotOf(e.callId());
        if (slot >= 0) {
            ended.outcomeRecorded[slot] = true;
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
