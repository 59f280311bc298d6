package fi.palvelurinki.broker.analytics;

import fi.palvelurinki.broker.CallKind;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.JournalDamage;
import fi.palvelurinki.broker.journal.JournalReader;
import fi.palvelurinki.broker.journal.JournalSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The requests of some rings in a period, read from a journal, as arrivals for the what-if
 * {@link Simulator}, with what really happened to them for comparison.
 *
 * <p>What the journal does not tell is filled in, seeded: the handle time of a request that was never
 * answered is drawn from the handle times recorded for the others; patience is known exactly only for
 * those who gave up (their wait). For the others it is their recorded wait plus an exponential draw
 * (memoryless), with the mean estimated by maximum likelihood for censored exponential data: the total
 * time all requests spent waiting divided by the number who gave up; nobody gave up: infinite patience.
 * Without any completed call to draw from, handle times are the rings' configured expected handle time.
 *
 * @param recorded            the same requests' figures as recorded
 * @param meanPatienceSeconds the estimate, or the mean given; {@code +∞} when nobody gave up
 * @param answerDelaySeconds  mean ringing before the accepted offer of answered requests (0 without any)
 * @param unread              the parts of the journal that could not be read; their requests are left out
 */
public record RecordedTraffic(List<Arrival> arrivals, QueueFigures recorded, double meanPatienceSeconds,
        double answerDelaySeconds, long booked, List<JournalDamage> unread) {

    private static final class Request {
        final double queuedAt;
        final boolean booked;
        double lastOfferAt = Double.NaN;
        double answerDelay = Double.NaN;
        double endedWaiting = Double.NaN;
        boolean gaveUp;
        double handle = Double.NaN;

        Request(double queuedAt, boolean booked) {
            this.queuedAt = queuedAt;
            this.booked = booked;
        }
    }

    /**
     * @param rings        rings whose requests are taken (several: pooled into one queue)
     * @param patience     mean patience in seconds to assume for everyone instead of the recorded
     *                     behaviour; null to estimate from the journal
     */
    public static RecordedTraffic read(Path journalDir, Set<String> rings, AnalysisOptions period, Double patience,
            long seed, JournalReader.Progress progress) throws IOException {
        return read(new JournalSource.Directory(journalDir), rings, period, patience, seed, progress);
    }

    /** As {@link #read(Path, Set, AnalysisOptions, Double, long, JournalReader.Progress)}, from either backend. */
    public static RecordedTraffic read(JournalSource journal, Set<String> rings, AnalysisOptions period, Double patience,
            long seed, JournalReader.Progress progress) throws IOException {
        long from = period.from() == null ? Long.MIN_VALUE : period.from().toEpochMilli();
        long to = period.to() == null ? Long.MAX_VALUE : period.to().toEpochMilli();
        Map<Long, Request> requests = new LinkedHashMap<>();
        Map<Long, Request> byCall = new HashMap<>();
        Map<Long, Double> callStarts = new HashMap<>();
        Map<String, Double> expectedHandle = new HashMap<>();
        double[] last = {Double.NEGATIVE_INFINITY};
        JournalReader.Outcome read = journal.readAround(entry -> {
            DomainEvent event = entry.event();
            double at = event.at().toEpochMilli() / 1000.0;
            last[0] = Math.max(last[0], at);
            switch (event.type()) {
                case RING_CONFIGURED -> {
                    var ring = ((DomainEvent.RingConfigured) event).ring();
                    expectedHandle.put(ring.id(), ring.expectedHandleTime().toMillis() / 1000.0);
                }
                case REQUEST_QUEUED -> {
                    DomainEvent.RequestQueued e = (DomainEvent.RequestQueued) event;
                    long ms = e.at().toEpochMilli();
                    if (rings.contains(e.ringId()) && ms >= from && ms < to) {
                        requests.put(e.requestId(), new Request(at, e.kind() == CallKind.BOOKED));
                    }
                }
                case OFFER_MADE -> {
                    Request r = requests.get(((DomainEvent.OfferMade) event).requestId());
                    if (r != null) {
                        r.lastOfferAt = at;
                    }
                }
                case OFFER_ACCEPTED -> {
                    Request r = requests.get(((DomainEvent.OfferAccepted) event).requestId());
                    if (r != null) {
                        r.endedWaiting = at;
                        r.answerDelay = at - r.lastOfferAt;
                    }
                }
                case REQUEST_ABANDONED -> {
                    Request r = requests.get(((DomainEvent.RequestAbandoned) event).requestId());
                    if (r != null) {
                        r.endedWaiting = at;
                        r.gaveUp = true;
                    }
                }
                case CALL_STARTED -> {
                    DomainEvent.CallStarted e = (DomainEvent.CallStarted) event;
                    Request r = requests.get(e.requestId());
                    if (r != null) {
                        byCall.put(e.callId(), r);
                        callStarts.put(e.callId(), at);
                    }
                }
                case WRAP_UP_ENDED -> {
                    long callId = ((DomainEvent.WrapUpEnded) event).callId();
                    Request r = byCall.remove(callId);
                    if (r != null) {
                        r.handle = at - callStarts.remove(callId);
                    }
                }
                default -> { }
            }
        }, progress);
        double configured = 0;
        for (String ring : rings) {
            if (!expectedHandle.containsKey(ring)) {
                throw new IllegalArgumentException("the journal has no ring '" + ring + "'; it has "
                        + new java.util.TreeSet<>(expectedHandle.keySet()));
            }
            configured += expectedHandle.get(ring) / rings.size();
        }
        return build(new ArrayList<>(requests.values()), last[0], period, patience, configured, seed,
                JournalReader.unread(read));
    }

    /** @param defaultHandleSeconds when no call was completed: the rings' configured expected handle time */
    private static RecordedTraffic build(List<Request> requests, double journalEnd, AnalysisOptions options,
            Double patience, double defaultHandleSeconds, long seed, List<JournalDamage> unread) {
        QueueTally tally = new QueueTally();
        long grace = options.shortAbandonGrace().toMillis();
        List<Double> handles = new ArrayList<>();
        double waitingTotal = 0;
        long gaveUp = 0;
        double delaySum = 0;
        long answered = 0;
        long booked = 0;
        for (Request r : requests) {
            tally.offered();
            booked += r.booked ? 1 : 0;
            double end = Double.isNaN(r.endedWaiting) ? journalEnd : r.endedWaiting;
            waitingTotal += end - r.queuedAt;
            long waitMillis = Math.round((end - r.queuedAt) * 1000);
            if (Double.isNaN(r.endedWaiting)) {
                tally.stillWaiting();
            } else if (r.gaveUp) {
                gaveUp++;
                tally.abandoned(waitMillis, grace);
            } else {
                tally.answered(waitMillis);
                answered++;
                delaySum += r.answerDelay;
            }
            if (!Double.isNaN(r.handle)) {
                handles.add(r.handle);
            }
        }
        double meanPatience = patience != null ? patience
                : gaveUp == 0 ? Double.POSITIVE_INFINITY : waitingTotal / gaveUp;
        SplittableRandom random = new SplittableRandom(seed);
        List<Arrival> arrivals = new ArrayList<>(requests.size());
        for (Request r : requests) {
            double handle = !Double.isNaN(r.handle) ? r.handle
                    : handles.isEmpty() ? defaultHandleSeconds : handles.get(random.nextInt(handles.size()));
            double p;
            if (patience != null) {
                p = Simulator.exponential(random, patience);
            } else if (r.gaveUp) {
                p = r.endedWaiting - r.queuedAt;
            } else if (Double.isInfinite(meanPatience)) {
                p = Double.POSITIVE_INFINITY;
            } else {
                double waited = (Double.isNaN(r.endedWaiting) ? journalEnd : r.endedWaiting) - r.queuedAt;
                p = waited + Simulator.exponential(random, meanPatience);
            }
            arrivals.add(new Arrival(r.queuedAt, handle, p, r.booked));
        }
        return new RecordedTraffic(List.copyOf(arrivals), tally.figures(options.thresholds()), meanPatience,
                answered == 0 ? 0 : delaySum / answered, booked, unread);
    }

    /** When the first request arrived, or null without requests. */
    public Instant firstArrival() {
        return arrivals.isEmpty() ? null : Instant.ofEpochMilli(Math.round(arrivals.get(0).at() * 1000));
    }
}
