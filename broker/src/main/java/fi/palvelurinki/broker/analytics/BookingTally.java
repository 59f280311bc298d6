package fi.palvelurinki.broker.analytics;

import java.time.Duration;

/** Everything counted about bookings for one row while the journal is read. */
final class BookingTally {
    private static final double MINUTE_MILLIS = 60_000.0;

    long completed;
    long noShowsPoint;
    long noShowsExpert;
    long cancelled;
    long lateCancelled;
    long noticeMillis;
    long rescheduled;
    long open;
    long bookedMillis;
    long usedMillis;
    long wasteMillis;
    long advisorLate;
    long advisorLateMillis;
    long expertLate;
    long expertLateMillis;
    long endedEarly;
    long freedMillis;
    long backfilledMillis;
    long fromHome;
    long noShowsCustomer;
    long customerLate;
    long customerLateMillis;
    long cameraFailures;
    long microphoneFailures;

    BookingRow row(Dimension d, String key, String label) {
        return new BookingRow(d, key, label, completed + noShowsPoint + noShowsExpert + noShowsCustomer + cancelled + open,
                completed,
                noShowsPoint, noShowsExpert, cancelled, lateCancelled, mean(noticeMillis, cancelled), rescheduled, open,
                bookedMillis / MINUTE_MILLIS, usedMillis / MINUTE_MILLIS, wasteMillis / MINUTE_MILLIS, advisorLate,
                mean(advisorLateMillis, advisorLate), expertLate, mean(expertLateMillis, expertLate), endedEarly,
                freedMillis / MINUTE_MILLIS, backfilledMillis / MINUTE_MILLIS, fromHome, noShowsCustomer, customerLate,
                mean(customerLateMillis, customerLate), cameraFailures, microphoneFailures);
    }

    private static Duration mean(long millis, long count) {
        return count == 0 ? null : Duration.ofMillis(Math.round((double) millis / count));
    }
}
