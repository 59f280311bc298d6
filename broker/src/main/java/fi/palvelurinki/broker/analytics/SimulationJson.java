package fi.palvelurinki.broker.analytics;

import java.time.Duration;
import java.util.List;

/**
 * The queue figures of a simulation (or of the recorded side it is compared with) as one JSON object:
 * the format of {@code simulate --json}, which the operator page's what-if reads too, so that the two
 * cannot drift apart.
 */
public final class SimulationJson {
    private SimulationJson() {}

    /**
     * @param r the simulation the figures come from; {@code null} for recorded figures, which have no
     *          P(wait), P(abandon), occupancy or expert hours (those fields are then {@code null})
     */
    public static String figures(QueueFigures q, Simulator.Result r, List<Duration> thresholds) {
        StringBuilder b = new StringBuilder("{");
        b.append("\"customers\":").append(q.offered()).append(",\"answered\":").append(q.answered())
                .append(",\"abandoned\":").append(q.abandoned()).append(",\"short_abandoned\":").append(q.shortAbandoned())
                .append(",\"still_waiting\":").append(q.stillWaiting())
                .append(",\"p_wait\":").append(number(r == null ? Double.NaN : r.pWait()))
                .append(",\"p_abandon\":").append(number(r == null ? Double.NaN : r.pAbandon()))
                .append(",\"asa_seconds\":").append(seconds(q.asa()))
                .append(",\"wait_p50_seconds\":").append(seconds(q.waitP50()))
                .append(",\"wait_p90_seconds\":").append(seconds(q.waitP90()))
                .append(",\"wait_p99_seconds\":").append(seconds(q.waitP99()))
                .append(",\"callbacks\":").append(r == null ? "null" : String.valueOf(r.callbacks()))
                .append(",\"point_wait_hours\":")
                .append(r == null ? "null" : Formats.decimal(r.pointWaiting().toMillis() / 3_600_000.0, 3))
                .append(",\"service_levels\":{");
        for (int i = 0; i < thresholds.size(); i++) {
            b.append(i == 0 ? "" : ",").append('"').append(Formats.seconds(thresholds.get(i))).append("\":")
                    .append(number(q.serviceLevels().get(i)));
        }
        b.append("},\"occupancy\":").append(number(r == null ? Double.NaN : r.occupancy()))
                .append(",\"expert_hours\":")
                .append(r == null ? "null" : Formats.decimal(r.expertHours().toMillis() / 3_600_000.0, 3));
        return b.append('}').toString();
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "null" : Formats.decimal(v, 6);
    }

    private static String seconds(Duration d) {
        return d == null ? "null" : Formats.seconds(d);
    }
}
