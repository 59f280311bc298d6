package fi.palvelurinki.broker.analytics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;

/** Numbers as the reports print them: dot decimals whatever the machine's locale. */
public final class Formats {
    private Formats() {}

    /** Rounded to at most {@code decimals} places, without trailing zeros: 10, 0.1741, 7.8359. */
    public static String decimal(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("not a finite number: " + v);
        }
        String s = BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
        return s.equals("-0") ? "0" : s;
    }

    /** A whole number of seconds without decimals, others with up to three. */
    public static String number(double v) {
        return decimal(v, 3);
    }

    public static String seconds(Duration d) {
        return decimal(d.toMillis() / 1000.0, 3);
    }

    /** 0.4123 → "41.2 %". */
    public static String percent(double fraction) {
        return Double.isNaN(fraction) ? "–" : String.format(Locale.ROOT, "%.1f %%", fraction * 100);
    }

    /** 75 s → "1:15", 3725 s → "1:02:05". */
    public static String clock(Duration d) {
        if (d == null) {
            return "–";
        }
        long s = Math.round(d.toMillis() / 1000.0);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** Hours with one decimal: 5400 s → "1.5". */
    public static String hours(Duration d) {
        return String.format(Locale.ROOT, "%.1f", d.toMillis() / 3_600_000.0);
    }
}
