package fi.palvelurinki.broker.analytics;

import java.time.Duration;

/**
 * Experts' time by presence, and what happened to the offers made to them.
 *
 * @param covered   length of the period this row covers (for an hour of the day, every such hour in the
 *                  period), so that {@link #meanSignedIn()} is the mean number of experts signed in
 * @param idle      AVAILABLE with no offer or call
 * @param ringing   OFFERED: an offer was ringing
 * @param talk      IN_CALL
 * @param wrapUp    WRAP_UP
 * @param away      AWAY: signed in but on a break (not counted as signed-in time)
 * @param missed    offers that rang out unanswered
 * @param withdrawn offers ended by someone else: the advisor cancelled, the expert left, a restart
 */
public record TimeFigures(Duration covered, Duration idle, Duration ringing, Duration talk, Duration wrapUp,
        Duration away, long offers, long accepted, long declined, long missed, long withdrawn) {

    /** Idle + ringing + talk + wrap-up: working for the ring, whether busy or not. */
    public Duration signedIn() {
        return idle.plus(ringing).plus(talk).plus(wrapUp);
    }

    public Duration handle() {
        return talk.plus(wrapUp);
    }

    /** Handle / (handle + idle); NaN when neither happened. Ringing is counted apart, in neither. */
    public double occupancy() {
        return ratio(handle(), handle().plus(idle));
    }

    /** Handle / signed-in time; NaN when nobody was signed in. */
    public double utilization() {
        return ratio(handle(), signedIn());
    }

    /** Mean number of experts signed in over {@link #covered()}. */
    public double meanSignedIn() {
        return ratio(signedIn(), covered);
    }

    private static double ratio(Duration part, Duration whole) {
        return whole.isZero() ? Double.NaN : (double) part.toMillis() / whole.toMillis();
    }
}
