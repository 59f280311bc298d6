package fi.palvelurinki.broker.analytics;

import fi.palvelurinki.broker.ring.OpeningHours;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * What-if simulator: one queue (a ring, or several rings pooled into one) served first come, first
 * served — booked calls first, as the broker does — by identical experts whose number follows an
 * hourly schedule. Discrete-event, and deterministic for a given seed.
 *
 * <p>Simplifications, stated so that nobody reads more into a result: any expert may take any call
 * (no languages or topics); an expert leaving at the end of their hour finishes their call first;
 * ringing is a fixed {@code answerDelaySeconds} during which the expert is taken and the customer
 * still waits; declines and missed offers are not simulated. A call-back keeps its place in the queue
 * and no longer gives up (nobody sits waiting); the point is assumed to answer its ring at once.
 */
public final class Simulator {

    /**
     * @param experts              experts signed in, per Finnish hour of the day
     * @param answerDelaySeconds   ringing before an expert answers
     * @param bookedSlotSeconds    a booked call holds its expert for at least this long (the fixed length of
     *                             bookings); 0: booked calls take their handle time like any other
     * @param bookedToInstantShare share of booked calls made instant instead (0-1)
     * @param shortAbandonGrace    customers giving up sooner are counted apart, as in the journal figures
     * @param thresholds           the t of each service level SL(t)
     * @param callbackShare        share of the customers still waiting after {@code callbackAfterSeconds}
     *                             whose advisor turns the request into a call-back (0-1)
     * @param callbackAfterSeconds how long a point waits before it asks for a call-back
     */
    public record Config(ExpertSchedule experts, double answerDelaySeconds, double bookedSlotSeconds,
            double bookedToInstantShare, long seed, Duration shortAbandonGrace, List<Duration> thresholds,
            double callbackShare, double callbackAfterSeconds) {
        /** Without call-backs. */
        public Config(ExpertSchedule experts, double answerDelaySeconds, double bookedSlotSeconds,
                double bookedToInstantShare, long seed, Duration shortAbandonGrace, List<Duration> thresholds) {
            this(experts, answerDelaySeconds, bookedSlotSeconds, bookedToInstantShare, seed, shortAbandonGrace,
                    thresholds, 0, 0);
        }

        public Config {
            if (!(callbackShare >= 0 && callbackShare <= 1) || !(callbackAfterSeconds >= 0)) {
                throw new IllegalArgumentException("the call-back share must be 0-1 and its delay zero or more seconds");
            }
            if (!(answerDelaySeconds >= 0) || !(bookedSlotSeconds >= 0)) {
                throw new IllegalArgumentException("answer delay and booked slot must be zero or more seconds");
            }
            if (!(bookedToInstantShare >= 0 && bookedToInstantShare <= 1)) {
                throw new IllegalArgumentException("the share of booked calls made instant must be 0-1, got "
                        + bookedToInstantShare);
            }
            thresholds = List.copyOf(thresholds);
        }
    }

    /**
     * @param pWait           share of customers who found every expert taken
     * @param pAbandon        share of customers who gave up, short abandons included
     * @param occupancy       busy (ringing + handle) / signed-in expert time
     * @param expertHours     signed-in expert time, from the first arrival until the last call ends
     * @param movedToInstant  booked calls the configuration made instant
     * @param unserved        customers still waiting when the schedule has no expert at any hour
     * @param callbacks       waits turned into call-backs
     * @param pointWaiting    time points sat waiting for an expert (until answered, given up, or turned
     *                        into a call-back): the point's idle time that call-backs give back
     */
    public record Result(QueueFigures queue, double pWait, double pAbandon, double occupancy, Duration expertHours,
            long booked, long movedToInstant, long unserved, long callbacks, Duration pointWaiting) {}

    private static final int ARRIVAL = 0;
    private static final int DEPARTURE = 1;
    private static final int GIVE_UP = 2;
    private static final int HOUR = 3;
    private static final int CALL_BACK = 4;

