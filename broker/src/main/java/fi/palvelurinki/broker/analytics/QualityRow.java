package fi.palvelurinki.broker.analytics;

/**
 * Call quality of a service point in an hour of the day (Finnish time, by the call's start), or over the
 * whole period ({@code hour} "all"): how many calls had quality reports and how many of them were poor
 * (docs/metrics.md, "Call quality").
 *
 * @param hour        {@code 09–10}, or {@code all}
 * @param calls       calls started in the period with at least one quality report
 * @param poorCalls   those of them with poor quality
 * @param meanRttMs   mean round-trip time over their reports
 * @param meanLossPct mean packet loss over their reports, percent
 */
public record QualityRow(String pointId, String pointName, String hour, long calls, long poorCalls, double meanRttMs,
        double meanLossPct) {
    /** Share of the calls with poor quality, 0-1; null without calls. */
    public Double poorShare() {
        return calls == 0 ? null : (double) poorCalls / calls;
    }
}
