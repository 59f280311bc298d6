package fi.palvelurinki.broker;

/**
 * Typed reasons a command is refused. The signaling edge maps each one to a protocol error code
 * (its {@link #wireName()}), so the set is part of the public contract.
 */
public enum ErrorCode {
    INVALID_ARGUMENT,
    UNKNOWN_AUTHORITY,
    UNKNOWN_RING,
    UNKNOWN_EXPERT,
    UNKNOWN_POINT,
    UNKNOWN_ADVISOR,
    UNKNOWN_REQUEST,
    UNKNOWN_CALL,
    UNKNOWN_SERVICE,
    UNKNOWN_BOOKING,
    SLOT_TAKEN,
    BOOKING_CLOSED,
    RING_CLOSED,
    TOPIC_NOT_OFFERED,
    LANGUAGE_NOT_OFFERED,
    ILLEGAL_TRANSITION,
    NO_SUCH_OFFER,
    NOT_A_PARTY,
    ALREADY_CONNECTED,
    CAPACITY_EXCEEDED,
    OVERLOADED,
    UNAVAILABLE,
    INTERNAL;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
