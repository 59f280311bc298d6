package fi.palvelurinki.broker.analytics;

import java.time.Duration;

/**
 * One group's booking figures (definitions in {@code docs/metrics.md}), bookings attributed by their
 * slot's start. Minutes are fractional.
 *
 * @param bookings          bookings whose slot starts in the period: completed + no-shows + cancelled + open
 * @param open              not yet completed, a no-show or cancelled when the journal ends
 * @param rescheduled       reschedules of these bookings (a booking moved twice counts twice)
 * @param lateCancelled     cancellations with less than {@link JournalAnalyzer#LATE_CANCEL_NOTICE} notice
 * @param meanNotice        mean notice of the cancellations; null without any
 * @param bookedMinutes     slot lengths of the completed bookings and the no-shows
 * @param usedMinutes       talk time of the completed bookings' calls
 * @param wasteMinutes      per booking, booked − used when positive, summed
 * @param advisorLate       booked calls the point started more than {@link JournalAnalyzer#LATE_TOLERANCE} late
 * @param meanAdvisorLate   mean lateness of those; null without any
 * @param expertLate        booked calls the expert answered more than the tolerance after the point was ready
 * @param endedEarly        completed bookings that ended more than the tolerance before the slot's end
 * @param freedMinutes      slot time left after an early end or a no-show
 * @param backfilledMinutes freed time spent on instant calls by the booking's expert (the ring's for a pooled no-show)
 * @param fromHome          bookings from home (the rest are at a service point)
 * @param noShowsCustomer   bookings from home whose customer never came into the waiting room within the grace
 * @param customerLate      bookings from home whose customer joined more than the tolerance after the slot's start
 * @param meanCustomerLate  mean lateness of those; null without any
 * @param cameraFailures    failed device checks of home customers: camera denied or missing
 * @param microphoneFailures failed device checks: microphone denied or missing
 */
public record BookingRow(Dimension dimension, String key, String label, long bookings, long completed,
        long noShowsPoint, long noShowsExpert, long cancelled, long lateCancelled, Duration meanNotice, long rescheduled,
        long open, double bookedMinutes, double usedMinutes, double wasteMinutes, long advisorLate,
        Duration meanAdvisorLate, long expertLate, Duration meanExpertLate, long endedEarly, double freedMinutes,
        double backfilledMinutes, long fromHome, long noShowsCustomer, long customerLate, Duration meanCustomerLate,
        long cameraFailures, long microphoneFailures) {

    public long noShows() {
        return noShowsPoint + noShowsExpert + noShowsCustomer;
    }

    /** Bookings at a service point: all but those from home. */
    public long atPoint() {
        return bookings - fromHome;
    }

    /** No-shows / (completed + no-shows): of the bookings that came due; NaN without any. */
    public double noShowRate() {
        long due = completed + noShows();
        return due == 0 ? Double.NaN : (double) noShows() / due;
    }

    /** Backfilled / freed minutes; NaN when nothing was freed. */
    public double backfillRate() {
        return freedMinutes == 0 ? Double.NaN : backfilledMinutes / freedMinutes;
    }
}