    private record Event(double at, long seq, int kind, Customer customer) {}

    private static final class Customer {
        final Arrival arrival;
        final boolean booked;
        boolean done;
        boolean callback;

        Customer(Arrival arrival, boolean booked) {
            this.arrival = arrival;
            this.booked = booked;
        }
    }

    private final Config config;
    private final HourIndex hours = new HourIndex(OpeningHours.ZONE);
    private final PriorityQueue<Event> events = new PriorityQueue<>((a, b) ->
            a.at != b.at ? Double.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private final ArrayDeque<Customer> bookedQueue = new ArrayDeque<>();
    private final ArrayDeque<Customer> instantQueue = new ArrayDeque<>();
    private final QueueTally tally = new QueueTally();
    private final long graceMillis;
    private long seq;
    private double now;
    private int target;
    private int present;
    private int busy;
    private int waiting;
    private boolean hourArmed;
    private double staffedSeconds;
    private double busySeconds;
    private long customers;
    private long waited;
    private long gaveUp;
    private long booked;
    private long moved;
    private long callbacks;
    private double pointWaitSeconds;
    private SplittableRandom callbackDraws;

    private Simulator(Config config) {
        this.config = config;
        this.graceMillis = config.shortAbandonGrace().toMillis();
    }

    /** Runs the arrivals (in time order) through the configuration. */
    public static Result run(Iterator<Arrival> arrivals, Config config) {
        return new Simulator(config).simulate(arrivals);
    }

    private Result simulate(Iterator<Arrival> arrivals) {
        SplittableRandom conversions = new SplittableRandom(config.seed());
        // A stream of its own, so that turning call-backs on leaves every other draw as it was.
        callbackDraws = new SplittableRandom(config.seed() ^ 0x9E3779B97F4A7C15L);
        if (!arrivals.hasNext()) {
            throw new IllegalArgumentException("there are no arrivals to simulate");
        }
        Arrival next = arrivals.next();
        now = next.at(); // experts' time counts from the first arrival: earlier idle time would only dilute occupancy
        setStaffing();
        while (true) {
            Event e = events.peek();
            if (next != null && (e == null || next.at() <= e.at)) {
                Arrival a = next;
                next = arrivals.hasNext() ? arrivals.next() : null;
                if (next != null && next.at() < a.at()) {
                    throw new IllegalArgumentException("arrivals must come in time order");
                }
                advance(a.at());
                arrive(a, conversions);
            } else if (e != null && (e.kind == GIVE_UP || e.kind == CALL_BACK)
                    && (e.customer.done || e.customer.callback)) {
                events.poll(); // answered before their patience ran out: not an event, time does not move
            } else if (e != null && (next != null || waiting > 0 || busy > 0)) {
                events.poll();
                advance(e.at);
                switch (e.kind) {
                    case DEPARTURE -> depart();
                    case GIVE_UP -> giveUp(e.customer);
                    case CALL_BACK -> {
                        e.customer.callback = true;
                        callbacks++;
                        pointWaitSeconds += config.callbackAfterSeconds();
                    }
                    case HOUR -> {
                        hourArmed = false;
                        setStaffing();
                    }
                    default -> throw new IllegalStateException("event kind " + e.kind);
                }
            } else {
                break;
            }
            if (next == null && busy == 0 && waiting > 0 && config.experts().empty()) {
                break;
            }
        }
        for (ArrayDeque<Customer> q : List.of(bookedQueue, instantQueue)) {
            for (Customer c : q) {
                if (!c.done) {
                    tally.stillWaiting();
                    if (!c.callback) {
                        pointWaitSeconds += now - c.arrival.at();
                    }
                }
            }
        }
        return new Result(tally.figures(config.thresholds()), (double) waited / customers, (double) gaveUp / customers,
                staffedSeconds == 0 ? Double.NaN : busySeconds / staffedSeconds,
                Duration.ofMillis(Math.round(staffedSeconds * 1000)), booked, moved, waiting, callbacks,
                Duration.ofMillis(Math.round(pointWaitSeconds * 1000)));
    }

    private void advance(double to) {
        staffedSeconds += present * (to - now);
        busySeconds += busy * (to - now);
        now = to;
    }

    private void push(double at, int kind, Customer c) {
        events.add(new Event(at, seq++, kind, c));
    }

    private void setStaffing() {
        long epochHour = (long) Math.floor(now / 3600);
        target = config.experts().at(hours.of(epochHour).hourOfDay());
        if (present < target) {
            present = target;
            serveWaiting();
        } else if (present > target) {
            present = Math.max(target, busy);
        }
        if (!hourArmed) {
            push((epochHour + 1) * 3600.0, HOUR, null);
            hourArmed = true;
        }
    }

    private void arrive(Arrival a, SplittableRandom conversions) {
        customers++;
        boolean isBooked = a.booked();
        if (isBooked) {
            booked++;
            if (config.bookedToInstantShare() > 0 && conversions.nextDouble() < config.bookedToInstantShare()) {
                isBooked = false;
                moved++;
            }
        }
        tally.offered();
        Customer c = new Customer(a, isBooked);
        if (busy < present && waiting == 0) {
            start(c);
            return;
        }
        waited++;
        waiting++;
        (isBooked ? bookedQueue : instantQueue).add(c);
        if (!Double.isInfinite(a.patienceSeconds())) {
            push(a.at() + a.patienceSeconds(), GIVE_UP, c);
        }
        if (config.callbackShare() > 0 && callbackDraws.nextDouble() < config.callbackShare()) {
            push(a.at() + config.callbackAfterSeconds(), CALL_BACK, c);
        }
    }

    private void start(Customer c) {
        c.done = true;
        busy++;
        double wait = now - c.arrival.at() + config.answerDelaySeconds();
        tally.answered(Math.round(wait * 1000));
        pointWaitSeconds += c.callback ? 0 : wait;
        double hold = c.arrival.handleSeconds();
        if (c.booked && config.bookedSlotSeconds() > 0) {
            hold = Math.max(hold, config.bookedSlotSeconds());
        }
        push(now + config.answerDelaySeconds() + hold, DEPARTURE, c);
    }

    private void depart() {
        busy--;
        if (present > target) {
            present--;
        } else {
            serveWaiting();
        }
    }

    private void serveWaiting() {
        while (busy < present && waiting > 0) {
            Customer c = bookedQueue.isEmpty() ? instantQueue.poll() : bookedQueue.poll();
            if (!c.done) {
                waiting--;
                start(c);
            }
        }
    }

    private void giveUp(Customer c) {
        c.done = true;
        waiting--;
        gaveUp++;
        tally.abandoned(Math.round((now - c.arrival.at()) * 1000), graceMillis);
        pointWaitSeconds += now - c.arrival.at();
    }

    /** Poisson arrivals with exponential handle times and patience: the M/M/n(+M) of the staffing models. */
    public static Iterator<Arrival> poisson(Workload w, double startEpochSeconds, double lengthSeconds, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return new Iterator<>() {
            double t = startEpochSeconds + exponential(random, 1 / w.arrivalsPerSecond());

            @Override
            public boolean hasNext() {
                return t < startEpochSeconds + lengthSeconds;
            }

            @Override
            public Arrival next() {
                Arrival a = new Arrival(t, exponential(random, w.handleSeconds()),
                        w.patient() ? Double.POSITIVE_INFINITY : exponential(random, w.patienceSeconds()), false);
                t += exponential(random, 1 / w.arrivalsPerSecond());
                return a;
            }
        };
    }

    static double exponential(SplittableRandom r, double mean) {
        return -mean * Math.log(1 - r.nextDouble());
    }
}
