package fi.palvelurinki.broker.analytics;

import fi.palvelurinki.broker.journal.JournalDamage;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Efficiency figures computed from a journal for a period.
 *
 * @param from     start of the period actually covered: the later of the asked start and the journal's first
 *                 event; null when the journal has no event in the period
 * @param to       end of the period actually covered: the earlier of the asked end and the journal's last event
 * @param events   journal events read
 * @param rows     figures per dimension, each list sorted by key
 * @param contacts remote-service contacts per authority, point and month
 * @param staffing recommendations per ring and hour of the week with arrivals
 * @param waits    wait-time distribution of the period's requests
 * @param bookings booking figures per dimension, each list sorted by key; empty lists when no booking's slot
 *                 starts in the period
 * @param quality  call quality per service point and hour of the day, by point
 * @param outcomes first-contact resolution from the experts' recorded outcomes: all, per ring, topic and point
 * @param changes  changes of rings' settings and experts' rings made in the period (not by the configuration file)
 * @param callbacks call-backs per ring with any, then all rings; empty without call-backs
 * @param interpreters interpreter waits, joint-decision holds, interpreters' utilization and calls with an
 *                 interpreter or of three or four parties
 * @param unread   the parts of the journal that could not be read (damage, and an unfinished last write):
 *                 the figures leave out their events
 */
public record JournalAnalysis(AnalysisOptions options, Instant from, Instant to, long events,
        Map<Dimension, List<FigureRow>> rows, List<ContactRow> contacts, List<Recommendation> staffing,
        List<WaitBucket> waits, Map<Dimension, List<BookingRow>> bookings, List<QualityRow> quality,
        List<OutcomeRow> outcomes, List<ChangeRow> changes, List<CallbackRow> callbacks, InterpreterFigures interpreters,
        List<JournalDamage> unread) {

    public JournalAnalysis(AnalysisOptions options, Instant from, Instant to, long events,
            Map<Dimension, List<FigureRow>> rows, List<ContactRow> contacts, List<Recommendation> staffing,
            List<WaitBucket> waits, Map<Dimension, List<BookingRow>> bookings) {
        this(options, from, to, events, rows, contacts, staffing, waits, bookings, List.of(), List.of(), List.of(),
                List.of(), InterpreterFigures.NONE, List.of());
    }

    public JournalAnalysis withUnread(List<JournalDamage> parts) {
        return new JournalAnalysis(options, from, to, events, rows, contacts, staffing, waits, bookings, quality,
                outcomes, changes, callbacks, interpreters, List.copyOf(parts));
    }

    /** The damage the figures leave out (not an unfinished last write, which was never acknowledged). */
    public List<JournalDamage> damage() {
        return unread.stream().filter(d -> !d.torn()).toList();
    }

    public List<FigureRow> rows(Dimension d) {
        return rows.getOrDefault(d, List.of());
    }

    public FigureRow total() {
        return rows(Dimension.TOTAL).get(0);
    }

    public List<BookingRow> bookings(Dimension d) {
        return bookings.getOrDefault(d, List.of());
    }

    /** Some booking's slot starts in the period. */
    public boolean hasBookings() {
        return !bookings(Dimension.TOTAL).isEmpty();
    }

    public boolean empty() {
        return from == null;
    }
}
