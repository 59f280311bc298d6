package fi.palvelurinki.broker;

/** Who or what ended a call. */
public enum CallEndReason {
    ADVISOR_HUNG_UP,
    EXPERT_HUNG_UP,
    ADVISOR_DISCONNECTED,
    EXPERT_DISCONNECTED,
    /**
     * Written by versions before December 2026, whose recovery ended calls in progress at a restart; still
     * read from their journals. Calls now go on through a restart (docs/journal.md, Recovery).
     */
    BROKER_RESTART,
    /** The parties' media stayed lost (ICE failed, network gone) past {@code media.recoveryTimeout}. */
    MEDIA_LOST
}
