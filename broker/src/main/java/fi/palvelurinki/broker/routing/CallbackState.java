package fi.palvelurinki.broker.routing;

import java.time.Instant;

/** A call-back while its request is active. Written only by {@link CallbacksPart}; the queue part reads it. */
final class CallbackState {
    final long requestId;
    final boolean ringAllAdvisors;
    /** Rings of the point that were not answered. */
    int unanswered;
    /** Not offered to an expert before this; null when no retry is pending. */
    Instant retryAt;
    TimerQueue.Timer retryTimer;
    /** While the point is rung: the expert waiting, since when, until when, and which attempt this is. */
    ExpertState callingExpert;
    RingState callingVia;
    Instant ringingSince;
    Instant ringUntil;
    int attempt;
    TimerQueue.Timer ringTimer;
    /** The point's pages were told it rings, and must be told when it stops (not journaled: nobody survives a restart). */
    boolean told;

    CallbackState(long requestId, boolean ringAllAdvisors) {
        this.requestId = requestId;
        this.ringAllAdvisors = ringAllAdvisors;
    }

    boolean calling() {
        return callingExpert != null;
    }
}
