package fi.palvelurinki.broker.analytics;

import java.time.DayOfWeek;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * How many experts a ring needs in one hour of the week, from the arrivals and handle times recorded in
 * that hour (Erlang C: the conservative answer, as few abandons give no reliable patience estimate).
 *
 * @param hoursObserved  how many such hours the period holds (e.g. 4 Tuesdays 9-10 in a month)
 * @param arrivals       requests queued in those hours
 * @param ahtSeconds     handle time used: the hour's own mean when it had at least
 *                       {@link #MIN_CALLS_FOR_OWN_AHT} calls, else the ring's mean over the period, else the
 *                       ring's configured expected handle time ({@link #ahtBasis})
 * @param thresholdSeconds the ring's configured service-level threshold
 * @param recommended    fewest experts reaching {@code target} within the threshold
 * @param expectedServiceLevel what {@code recommended} experts are expected to achieve
 * @param meanSignedIn   experts signed in on average during those hours (what the ring had)
 * @param occupancy      handle / (handle + idle) of the ring's experts in those hours; NaN if nobody worked
 * @param measuredServiceLevel SL(threshold) recorded in those hours; NaN if nothing counts
 */
public record Recommendation(String ringId, String ringName, DayOfWeek day, int hour, double hoursObserved,
        long arrivals, double ahtSeconds, String ahtBasis, double thresholdSeconds, double target, int recommended,
        double expectedServiceLevel, double meanSignedIn, double occupancy, double measuredServiceLevel) {

    public static final int MIN_CALLS_FOR_OWN_AHT = 10;

    public double arrivalsPerHour() {
        return arrivals / hoursObserved;
    }

    /** e.g. "Kela ring, Tuesdays 9–10: 4 experts for 80 % in 60 s; you had 6.0, occupancy 41 %". */
    public String sentence() {
        String days = day.getDisplayName(TextStyle.FULL, Locale.ENGLISH) + "s";
        String had = String.format(Locale.ROOT, "%.1f", meanSignedIn);
        String occ = Double.isNaN(occupancy) ? "no handle or idle time"
                : "occupancy " + Math.round(occupancy * 100) + " %";
        return String.format(Locale.ROOT, "%s, %s %d–%d: %d expert%s for %d %% in %s s; you had %s, %s",
                ringName, days, hour, hour + 1, recommended, recommended == 1 ? "" : "s", Math.round(target * 100),
                Formats.number(thresholdSeconds), had, occ);
    }
}
