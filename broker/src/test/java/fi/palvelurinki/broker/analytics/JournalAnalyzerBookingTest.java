package fi.palvelurinki.broker.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fi.palvelurinki.broker.journal.JournalReader;
import fi.palvelurinki.broker.testing.BookingJournal;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every expected figure is worked out by hand from the timeline in {@link BookingJournal}. */
class JournalAnalyzerBookingTest {
    static final Instant TEN = Instant.parse("2026-11-24T08:00:00Z");

    @TempDir
    static Path dir;
    static JournalAnalysis whole;

    @BeforeAll
    static void writeJournal() throws IOException {
        BookingJournal.write(dir);
        whole = analyze(AnalysisOptions.defaults());
    }

    static JournalAnalysis analyze(AnalysisOptions o) throws IOException {
        return JournalAnalyzer.analyze(dir.resolve("journal"), o, JournalReader.Progress.NONE);
    }

    static BookingRow row(JournalAnalysis a, Dimension d, String key) {
        return a.bookings(d).stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void everyBookingIsCountedByItsOutcome() {
        BookingRow t = whole.bookings(Dimension.TOTAL).get(0);
        assertThat(List.of(t.bookings(), t.completed(), t.noShowsPoint(), t.noShowsExpert(), t.cancelled(), t.open()))
                .as("b1, b2, b4 completed; b3 the point's no-show; b5 cancelled; b6 open")
                .containsExactly(6L, 3L, 1L, 0L, 1L, 1L);
        assertThat(t.noShowRate()).as("1 of the 4 that came due").isEqualTo(0.25);
        assertThat(t.rescheduled()).as("b6").isEqualTo(1);
        assertThat(t.lateCancelled()).as("b5, 20 min before its slot").isEqualTo(1);
        assertThat(t.meanNotice()).isEqualTo(Duration.ofMinutes(20));
    }

    @Test
    void wasteIsBookedMinusUsedMinutes() {
        BookingRow t = whole.bookings(Dimension.TOTAL).get(0);
        assertThat(t.bookedMinutes()).as("b1, b2, b3, b4: 4 × 30").isEqualTo(120.0);
        assertThat(t.usedMinutes()).as("30 + 10 + 0 + 26").isEqualTo(66.0);
        assertThat(t.wasteMinutes()).as("0 + 20 + 30 + 4").isEqualTo(54.0);
    }

    @Test
    void lateStartsAndEarlyEndsBeyondTheTolerance() {
        BookingRow t = whole.bookings(Dimension.TOTAL).get(0);
        assertThat(t.advisorLate()).as("every point started on time").isZero();
        assertThat(t.meanAdvisorLate()).isNull();
        assertThat(t.expertLate()).as("b4").isEqualTo(1);
        assertThat(t.meanExpertLate()).isEqualTo(Duration.ofMinutes(4));
        assertThat(t.endedEarly()).as("b2; b1 and b4 ended at the slot's end").isEqualTo(1);
    }

    @Test
    void backfillIsInstantCallTimeInFreedBookedTime() {
        BookingRow t = whole.bookings(Dimension.TOTAL).get(0);
        assertThat(t.freedMinutes()).as("b2 11:10-11:30, b3 12:40-13:00").isEqualTo(40.0);
        assertThat(t.backfilledMinutes()).as("e1's instant calls 11:12-11:18 (talk + wrap-up; not the booked one at "
                + "11:20) and 12:42-12:46 in b3's freed time").isEqualTo(10.0);
        assertThat(t.backfillRate()).isCloseTo(10 / 40.0, within(1e-12));
        BookingRow eleven = row(whole, Dimension.HOUR_OF_DAY, "11");
        assertThat(List.of(eleven.freedMinutes(), eleven.backfilledMinutes())).containsExactly(20.0, 6.0);
        assertThat(row(whole, Dimension.HOUR_OF_DAY, "12").backfillRate()).as("b3: 4 of 20 min, by the ring's expert")
                .isCloseTo(0.2, within(1e-12));
    }

    @Test
    void bookingsBelongToTheirRingPointServiceExpertAndSlotTime() {
        assertThat(row(whole, Dimension.RING, "te").bookings()).isEqualTo(6);
        assertThat(row(whole, Dimension.AUTHORITY, "te").label()).isEqualTo("TE-palvelut");
        assertThat(row(whole, Dimension.SERVICE, "visit").label()).isEqualTo("TE visit");
        BookingRow mikkeli = row(whole, Dimension.POINT, "mikkeli");
        assertThat(List.of(mikkeli.bookings(), mikkeli.completed(), mikkeli.open())).containsExactly(4L, 3L, 1L);
        BookingRow parainen = row(whole, Dimension.POINT, "parainen");
        assertThat(List.of(parainen.bookings(), parainen.noShowsPoint(), parainen.cancelled())).containsExactly(2L, 1L, 1L);
        BookingRow e1 = row(whole, Dimension.EXPERT, "e1");
        assertThat(e1.label()).isEqualTo("Eeva");
        assertThat(e1.bookings()).as("b1, b2, b4 and b6 name e1; b3 and b5 were pooled and never answered").isEqualTo(4);
        assertThat(List.of(e1.bookedMinutes(), e1.usedMinutes(), e1.wasteMinutes(), e1.backfilledMinutes()))
                .containsExactly(90.0, 66.0, 24.0, 6.0);
        assertThat(whole.bookings(Dimension.HOUR_OF_DAY)).extracting(BookingRow::key)
                .as("by slot start; b6 moved to 15:30").containsExactly("10", "11", "12", "13", "14", "15");
        assertThat(row(whole, Dimension.DAY, "2026-11-24").bookings()).isEqualTo(6);
        assertThat(row(whole, Dimension.MONTH, "2026-11").bookedMinutes()).isEqualTo(120.0);
    }

    @Test
    void aPeriodTakesTheBookingsWhoseSlotStartsInIt() throws IOException {
        JournalAnalysis noon = analyze(AnalysisOptions.defaults().withPeriod(TEN.plusSeconds(3600), TEN.plusSeconds(4 * 3600)));
        BookingRow t = noon.bookings(Dimension.TOTAL).get(0);
        assertThat(List.of(t.bookings(), t.completed(), t.noShowsPoint())).as("b2, b3, b4").containsExactly(3L, 2L, 1L);
        assertThat(t.backfilledMinutes()).isEqualTo(10.0);
        JournalAnalysis before = analyze(AnalysisOptions.defaults().withPeriod(TEN, TEN.plusSeconds(1800)));
        assertThat(before.hasBookings()).as("10:00-10:30: no slot starts").isFalse();
    }
}
