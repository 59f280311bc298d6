package fi.palvelurinki.broker.analytics;

import fi.palvelurinki.broker.journal.DomainEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The journal's call-quality reports folded per call, then per service point and hour of the day, so
 * that an operator can tell a point with a bad connection (poor at every hour) from a busy ring or a
 * network that is poor at certain hours. A call is poor when at least {@link #POOR_SHARE_OF_REPORTS} of
 * its reports (either party's) were poor by {@code CallQuality.poor()}.
 */
final class QualityFold {
    static final double POOR_SHARE_OF_REPORTS = 0.25;
    static final String ALL_HOURS = "all";

    private final long fromMillis;
    private final long toMillis;
    private final HourIndex hours;
    private final Map<String, String> pointNames = new HashMap<>();
    private final Map<Long, CallReports> calls = new HashMap<>();

    private static final class CallReports {
        final String pointId;
        final int hourOfDay;
        long reports;
        long poor;
        long rttSum;
        long lossSum;

        CallReports(String pointId, int hourOfDay) {
            this.pointId = pointId;
            this.hourOfDay = hourOfDay;
        }
    }

    private static final class Cell {
        long calls;
        long poorCalls;
        long reports;
        long rttSum;
        long lossSum;

        void add(CallReports c) {
            calls++;
            if (c.poor >= Math.ceil(POOR_SHARE_OF_REPORTS * c.reports)) {
                poorCalls++;
            }
            reports += c.reports;
            rttSum += c.rttSum;
            lossSum += c.lossSum;
        }
    }

    QualityFold(long fromMillis, long toMillis, HourIndex hours) {
        this.fromMillis = fromMillis;
        this.toMillis = toMillis;
        this.hours = hours;
    }

    void accept(DomainEvent event) {
        switch (event.type()) {
            case POINT_DEFINED -> {
                var p = ((DomainEvent.PointDefined) event).point();
                pointNames.put(p.id(), p.name());
            }
            case CALL_STARTED -> {
                DomainEvent.CallStarted e = (DomainEvent.CallStarted) event;
                long at = e.at().toEpochMilli();
                if (at >= fromMillis && at < toMillis) {
                    int hour = hours.of(Math.floorDiv(at, HourIndex.HOUR_MILLIS)).hourOfDay();
                    calls.put(e.callId(), new CallReports(e.pointId(), hour));
                }
            }
            case CALL_QUALITY_REPORTED -> {
                DomainEvent.CallQualityReported e = (DomainEvent.CallQualityReported) event;
                CallReports c = calls.get(e.callId());
                if (c != null) {
                    c.reports++;
                    c.poor += e.quality().poor() ? 1 : 0;
                    c.rttSum += e.quality().rttMs();
                    c.lossSum += e.quality().lossPermille();
                }
            }
            default -> { }
        }
    }

    /** Per point: one row per hour of the day with calls, then the point's row for all hours. */
    List<QualityRow> rows() {
        Map<String, Map<String, Cell>> byPoint = new TreeMap<>();
        for (CallReports c : calls.values()) {
            if (c.reports == 0) {
                continue;
            }
            Map<String, Cell> cells = byPoint.computeIfAbsent(c.pointId, p -> new TreeMap<>());
            String h = (c.hourOfDay < 10 ? "0" : "") + c.hourOfDay;
            cells.computeIfAbsent(h, k -> new Cell()).add(c);
            cells.computeIfAbsent(ALL_HOURS, k -> new Cell()).add(c);
        }
        List<QualityRow> out = new ArrayList<>();
        byPoint.forEach((point, cells) -> cells.forEach((hour, cell) -> out.add(new QualityRow(point,
                pointNames.getOrDefault(point, point), hourLabel(hour), cell.calls, cell.poorCalls,
                (double) cell.rttSum / cell.reports, cell.lossSum / 10.0 / cell.reports))));
        return List.copyOf(out);
    }

    private static String hourLabel(String hour) {
        if (hour.equals(ALL_HOURS)) {
            return ALL_HOURS;
        }
        int h = Integer.parseInt(hour) + 1;
        return hour + "–" + (h < 10 ? "0" : "") + h;
    }
}
