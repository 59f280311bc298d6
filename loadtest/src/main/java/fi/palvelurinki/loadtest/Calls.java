package fi.palvelurinki.loadtest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The calls of a run, found from either end: by the key the advisor put in the triage note (the expert's
 * {@code offer} carries it), by request id and by call id. Read and written from every event loop.
 */
final class Calls {
    private final Stats stats;
    private final Map<String, Call> byKey = new ConcurrentHashMap<>();
    private final Map<Long, Call> byRequest = new ConcurrentHashMap<>();
    private final Map<Long, Call> byCall = new ConcurrentHashMap<>();
    /** Requests waiting per ring, as the clients see them (approximate: for the summary only). */
    private final Map<String, AtomicInteger> waiting = new ConcurrentHashMap<>();
    private final AtomicLong keys = new AtomicLong();

    Calls(Stats stats, List<String> rings) {
        this.stats = stats;
        rings.forEach(r -> waiting.put(r, new AtomicInteger()));
    }

    Call create(String prefix, String ring, long intended, AdvisorClient advisor, boolean relayCall) {
        return new Call(this, stats, prefix + keys.incrementAndGet(), ring, intended, advisor, relayCall);
    }

    void placed(Call c) {
        byKey.put(c.key, c);
        waiting.get(c.ring).incrementAndGet();
    }

    Call byKey(String key) {
        return byKey.get(key);
    }

    void requestId(Call c, long requestId) {
        c.requestId = requestId;
        byRequest.put(requestId, c);
    }

    Call byRequest(long requestId) {
        return byRequest.get(requestId);
    }

    void callId(Call c, long callId) {
        c.callId = callId;
        byCall.put(callId, c);
    }

    Call byCall(long callId) {
        return byCall.get(callId);
    }

    /** Every call not yet over, for a client that has to square them with a new session's state. */
    Stream<Call> open() {
        return byKey.values().stream().filter(c -> !c.over());
    }

    void forget(Call c) {
        byKey.remove(c.key);
        byRequest.remove(c.requestId);
        byCall.remove(c.callId);
    }

    void waitingChanged(String ring, int delta) {
        waiting.get(ring).addAndGet(delta);
    }

    int stillWaiting() {
        return Math.max(0, waiting.values().stream().mapToInt(AtomicInteger::get).sum());
    }
}
