package fi.palvelurinki.broker.analytics;

/**
 * A customer as the simulator sees one.
 *
 * @param at              arrival, seconds since the epoch
 * @param handleSeconds   talk + wrap-up once answered
 * @param patienceSeconds how long they would wait before giving up; {@code +∞}: for ever
 * @param booked          a booked call: served before instant calls, and holds the expert for the whole
 *                        booked slot when the simulation is given one
 */
public record Arrival(double at, double handleSeconds, double patienceSeconds, boolean booked) {}
