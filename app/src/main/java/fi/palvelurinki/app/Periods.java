package fi.palvelurinki.app;

import fi.palvelurinki.broker.ring.OpeningHours;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;

/**
 * Reads the bounds of a period as people write them, in Finnish time: a date ({@code 2026-11-01}), a
 * local date and time ({@code 2026-11-01T08:00}), or an instant with its offset ({@code 2026-11-01T06:00Z}).
 * A date as the end of a period includes that whole day.
 */
final class Periods {
    private Periods() {}

    static Instant start(String text) {
        return parse(text, false);
    }

    static Instant end(String text) {
        return parse(text, true);
    }

    private static Instant parse(String text, boolean end) {
        String t = text.strip();
        try {
            if (t.length() == 10) {
                LocalDate d = LocalDate.parse(t);
                return (end ? d.plusDays(1) : d).atStartOfDay(OpeningHours.ZONE).toInstant();
            }
            if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return java.time.OffsetDateTime.parse(t).toInstant();
            }
            return LocalDateTime.parse(t).atZone(OpeningHours.ZONE).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("cannot read time '" + text + "'; write a date (2026-11-01), a Finnish local"
                    + " time (2026-11-01T08:00) or an instant (2026-11-01T06:00Z)");
        }
    }
}
