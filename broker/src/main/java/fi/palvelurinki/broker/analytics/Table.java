package fi.palvelurinki.broker.analytics;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A table of the report, the same for the HTML page and its CSV file: typed cells, each column
 * formatted for people in HTML and for programs in CSV.
 *
 * @param name file stem of the CSV export ({@code by_ring} → {@code by_ring.csv})
 */
public record Table(String name, String title, List<Column> columns, List<List<Object>> rows) {

    public enum Kind {
        /** String. */
        TEXT,
        /** Long. */
        COUNT,
        /** Duration of a wait or a call: CSV seconds, HTML m:ss. */
        SECONDS,
        /** Duration summed over many: CSV hours, HTML hours. */
        HOURS,
        /** Double in 0..1: CSV 4 decimals, HTML percent. */
        FRACTION,
        /** Double: CSV 3 decimals, HTML 1 decimal. */
        NUMBER
    }

    /** @param name the CSV header, also its unit ({@code asa_s}, {@code idle_h}) */
    public record Column(String name, String heading, Kind kind) {}

    public Table {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        for (List<Object> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("table " + name + ": a row has " + row.size() + " cells for "
                        + columns.size() + " columns");
            }
        }
    }

    /** Empty for a missing value (null, NaN). */
    static String csv(Kind kind, Object v) {
        if (v == null || (v instanceof Double d && d.isNaN())) {
            return "";
        }
        return switch (kind) {
            case TEXT -> v.toString();
            case COUNT -> Long.toString((Long) v);
            case SECONDS -> Formats.seconds((Duration) v);
            case HOURS -> Formats.decimal(((Duration) v).toMillis() / 3_600_000.0, 4);
            case FRACTION -> Formats.decimal((Double) v, 4);
            case NUMBER -> Formats.decimal((Double) v, 3);
        };
    }

    /** "–" for a missing value. */
    static String display(Kind kind, Object v) {
        if (v == null || (v instanceof Double d && d.isNaN())) {
            return "–";
        }
        return switch (kind) {
            case TEXT -> v.toString();
            case COUNT -> String.format(Locale.ROOT, "%,d", (Long) v);
            case SECONDS -> Formats.clock((Duration) v);
            case HOURS -> Formats.hours((Duration) v);
            case FRACTION -> Formats.percent((Double) v);
            case NUMBER -> String.format(Locale.ROOT, "%.1f", (Double) v);
        };
    }

    /** The value a browser sorts by: a number for numeric columns. */
    static String sortKey(Kind kind, Object v) {
        if (kind == Kind.TEXT) {
            return v == null ? "" : v.toString();
        }
        String raw = csv(kind, v);
        return raw.isEmpty() ? "-1e300" : raw;
    }
}
