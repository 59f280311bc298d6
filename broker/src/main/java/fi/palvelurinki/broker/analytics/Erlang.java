package fi.palvelurinki.broker.analytics;

import java.util.OptionalDouble;

/**
 * Staffing models: Erlang C (M/M/n, nobody gives up) and Erlang A (M/M/n+M, Palm's model with
 * exponential patience, as in Garnett, Mandelbaum and Reiman 2002).
 *
 * <p>Numerics. Both start from the Erlang B recursion {@code B(k) = a·B(k-1) / (k + a·B(k-1))}, which
 * stays within [0, 1] for any load, instead of {@code a^n/n!}, which overflows from about 170 experts.
 * Erlang A's queue part is summed in log space (a heavily overloaded ring has queue weights far beyond
 * {@code Double.MAX_VALUE}), streaming over the queue length so that memory stays constant.
 *
 * <p>Erlang A's service level is the share of all customers answered within t. A customer who finds j
 * others waiting ahead moves up at rate {@code nμ + jθ} (a service ends or someone ahead gives up) and
 * gives up at rate θ; with {@code c = nμ/θ} they are answered with probability {@code c/(c+j+1)}, and,
 * by the Rényi representation of exponential order statistics, answered within t with probability
 * {@code c/(c+j+1) · I_x(j+1, c+1)}, {@code x = 1 − e^{−θt}}, where I is the regularized incomplete beta
 * function, taken as a negative-binomial tail so that it is one more term per queue length.
 */
public final class Erlang {
    /** Beyond this many experts or queue places a question is not a staffing question any more. */
    static final int MAX_AGENTS = 10_000_000;
    static final long MAX_QUEUE_TERMS = 50_000_000L;
    /** Queue weights this far (natural log) below the largest are below double precision of the sum. */
    private static final double NEGLIGIBLE_LOG = 45;

    private Erlang() {}

    /** Blocking probability of n servers with offered load a (Erlang B), by the stable recursion. */
    static double erlangB(int n, double a) {
        double b = 1;
        for (int k = 1; k <= n; k++) {
            b = a * b / (k + a * b);
        }
        return b;
    }

    /** What {@code agents} experts achieve for this workload, answering within {@code thresholdSeconds}. */
    public static StaffingEstimate evaluate(Workload w, int agents, double thresholdSeconds) {
        checkAgents(agents);
        checkThreshold(thresholdSeconds);
        double b = erlangB(agents, w.offeredLoad());
        return w.patient() ? erlangC(w, agents, b, thresholdSeconds) : erlangA(w, agents, b, thresholdSeconds);
    }

    /**
     * The fewest experts whose service level reaches {@code target} (0 &lt; target &lt; 1), with what they
     * achieve. The service level grows with every expert added, so the first that reaches it is the answer.
     */
    public static StaffingEstimate minimumAgents(Workload w, double thresholdSeconds, double target) {
        checkThreshold(thresholdSeconds);
        if (!(target > 0 && target < 1)) {
            throw new IllegalArgumentException("the service-level target must be between 0 and 1 (e.g. 0.8), got " + target);
        }
        return w.patient() ? minimumErlangC(w, thresholdSeconds, target) : minimumErlangA(w, thresholdSeconds, target);
    }

    private static StaffingEstimate minimumErlangC(Workload w, double t, double target) {
        double a = w.offeredLoad();
        double b = 1;
        for (int n = 1; n <= MAX_AGENTS; n++) {
            b = a * b / (n + a * b);
            if (n > a) {
                StaffingEstimate e = erlangC(w, n, b, t);
                if (e.serviceLevel() >= target) {
                    return e;
                }
            }
        }
        throw tooLarge(a);
    }

    private static StaffingEstimate minimumErlangA(Workload w, double t, double target) {
        int low = 0;
        int high = 1;
        StaffingEstimate found = evaluate(w, high, t);
        while (found.serviceLevel() < target) {
            if (high > MAX_AGENTS / 2) {
                throw tooLarge(w.offeredLoad());
            }
            low = high;
            high *= 2;
            found = evaluate(w, high, t);
        }
        while (high - low > 1) {
            int mid = (low + high) >>> 1;
            StaffingEstimate e = evaluate(w, mid, t);
            if (e.serviceLevel() >= target) {
                high = mid;
                found = e;
            } else {
                low = mid;
            }
        }
        return found;
    }

