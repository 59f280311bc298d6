package fi.palvelurinki.loadtest;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** One call of the scenario, seen from both ends. Times are System.nanoTime. */
final class Call {
    private final Calls calls;
    private final Stats stats;
    final String key;
    final String ring;
    final long intended;
    final AdvisorClient advisor;
    final boolean relayCall;
    final AtomicBoolean offered = new AtomicBoolean();
    volatile long requestId;
    volatile long callId;
    volatile ExpertClient expert;
    /** The expert has been told {@code call_connected}. */
    volatile boolean expertConnected;
    volatile long acceptIntended;
    /** Placed while the advisor's connection was down: sent after the welcome, so not a click-to-ring sample. */
    volatile boolean deferred;
    final AtomicInteger connectedSides = new AtomicInteger();
    final AtomicInteger endedSides = new AtomicInteger();
    final ConcurrentLinkedQueue<Long> toExpert = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Long> toAdvisor = new ConcurrentLinkedQueue<>();
    /** The relay phase's recorder for the held calls (the call traffic records into the run's figures). */
    volatile Stats.Latency relayRecorder;
    volatile boolean connected;
    /** The {@code reason} of the advisor's {@code call_ended}; null when it never came. */
    volatile String endReason;
    volatile boolean hangingUp;
    /** Advisor's loop only: the talk time is over; the expert has sent its last candidate. */
    boolean talkOver;
    boolean expertDone;

    Call(Calls calls, Stats stats, String key, String ring, long intended, AdvisorClient advisor, boolean relayCall) {
        this.calls = calls;
        this.stats = stats;
        this.key = key;
        this.ring = ring;
        this.intended = intended;
        this.advisor = advisor;
        this.relayCall = relayCall;
    }

    boolean over() {
        return endedSides.get() >= 2;
    }

    void sideConnected(long now) {
        if (connectedSides.incrementAndGet() == 2) {
            connected = true;
            stats.callsConnected.increment();
            if (!relayCall && acceptIntended != 0) {
                stats.acceptToConnected.recordNanos(now - acceptIntended);
            }
        }
    }

    void sideEnded() {
        if (endedSides.incrementAndGet() == 2) {
            stats.callsEnded.increment();
            calls.forget(this);
        }
    }

    /**
     * The request or call is gone without a {@code call_ended}: a new session's state no longer has it
     * (the server restarted and ended its calls, or the session could not be resumed).
     */
    void endedWithoutNotice() {
        if (endedSides.getAndSet(2) < 2) {
            if (connected) {
                stats.callsEnded.increment();
            }
            stats.callsCut.increment();
            calls.forget(this);
        }
    }

    /** Sends a signal from one party on its loop, queueing its intended time for the receiver. */
    void signal(boolean fromAdvisor, long intended, String text) {
        if (hangingUp || endedSides.get() > 0) {
            return;
        }
        Client from = fromAdvisor ? advisor : expert;
        (fromAdvisor ? toExpert : toAdvisor).add(intended);
        from.send(text);
    }

    void received(boolean atAdvisor, long now) {
        Long t = (atAdvisor ? toAdvisor : toExpert).poll();
        if (t == null) {
            stats.error("signal_unmatched");
            return;
        }
        Stats.Latency r = relayCall ? relayRecorder : stats.relayInCalls;
        if (r != null) {
            r.recordNanos(now - t);
        }
    }
}
