package fi.palvelurinki.broker;

/** Why a request left the queue without being answered. */
public enum AbandonReason {
    /** The advisor cancelled (the customer left, the matter was solved otherwise…). */
    CANCELLED,
    /** The point's connection was gone for longer than the grace period. */
    POINT_DISCONNECTED,
    /** A call-back whose point did not answer the configured number of times. */
    CALLBACK_FAILED,
    /** A second authority asked for during a call that ended before anyone joined. */
    CALL_ENDED
}
