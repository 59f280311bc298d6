package fi.palvelurinki.broker.analytics;

/**
 * The traffic a ring has to answer, as the staffing models see it: Poisson arrivals, exponential
 * handle times and, optionally, exponential patience.
 *
 * @param arrivalsPerSecond mean arrival rate
 * @param handleSeconds     mean handle time (talk + wrap-up)
 * @param patienceSeconds   mean time a customer is willing to wait; {@code +∞}: nobody gives up (Erlang C)
 */
public record Workload(double arrivalsPerSecond, double handleSeconds, double patienceSeconds) {

    public Workload {
        if (!(arrivalsPerSecond > 0) || Double.isInfinite(arrivalsPerSecond)) {
            throw new IllegalArgumentException("the arrival rate must be a positive number, got " + arrivalsPerSecond);
        }
        if (!(handleSeconds > 0) || Double.isInfinite(handleSeconds)) {
            throw new IllegalArgumentException("the mean handle time must be positive, got " + handleSeconds + " s");
        }
        if (!(patienceSeconds > 0)) {
            throw new IllegalArgumentException("the mean patience must be positive, got " + patienceSeconds + " s");
        }
    }

    /** Customers who never give up. */
    public static Workload withoutAbandonment(double arrivalsPerSecond, double handleSeconds) {
        return new Workload(arrivalsPerSecond, handleSeconds, Double.POSITIVE_INFINITY);
    }

    public double offeredLoad() {
        return arrivalsPerSecond * handleSeconds;
    }

    public boolean patient() {
        return Double.isInfinite(patienceSeconds);
    }
}
