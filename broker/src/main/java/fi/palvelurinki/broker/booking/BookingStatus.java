package fi.palvelurinki.broker.booking;

/**
 * A booking's life: CONFIRMED (durable in the journal; a command is never half-done, so there is no
 * separate REQUESTED state), RESCHEDULED (confirmed at a new time), STARTED (the booked call is
 * connected), then COMPLETED, CANCELLED or NO_SHOW.
 */
public enum BookingStatus {
    CONFIRMED, RESCHEDULED, STARTED, COMPLETED, CANCELLED, NO_SHOW;

    /** Still holds its slot, room and experts. */
    public boolean holdsSlot() {
        return this == CONFIRMED || this == RESCHEDULED || this == STARTED;
    }

    public boolean terminal() {
        return this == COMPLETED || this == CANCELLED || this == NO_SHOW;
    }
}
