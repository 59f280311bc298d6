package fi.palvelurinki.broker.ring;

import fi.palvelurinki.broker.BrokerException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Weekly opening hours in Finnish local time (Europe/Helsinki, daylight saving included), with
 * dates on which the ring is closed (public holidays).
 *
 * <p>Written as a spec such as {@code "mon-fri 08:00-16:00; sat 10:00-14:00; closed 2026-12-24 2026-12-25"}
 * or {@code "always"}; {@link #spec()} gives back the canonical form, which the journal stores.
 */
public final class OpeningHours {
    public static final ZoneId ZONE = ZoneId.of("Europe/Helsinki");
    private static final String[] DAY_NAMES = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

    /** A half-open interval [from, to) within one day; {@code to} 24:00 is written as 24:00. */
    public record Interval(LocalTime from, LocalTime to, boolean untilMidnight) {
        boolean contains(LocalTime t) {
            return !t.isBefore(from) && (untilMidnight || t.isBefore(to));
        }
    }

    private final boolean always;
    private final Map<DayOfWeek, List<Interval>> week;
    private final SortedSet<LocalDate> closed;

    private OpeningHours(boolean always, Map<DayOfWeek, List<Interval>> week, SortedSet<LocalDate> closed) {
        this.always = always;
        this.week = week;
        this.closed = closed;
    }

    public static OpeningHours always() {
        return new OpeningHours(true, Collections.emptyMap(), Collections.emptySortedSet());
    }

    public static OpeningHours parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw BrokerException.invalid("opening hours are required, e.g. 'mon-fri 08:00-16:00' or 'always'");
        }
        String trimmed = spec.strip().toLowerCase(Locale.ROOT);
        if (trimmed.equals("always")) {
            return always();
        }
        Map<DayOfWeek, List<Interval>> week = new EnumMap<>(DayOfWeek.class);
        SortedSet<LocalDate> closed = new TreeSet<>();
        for (String part : trimmed.split(";")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            String[] words = p.split("\\s+");
            if (words[0].equals("closed")) {
                for (int i = 1; i < words.length; i++) {
                    for (String d : words[i].split(",")) {
                        if (!d.isEmpty()) {
                            closed.add(parseDate(d, spec));
                        }
                    }
                }
                continue;
            }
            if (words.length != 2) {
                throw bad(spec, "'" + p + "' should be days and times, e.g. 'mon-fri 08:00-16:00'");
            }
            List<DayOfWeek> days = parseDays(words[0], spec);
            List<Interval> intervals = new ArrayList<>();
            for (String range : words[1].split(",")) {
                intervals.add(parseInterval(range, spec));
            }
            for (DayOfWeek d : days) {
                List<Interval> list = week.computeIfAbsent(d, k -> new ArrayList<>());
                list.addAll(intervals);
                list.sort((a, b) -> a.from().compareTo(b.from()));
                for (int i = 1; i < list.size(); i++) {
                    Interval prev = list.get(i - 1);
                    if (prev.untilMidnight() || list.get(i).from().isBefore(prev.to())) {
                        throw bad(spec, "overlapping hours on " + DAY_NAMES[d.ordinal()]);
                    }
                }
            }
        }
        if (week.isEmpty()) {
            throw bad(spec, "no opening hours given");
        }
        week.replaceAll((d, l) -> List.copyOf(l));
        return new OpeningHours(false, Collections.unmodifiableMap(week), Collections.unmodifiableSortedSet(closed));
    }

    private static List<DayOfWeek> parseDays(String s, String spec) {
        List<DayOfWeek> out = new ArrayList<>();
        for (String token : s.split(",")) {
            String[] range = token.split("-");
            if (range.length == 1) {
                out.add(day(range[0], spec));
            } else if (range.length == 2) {
                int from = day(range[0], spec).ordinal();
                int to = day(range[1], spec).ordinal();
                if (to < from) {
                    throw bad(spec, "day range '" + token + "' runs backwards");
                }
                for (int i = from; i <= to; i++) {
                    out.add(DayOfWeek.values()[i]);
                }
            } else {
                throw bad(spec, "cannot read days '" + token + "'");
            }
        }
        return out;
    }

    private static DayOfWeek day(String name, String spec) {
        for (int i = 0; i < DAY_NAMES.length; i++) {
            if (DAY_NAMES[i].equals(name)) {
                return DayOfWeek.values()[i];
            }
        }
        throw bad(spec, "unknown day '" + name + "', use mon tue wed thu fri sat sun");
    }

    private static Interval parseInterval(String s, String spec) {
        String[] ends = s.split("-");
        if (ends.length != 2) {
            throw bad(spec, "cannot read hours '" + s + "', expected HH:MM-HH:MM");
        }
        try {
            LocalTime from = LocalTime.parse(ends[0]);
            boolean midnight = ends[1].equals("24:00");
            LocalTime to = midnight ? LocalTime.MAX : LocalTime.parse(ends[1]);
            if (!midnight && !to.isAfter(from)) {
                throw bad(spec, "hours '" + s + "' end before they start");
            }
            return new Interval(from, to, midnight);
        } catch (DateTimeParseException e) {
            throw bad(spec, "cannot read time in '" + s + "', expected HH:MM-HH:MM");
        }
    }

    private static LocalDate parseDate(String s, String spec) {
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw bad(spec, "cannot read closed date '" + s + "', expected YYYY-MM-DD");
        }
    }

    private static BrokerException bad(String spec, String why) {
        return BrokerException.invalid("opening hours '" + spec.strip() + "': " + why);
    }

    public boolean isOpen(Instant at) {
        if (always) {
            return true;
        }
        ZonedDateTime local = at.atZone(ZONE);
        if (closed.contains(local.toLocalDate())) {
            return false;
        }
        for (Interval i : week.getOrDefault(local.getDayOfWeek(), List.of())) {
            if (i.contains(local.toLocalTime())) {
                return true;
            }
        }
        return false;
    }

    /** The next instant at or after {@code from} when the ring is open, if any within a year. */
    public Optional<Instant> nextOpening(Instant from) {
        if (always || isOpen(from)) {
            return Optional.of(from);
        }
        LocalDate date = from.atZone(ZONE).toLocalDate();
        for (int d = 0; d <= 370; d++, date = date.plusDays(1)) {
            if (closed.contains(date)) {
                continue;
            }
            for (Interval i : week.getOrDefault(date.getDayOfWeek(), List.of())) {
                Instant start = date.atTime(i.from()).atZone(ZONE).toInstant();
                if (!start.isBefore(from)) {
                    return Optional.of(start);
                }
            }
        }
        return Optional.empty();
    }

    /** An open period as instants, [start, end). */
    public record Window(Instant start, Instant end) {}

    /** Open periods of one local date. */
    public List<Window> windowsOn(LocalDate date) {
        if (always) {
            return List.of(new Window(date.atStartOfDay(ZONE).toInstant(), date.plusDays(1).atStartOfDay(ZONE).toInstant()));
        }
        if (closed.contains(date)) {
            return List.of();
        }
        List<Window> out = new ArrayList<>();
        for (Interval i : week.getOrDefault(date.getDayOfWeek(), List.of())) {
            Instant start = date.atTime(i.from()).atZone(ZONE).toInstant();
            Instant end = i.untilMidnight()
                    ? date.plusDays(1).atStartOfDay(ZONE).toInstant()
                    : date.atTime(i.to()).atZone(ZONE).toInstant();
            out.add(new Window(start, end));
        }
        return out;
    }

    public String spec() {
        if (always) {
            return "always";
        }
        StringBuilder sb = new StringBuilder();
        for (DayOfWeek d : DayOfWeek.values()) {
            List<Interval> list = week.get(d);
            if (list == null) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(DAY_NAMES[d.ordinal()]).append(' ');
            for (int i = 0; i < list.size(); i++) {
                Interval in = list.get(i);
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(in.from()).append('-').append(in.untilMidnight() ? "24:00" : in.to().toString());
            }
        }
        if (!closed.isEmpty()) {
            sb.append("; closed");
            for (LocalDate c : closed) {
                sb.append(' ').append(c);
            }
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OpeningHours other && other.spec().equals(spec());
    }

    @Override
    public int hashCode() {
        return spec().hashCode();
    }

    @Override
    public String toString() {
        return spec();
    }
}
