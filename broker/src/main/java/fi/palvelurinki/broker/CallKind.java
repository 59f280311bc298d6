package fi.palvelurinki.broker;

/** Instant calls join the ring's queue now; booked calls were agreed in advance and outrank them when due. */
public enum CallKind {
    INSTANT, BOOKED
}