    private static StaffingEstimate erlangC(Workload w, int n, double b, double t) {
        double a = w.offeredLoad();
        if (n <= a) {
            return new StaffingEstimate(a, n, 1, 0, Double.POSITIVE_INFINITY, 1, OptionalDouble.empty());
        }
        double rho = a / n;
        double c = b / (1 - rho * (1 - b));
        double sl = 1 - c * Math.exp(-(n - a) * t / w.handleSeconds());
        double asa = c * w.handleSeconds() / (n - a);
        return new StaffingEstimate(a, n, c, sl, asa, rho, OptionalDouble.empty());
    }

    private static StaffingEstimate erlangA(Workload w, int n, double b, double t) {
        double lambda = w.arrivalsPerSecond();
        double mu = 1 / w.handleSeconds();
        double theta = 1 / w.patienceSeconds();
        double logLambda = Math.log(lambda);

        // Stationary weights relative to state n (all busy, nobody waiting): states below n sum to
        // 1/B - 1 (Erlang B); the queue state n+j weighs L_j = Σ_{i=1..j} log(λ / (nμ + iθ)).
        double logLow = b > 0 ? Math.log1p(-b) - Math.log(b) : Double.POSITIVE_INFINITY;
        double maxL = 0;
        double scaledSum = 1; // Σ exp(L_j - maxL)
        double l = 0;
        long terms = 1;
        for (long j = 1; ; j++) {
            double rate = n * mu + j * theta;
            l += logLambda - Math.log(rate);
            if (l > maxL) {
                scaledSum = scaledSum * Math.exp(maxL - l) + 1;
                maxL = l;
            } else {
                scaledSum += Math.exp(l - maxL);
            }
            terms = j + 1;
            if (lambda < rate && l < maxL - NEGLIGIBLE_LOG) {
                break;
            }
            if (terms > MAX_QUEUE_TERMS) {
                throw new IllegalArgumentException("the queue of this overloaded ring with patient customers is too long"
                        + " to evaluate; give a shorter patience or more experts");
            }
        }
        double logHigh = maxL + Math.log(scaledSum);
        double logTotal = logSumExp(logLow, logHigh);
        double pWait = Math.exp(logHigh - logTotal);

        double c = n * mu / theta;
        double bShape = c + 1;
        double x = -Math.expm1(-theta * t);
        double logX = Math.log(x);
        double logPmf = -theta * t * bShape; // negative binomial P(N = 0) = (1 - x)^b
        double cumPmf = 0;
        double queueMean = 0;
        double answeredInTime = 0;
        double answeredWaitSum = 0;
        double meanTimeAhead = 0;
        l = 0;
        for (long j = 0; j < terms; j++) {
            if (j > 0) {
                l += logLambda - Math.log(n * mu + j * theta);
                logPmf += logX + Math.log(j + bShape - 1) - Math.log(j);
            }
            double p = Math.exp(l - logTotal);
            double answered = c / (c + j + 1);
            meanTimeAhead += 1 / (theta * (c + j + 1));
            queueMean += j * p;
            answeredWaitSum += p * answered * meanTimeAhead;
            if (t > 0) {
                cumPmf += Math.exp(logPmf);
                answeredInTime += p * answered * Math.max(0, 1 - cumPmf);
            }
        }
        double pAbandon = theta * queueMean / lambda;
        double sl = 1 - pWait + answeredInTime;
        double asa = answeredWaitSum / (1 - pAbandon);
        double occupancy = lambda * (1 - pAbandon) / mu / n;
        return new StaffingEstimate(w.offeredLoad(), n, pWait, sl, asa, occupancy, OptionalDouble.of(pAbandon));
    }

    private static double logSumExp(double x, double y) {
        if (x == Double.POSITIVE_INFINITY || y == Double.POSITIVE_INFINITY) {
            return Double.POSITIVE_INFINITY;
        }
        double m = Math.max(x, y);
        return m + Math.log(Math.exp(x - m) + Math.exp(y - m));
    }

    private static void checkAgents(int agents) {
        if (agents < 1 || agents > MAX_AGENTS) {
            throw new IllegalArgumentException("the number of experts must be 1-" + MAX_AGENTS + ", got " + agents);
        }
    }

    private static void checkThreshold(double seconds) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("the service-level threshold must be zero or more seconds, got " + seconds);
        }
    }

    private static IllegalArgumentException tooLarge(double load) {
        return new IllegalArgumentException("no staffing up to " + MAX_AGENTS + " experts reaches the target for "
                + load + " erlangs");
    }
}
