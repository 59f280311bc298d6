package fi.palvelurinki.broker;

/** Who or what ended a call. */
public enum CallEndReason {
    ADVISOR_HUNG_UP,
    EXPERT_HUNG_UP,
    ADVISOR_DISCONNECTED,
    EXPERT_DISCONNECTED,
    /** The broker restarted while the call was in progress; the end time is the restart. */
    BROKER_RESTART,
    /** The parties' media stayed lost (ICE failed, network gone) past {@code media.recoveryTimeout}. */
    MEDIA_LOST
}
