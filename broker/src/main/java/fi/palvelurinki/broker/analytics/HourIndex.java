package fi.palvelurinki.broker.analytics;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

/**
 * Local calendar keys of epoch hours. Finnish time is UTC+2 or +3, whole hours, so every local hour is
 * exactly one epoch hour (also across daylight-saving changes) and intervals can be cut at multiples of
 * an hour since the epoch.
 */
final class HourIndex {
    static final long HOUR_MILLIS = 3_600_000L;

    record Hour(int hourOfDay, DayOfWeek dayOfWeek, String day, String month) {
        /** 0-167: Monday 00-01 is 0. */
        int weekHour() {
            return (dayOfWeek.getValue() - 1) * 24 + hourOfDay;
        }
    }

    private final ZoneId zone;
    private final Map<Long, Hour> cache = new HashMap<>();
    private long lastEpochHour = Long.MIN_VALUE;
    private Hour last;

    HourIndex(ZoneId zone) {
        this.zone = zone;
    }

    Hour of(long epochHour) {
        if (epochHour != lastEpochHour) {
            last = cache.computeIfAbsent(epochHour, h -> {
                LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochMilli(h * HOUR_MILLIS), zone);
                return new Hour(t.getHour(), t.getDayOfWeek(), t.toLocalDate().toString(),
                        t.toLocalDate().toString().substring(0, 7));
            });
            lastEpochHour = epochHour;
        }
        return last;
    }

    Hour at(long epochMillis) {
        return of(Math.floorDiv(epochMillis, HOUR_MILLIS));
    }
}
