package fi.palvelurinki.broker.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.booking.BookableService;
import fi.palvelurinki.broker.booking.Booking;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.journal.JournalReader;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.RingConfig;
import fi.palvelurinki.broker.testing.JournalScript;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's home figures (issue 16): from a journal of one booking at a point and two from home, one
 * whose customer joined 3 min late after a failed camera check, and one whose customer never came.
 */
class HomeBookingReportTest {
    @TempDir
    Path dir;

    private static long book(JournalScript s, long secondsAfterTen, boolean fromHome) {
        return ((Reply.BookingView) s.submit(new Command.Book("anna", "te", "visit", s.start().plusSeconds(secondsAfterTen),
                Language.FI, "e1", "", fromHome))).booking().id();
    }

    @Test
    void homeAndPointBookingsLateJoinsNoShowsAndDeviceChecksPerAuthorityAndMonth() throws IOException {
        try (JournalScript s = new JournalScript(dir)) {
            s.authority("te", "TE-palvelut")
                    .ring(RingConfig.builder("te", "te").name("TE").wrapUp(Duration.ZERO).build())
                    .point("mikkeli", "Mikkeli Asiointipiste", "Mikkeli").advisor("anna", "mikkeli").expert("e1", "Eeva", "te");
            s.submit(new Command.DefineService(new BookableService("visit", "te", "TE visit", "general",
                    Duration.ofMinutes(30), Duration.ZERO, Duration.ZERO, Duration.ofDays(1), Duration.ZERO,
                    Duration.ofMinutes(10)), "test"));
            s.presence("e1", Presence.AVAILABLE);
            book(s, 1800, false);
            long late = book(s, 3600, true);
            book(s, 5400, true);
            s.at(3600 + 120).submit(new Command.ReportDeviceCheck(late, 0, "camera_denied"));
            s.at(3600 + 180);
            long request = ((Reply.Queued) s.submit(new Command.CustomerJoin(late, 0))).requestId();
            long call = s.accept("e1", request);
            s.at(3600 + 1500).hangUp(Booking.customerId(late), call);
            s.at(5400 + 900);
        }
        JournalAnalysis a = JournalAnalyzer.analyze(dir.resolve("journal"), AnalysisOptions.defaults(),
                JournalReader.Progress.NONE);
        for (Dimension d : List.of(Dimension.TOTAL, Dimension.AUTHORITY, Dimension.MONTH)) {
            BookingRow r = a.bookings(d).get(0);
            assertThat(List.of(r.bookings(), r.atPoint(), r.fromHome(), r.noShowsCustomer(), r.customerLate(),
                    r.cameraFailures(), r.microphoneFailures())).as(d.name())
                    .containsExactly(3L, 1L, 2L, 1L, 1L, 1L, 0L);
            assertThat(r.meanCustomerLate()).isEqualTo(Duration.ofMinutes(3));
        }
        assertThat(a.bookings(Dimension.AUTHORITY).get(0).key()).isEqualTo("te");
        assertThat(a.bookings(Dimension.MONTH).get(0).key()).isEqualTo("2026-11");
        String html = HtmlReport.render(a, ReportTables.of(a));
        assertThat(html).contains("From home: 2 of 3 bookings; 1 customer no-shows, 1 late joins; failed device checks:"
                + " 1 camera, 0 microphone.").contains("no-shows customer (home)").contains("late joins customer");
    }
}
