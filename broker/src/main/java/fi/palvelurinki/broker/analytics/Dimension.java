package fi.palvelurinki.broker.analytics;

/** How figures are grouped. Hours, days and months are Finnish local time. */
public enum Dimension {
    /** Everything in the period: one row. */
    TOTAL,
    /** Requests by the ring they were queued in (also when another ring answered after overflow); calls and
     * offers by the ring the expert answered for; expert time by every ring the expert belongs to. */
    RING,
    AUTHORITY,
    /** Requests, calls and bookings by the service point that made them; experts' time has no point. */
    POINT,
    /** Calls, offers and time of one expert; requests have no expert until answered. Bookings: the named expert,
     * or who answered a pooled booking's call. */
    EXPERT,
    /** Bookable service: bookings only. */
    SERVICE,
    HOUR_OF_DAY,
    DAY,
    MONTH
}
