package fi.palvelurinki.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import fi.palvelurinki.signaling.auth.Role;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * An expert: available after hello, answers offers after an exponential think time (declines or misses a
 * share of them), answers the SDP offer, trickles candidates and says "ready for next" after the call.
 */
final class ExpertClient extends Client {
    final Population.Expert who;
    /** When this expert last said "ready for next", until its next offer; 0 otherwise. */
    private volatile long readyAt;
    /** Requests whose offer to this expert was withdrawn, until offered again (loop only). */
    private final Set<Long> revoked = new HashSet<>();
    /** accept_offer and decline_offer sent and not yet answered: message id to request id (loop only). */
    private final Map<String, Long> answers = new HashMap<>();
    /** Requests whose answer got no_such_offer before this expert was told the offer was withdrawn (loop only). */
    private final Set<Long> refusedBeforeRevoke = new HashSet<>();

    ExpertClient(LoadRun run, Population.Expert who, long seed) {
        super(run, who.id(), run.tokens.issue(who.id(), Role.EXPERT, null, List.of(who.ring()), Duration.ofHours(12)),
                seed);
        this.who = who;
    }

    /**
     * A new session: experts come back offline after a restart, so say available again, unless in a call,
     * which goes on through a restart. A call this side had that the state no longer shows is over; offers of
     * the old session were withdrawn.
     */
    @Override
    void onWelcome(JsonNode m, boolean resumed, boolean restarted, long now) {
        if (resumed) {
            return;
        }
        long callId = m.path("state").path("callId").asLong(-1);
        boolean inCall = "in_call".equals(m.path("state").path("presence").asText());
        run.calls.open().filter(c -> c.expert == this).forEach(c -> {
            if (c.expertConnected && c.callId != callId) {
                c.endedWithoutNotice();
            } else if (!c.expertConnected && inCall) {
                // Its accept was made durable just before the kill, its call_connected never came: the call
                // is in progress on the restarted server, and the advisor joins it with a fresh offer.
                c.expertConnected = true;
                run.calls.callId(c, callId);
                c.sideConnected(now);
            } else if (!c.expertConnected) {
                c.expert = null;
            }
        });
        if (!"in_call".equals(m.path("state").path("presence").asText())) {
            send("{\"type\":\"set_presence\",\"id\":\"" + id() + "\",\"presence\":\"available\"}");
        }
    }

    @Override
    boolean handle(String type, JsonNode m, long now) {
        switch (type) {
            case "ok" -> answers.remove(m.path("re").asText());
            case "booking" -> stats.bookingPushes.increment();
            case "offer" -> offer(m, now);
            case "offer_revoked" -> {
                revoked.add(m.path("requestId").asLong());
                if (refusedBeforeRevoke.remove(m.path("requestId").asLong())) {
                    stats.offersGoneBeforeAnswer.increment();
                }
                Call cs = run.calls.byRequest(m.path("requestId").asLong());
                if (cs != null) {
                    run.calls.waitingChanged(cs.ring, 1);
                }
            }
            case "presence" -> {
                if ("away".equals(m.path("presence").asText())) {
                    send("{\"type\":\"set_presence\",\"id\":\"" + id() + "\",\"presence\":\"available\"}");
                }
            }
            case "call_connected" -> {
                Call cs = run.calls.byRequest(m.path("requestId").asLong());
                if (cs == null) {
                    return false;
                }
                cs.expert = this;
                cs.expertConnected = true;
                run.ledger.callConnected(connGeneration, m.path("callId").asLong(), cs.requestId);
                cs.sideConnected(now);
            }
            case "signal" -> {
                Call cs = run.calls.byCall(m.path("callId").asLong());
                if (cs == null) {
                    return false;
                }
                cs.received(false, now);
                JsonNode sdp = m.path("sdp");
                if (!cs.relayCall && "offer".equals(sdp.path("type").asText())) {
                    cs.signal(false, now, run.payloads.sdp(id(), cs.callId, "answer"));
                    trickle(cs, false, now);
                }
            }
            case "call_ended" -> {
                Call cs = run.calls.byCall(m.path("callId").asLong());
                if (cs == null) {
                    return false;
                }
                cs.sideEnded();
                int inSession = session;
                loop.schedule(() -> {
                    readyAt = System.nanoTime();
                    sendIn(inSession, "{\"type\":\"end_wrap_up\",\"id\":\"" + id() + "\"}");
                }, run.s.wrapUpDelay().toNanos(), TimeUnit.NANOSECONDS);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private void offer(JsonNode m, long now) {
        Call cs = run.calls.byKey(m.path("note").asText());
        if (cs == null) {
            stats.error("unexpected:offer");
            return;
        }
        run.calls.waitingChanged(cs.ring, -1);
        long requestId = m.path("requestId").asLong();
        revoked.remove(requestId);
        run.calls.requestId(cs, requestId);
        if (cs.offered.compareAndSet(false, true) && !cs.relayCall && !cs.deferred) {
            stats.clickToRing.recordNanos(now - cs.intended);
        }
        long ready = readyAt;
        readyAt = 0;
        if (ready != 0 && cs.intended < ready && !cs.relayCall) {
            // The request was there, unanswered, when this expert said ready.
            stats.availableToOffer.recordNanos(now - ready);
        }
        Scenario s = run.s;
        double r = cs.relayCall ? 1 : random.nextDouble();
        long think = cs.relayCall ? 0 : Poisson.exponential(random, s.acceptDelay().toNanos());
        int inSession = session;
        if (r < s.declineShare()) {
            stats.declines.increment();
            loop.schedule(() -> {
                run.calls.waitingChanged(cs.ring, 1);
                answer(inSession, "decline_offer", requestId);
            }, think, TimeUnit.NANOSECONDS);
        } else if (r < s.declineShare() + s.missShare()) {
            stats.missed.increment();
        } else {
            cs.expert = this;
            cs.acceptIntended = now + think;
            loop.schedule(() -> answer(inSession, "accept_offer", requestId), think, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Accepts or declines, as a page does: not an offer it has been told is gone, and not twice (on the loop).
     * An answer to an offer that timed out still answers the same request's next offer to this expert (the
     * command names the request, not the offer): while one is on its way, the next offer gets no second one.
     */
    private void answer(int inSession, String type, long requestId) {
        if (revoked.contains(requestId) || answers.containsValue(requestId)) {
            stats.offersGoneBeforeAnswer.increment();
            return;
        }
        String id = id();
        answers.put(id, requestId);
        sendIn(inSession, "{\"type\":\"" + type + "\",\"id\":\"" + id + "\",\"requestId\":" + requestId + "}");
    }

    /**
     * An answer that crossed the offer's withdrawal: the race the protocol allows. The {@code offer_revoked} may
     * come after the error (a refusal is sent at once, the withdrawal once it is journaled): such an error
     * counts only if no withdrawal explains it by the end of the run ({@link #finish}).
     */
    @Override
    boolean expected(JsonNode error) {
        Long requestId = answers.remove(error.path("re").asText());
        if (requestId == null || !"no_such_offer".equals(error.path("code").asText())) {
            return false;
        }
        if (revoked.contains(requestId)) {
            stats.offersGoneBeforeAnswer.increment();
        } else {
            refusedBeforeRevoke.add(requestId);
        }
        return true;
    }

    @Override
    void finish() {
        for (long r : refusedBeforeRevoke) {
            stats.error("error:no_such_offer");
            if (LoadRun.DEBUG) {
                System.err.println(user + ": no_such_offer for request " + r + " and no offer_revoked since");
            }
        }
        refusedBeforeRevoke.clear();
    }
}
