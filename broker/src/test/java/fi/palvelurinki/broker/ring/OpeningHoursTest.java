package fi.palvelurinki.broker.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fi.palvelurinki.broker.BrokerException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class OpeningHoursTest {
    static Instant helsinki(String local) {
        return LocalDateTime.parse(local).atZone(OpeningHours.ZONE).toInstant();
    }

    @Test
    void weeklyHoursInFinnishLocalTimeAcrossDaylightSaving() {
        OpeningHours h = OpeningHours.parse("mon-fri 08:00-16:00; sat 10:00-14:00");
        // Winter (UTC+2) and summer (UTC+3): 08:00 local either way.
        assertThat(h.isOpen(helsinki("2026-01-13T08:00"))).isTrue();
        assertThat(h.isOpen(helsinki("2026-01-13T07:59"))).isFalse();
        assertThat(h.isOpen(helsinki("2026-07-14T08:00"))).isTrue();
        assertThat(h.isOpen(helsinki("2026-07-14T16:00"))).as("closing time is exclusive").isFalse();
        assertThat(h.isOpen(helsinki("2026-07-18T11:00"))).as("Saturday").isTrue();
        assertThat(h.isOpen(helsinki("2026-07-19T11:00"))).as("Sunday").isFalse();
        // Sunday 29 March 2026 the clocks go forward; Monday opens at 08:00 summer time.
        assertThat(h.nextOpening(helsinki("2026-03-28T15:00"))).contains(helsinki("2026-03-30T08:00"));
        assertThat(helsinki("2026-03-30T08:00")).isEqualTo(Instant.parse("2026-03-30T05:00:00Z"));
    }

    @Test
    void closedDatesAndTheNextOpening() {
        OpeningHours h = OpeningHours.parse("mon-fri 08:00-16:00; closed 2026-12-24 2026-12-25");
        assertThat(h.isOpen(helsinki("2026-12-24T09:00"))).isFalse();
        assertThat(h.nextOpening(helsinki("2026-12-23T17:00"))).contains(helsinki("2026-12-28T08:00"));
        assertThat(h.nextOpening(helsinki("2026-12-28T09:00"))).contains(helsinki("2026-12-28T09:00"));
        assertThat(h.windowsOn(LocalDate.parse("2026-12-24"))).isEmpty();
        assertThat(h.windowsOn(LocalDate.parse("2026-12-28"))).singleElement()
                .satisfies(w -> assertThat(w.end()).isEqualTo(helsinki("2026-12-28T16:00")));
    }

    @Test
    void theSpecRoundTripsToItsCanonicalForm() {
        OpeningHours h = OpeningHours.parse("MON-WED 08:00-11:30,12:00-16:00 ; fri 09:00-24:00; closed 2026-05-01");
        assertThat(h.spec()).isEqualTo("mon 08:00-11:30,12:00-16:00; tue 08:00-11:30,12:00-16:00; "
                + "wed 08:00-11:30,12:00-16:00; fri 09:00-24:00; closed 2026-05-01");
        assertThat(OpeningHours.parse(h.spec())).isEqualTo(h);
        assertThat(OpeningHours.parse("always").isOpen(Instant.EPOCH)).isTrue();
        assertThat(h.isOpen(helsinki("2026-11-27T23:59"))).as("until midnight").isTrue();
    }

    @Test
    void badSpecsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> OpeningHours.parse("mon-fri 16:00-08:00")).isInstanceOf(BrokerException.class)
                .hasMessageContaining("end before they start");
        assertThatThrownBy(() -> OpeningHours.parse("mon-fri 08:00-12:00,11:00-16:00"))
                .hasMessageContaining("overlapping hours on mon");
        assertThatThrownBy(() -> OpeningHours.parse("maa 08:00-16:00")).hasMessageContaining("unknown day 'maa'");
        assertThatThrownBy(() -> OpeningHours.parse("mon 8-16")).hasMessageContaining("expected HH:MM-HH:MM");
        assertThatThrownBy(() -> OpeningHours.parse("closed 2026-12-24")).hasMessageContaining("no opening hours");
        assertThatThrownBy(() -> OpeningHours.parse("fri-mon 08:00-16:00")).hasMessageContaining("runs backwards");
        assertThatThrownBy(() -> OpeningHours.parse("mon 08:00-16:00; closed 24.12.2026"))
                .hasMessageContaining("expected YYYY-MM-DD");
    }
}
