package fi.palvelurinki.broker.booking;

/** Whose side was absent when a booked call did not happen. */
public enum NoShowSide {
    /** Nobody started the call at the point within the grace period: the customer did not come. */
    POINT,
    /** The point started the call but no expert answered before the customer gave up. */
    EXPERT,
    /** A booking from home whose customer never came into the waiting room within the grace period. */
    CUSTOMER
}
