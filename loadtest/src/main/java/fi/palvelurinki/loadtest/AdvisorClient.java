package fi.palvelurinki.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * An advisor at a service point who places calls: {@code request_call}, then the initiator's side of the call
 * (SDP offer, trickled candidates) and the hangup after the handle time.
 */
final class AdvisorClient extends Client {
    final Population.Advisor who;
    /** request_calls placed and not yet answered, by message id (loop only). */
    private final Map<String, Call> unanswered = new HashMap<>();
    /** Those of them waiting in the outbox for the next welcome (loop only). */
    private final Set<String> inOutbox = new HashSet<>();

    AdvisorClient(LoadRun run, Population.Advisor who, long seed) {
        super(run, who.id(), run.advisorToken(who), seed);
        this.who = who;
    }

    /** Places a call at its intended time (on this client's loop). */
    void requestCall(Call cs) {
        run.calls.placed(cs);
        stats.callsRequested.increment();
        if (!ready) {
            cs.deferred = true;
            stats.deferred.increment();
        }
        String id = id();
        unanswered.put(id, cs);
        if (!ready) {
            inOutbox.add(id);
        }
        place("{\"type\":\"request_call\",\"id\":\"" + id + "\",\"ring\":\"" + cs.ring
                + "\",\"topic\":\"general\",\"language\":\"fi\",\"note\":\"" + cs.key + "\"}");
    }

    @Override
    boolean handle(String type, JsonNode m, long now) {
        switch (type) {
            case "ok", "ringing" -> { }
            case "queued" -> {
                Call cs = unanswered.remove(m.path("re").asText());
                if (cs == null) {
                    return false;
                }
                long requestId = m.path("requestId").asLong();
                run.calls.requestId(cs, requestId);
                run.ledger.requestQueued(connGeneration, requestId, cs.ring, user);
                if (connGeneration > 0) {
                    run.recovery.acknowledged(now);
                }
            }
            case "queue_update" -> stats.queueUpdates.increment();
            case "booking" -> stats.bookingPushes.increment();
            case "request_ended" -> {
                // The server gave the request up: the advisor was away for longer than the grace.
                stats.error("request_ended:" + m.path("reason").asText());
                Call cs = run.calls.byRequest(m.path("requestId").asLong());
                if (cs != null) {
                    cs.endedWithoutNotice();
                }
            }
            case "call_connected" -> {
                Call cs = run.calls.byRequest(m.path("requestId").asLong());
                if (cs == null) {
                    return false;
                }
                run.calls.callId(cs, m.path("callId").asLong());
                run.ledger.callConnected(connGeneration, cs.callId, cs.requestId);
                if (connGeneration > 0) {
                    run.recovery.callsConnected.increment();
                }
                cs.sideConnected(now);
                if (!cs.relayCall) {
                    startMedia(cs, now);
                }
            }
            case "signal" -> {
                Call cs = run.calls.byCall(m.path("callId").asLong());
                if (cs == null) {
                    return false;
                }
                cs.received(true, now);
                if (m.path("endOfCandidates").asBoolean(false) && !cs.relayCall) {
                    cs.expertDone = true;
                    hangUpWhenSetUp(cs);
                }
            }
            case "call_ended" -> {
                Call cs = run.calls.byCall(m.path("callId").asLong());
                if (cs == null) {
                    return false;
                }
                run.ledger.callEnded(connGeneration, cs.requestId);
                cs.endReason = m.path("reason").asText();
                cs.sideEnded();
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * A new session: its state lists the requests the server has for this advisor. One not listed is over
     * (a restart ended its call, or the session expired); one listed as connected that this side has not
     * seen connect is joined, as a reloaded page does: with a fresh SDP offer.
     */
    @Override
    void onWelcome(JsonNode m, boolean resumed, boolean restarted, long now) {
        if (resumed || session == 1) {
            inOutbox.clear();
            return;
        }
        Map<Long, JsonNode> listed = new HashMap<>();
        for (JsonNode r : m.path("state").path("requests")) {
            listed.put(r.path("requestId").asLong(), r);
        }
        if (restarted) {
            run.ledger.listedAfterRestart(listed.keySet());
        }
        run.calls.open().filter(c -> c.advisor == this && c.requestId != 0 && !listed.containsKey(c.requestId))
                .forEach(Call::endedWithoutNotice);
        for (JsonNode r : listed.values()) {
            Call cs = run.calls.byRequest(r.path("requestId").asLong());
            if (cs != null && restarted && cs.connected && cs.callId == r.path("callId").asLong()) {
                // The call went on through the restart. The expert's candidates sent into the kill are lost, and
                // so is a hangup sent while the server was down: hang up again when the talk time is over.
                cs.expertDone = true;
                cs.hangingUp = false;
                hangUpWhenSetUp(cs);
            } else if (cs != null && "connected".equals(r.path("state").asText()) && cs.callId != r.path("callId").asLong()) {
                run.calls.callId(cs, r.path("callId").asLong());
                if (connGeneration > 0) {
                    run.recovery.callsConnected.increment();
                }
                cs.sideConnected(now);
                startMedia(cs, now);
            }
        }
        // Unanswered request_calls sent on the lost session: the user was told the connection was lost. If the
        // server had journaled one, its offer still finds the call by its note. Those in the outbox go now.
        unanswered.keySet().retainAll(inOutbox);
        inOutbox.clear();
    }

    /** The initiator's side of a call: SDP offer, trickled candidates, and the hangup after the handle time. */
    private void startMedia(Call cs, long now) {
        cs.signal(true, now, run.payloads.sdp(id(), cs.callId, "offer"));
        trickle(cs, true, now);
        // Not before both parties have sent their candidates (as a browser's call would be set up first).
        Scenario s = run.s;
        long setup = 2L * (s.candidatesPerParty() + 1) * s.candidateInterval().toNanos() + 100_000_000L;
        long talk = Math.max(setup, Poisson.exponential(random, s.handleTime().toNanos()));
        loop.schedule(() -> {
            cs.talkOver = true;
            hangUpWhenSetUp(cs);
        }, talk, TimeUnit.NANOSECONDS);
    }

    /** Hangs up once the talk time is over and the expert's last candidate has arrived (on this loop). */
    void hangUpWhenSetUp(Call cs) {
        if (cs.talkOver && cs.expertDone && !cs.hangingUp && !cs.over()) {
            cs.hangingUp = true;
            send("{\"type\":\"hangup\",\"id\":\"" + id() + "\",\"callId\":" + cs.callId + "}");
        }
    }

    /** Hangs up a call held for the relay measurement (on this loop). */
    void hangUp(Call cs) {
        send("{\"type\":\"hangup\",\"id\":\"" + id() + "\",\"callId\":" + cs.callId + "}");
    }
}
