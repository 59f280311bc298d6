package fi.palvelurinki.broker.analytics;

import fi.palvelurinki.broker.CallKind;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.JournalDamage;
import fi.palvelurinki.broker.journal.JournalReader;
import fi.palvelurinki.broker.journal.JournalSource;
import fi.palvelurinki.broker.ring.RingConfig;
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
 * <p>An interpreter ring ({@link RingConfig#interpreterRing()}) is never requested directly: its traffic is
 * the interpreter needs ({@code InterpreterNeeded}) in a language it interprets from one of its service
 * languages. A need waits until an interpreter joins ({@code PartyJoined}) and gives up when it ends unmet
 * ({@code InterpreterNeedEnded}, its request abandoned, its call ended); its ringing is from the last offer to
 * the acceptance; its handle time is from joining to leaving the call ({@code PartyLeft}) or the call's end,
 * plus the wrap-up: until {@code PartyLeft}'s {@code wrapUpUntil}, or the ring's configured wrap-up after the
 * call's end.
 *
 * @param recorded            the same requests' figures as recorded
 * @param meanPatienceSeconds the estimate, or the mean given; {@code +∞} when nobody gave up
 * @param answerDelaySeconds  mean ringing before the accepted offer of answered requests (0 without any)
 * @param interpreting        the rings are interpreter rings: the arrivals are interpreter needs
 * @param fromSeconds         start of the period covered (epoch seconds): the later of the asked start and the
 *                            journal's first event
 * @param toSeconds           its end: the earlier of the asked end and the journal's last event
 * @param handled             arrivals with a recorded handle time
 * @param meanHandleSeconds   their mean handle time; without any, the rings' configured expected handle time
 * @param unread              the parts of the journal that could not be read; their requests are left out
 */
public record RecordedTraffic(List<Arrival> arrivals, QueueFigures recorded, double meanPatienceSeconds,
        double answerDelaySeconds, long booked, boolean interpreting, double fromSeconds, double toSeconds,
        long handled, double meanHandleSeconds, List<JournalDamage> unread) {

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
        Map<Long, String> callExperts = new HashMap<>();
        Map<String, RingConfig> configs = new HashMap<>();
        Needs needs = new Needs();
        double[] span = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        JournalReader.Outcome read = journal.readAround(entry -> {
            DomainEvent event = entry.event();
            double at = event.at().toEpochMilli() / 1000.0;
            span[0] = Math.min(span[0], at);
            span[1] = Math.max(span[1], at);
            switch (event.type()) {
                case RING_CONFIGURED -> {
                    RingConfig ring = ((DomainEvent.RingConfigured) event).ring();
                    configs.put(ring.id(), ring);
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
                    long requestId = ((DomainEvent.RequestAbandoned) event).requestId();
                    Request r = requests.get(requestId);
                    if (r != null) {
                        r.endedWaiting = at;
                        r.gaveUp = true;
                    }
                    needs.gaveUp(needs.ofRequest.remove(requestId), at);
                }
                case CALL_STARTED -> {
                    DomainEvent.CallStarted e = (DomainEvent.CallStarted) event;
                    Request r = requests.get(e.requestId());
                    if (r != null) {
                        byCall.put(e.callId(), r);
                        callStarts.put(e.callId(), at);
                        callExperts.put(e.callId(), e.expertId());
                    }
                }
                case WRAP_UP_ENDED -> {
                    DomainEvent.WrapUpEnded e = (DomainEvent.WrapUpEnded) event;
                    // Only the call's own expert: a joined party's wrap-up ends too, even before the call does.
                    if (e.expertId().equals(callExperts.get(e.callId()))) {
                        callExperts.remove(e.callId());
                        Request r = byCall.remove(e.callId());
                        r.handle = at - callStarts.remove(e.callId());
                    }
                }
                case INTERPRETER_NEEDED -> {
                    DomainEvent.InterpreterNeeded e = (DomainEvent.InterpreterNeeded) event;
                    long ms = e.at().toEpochMilli();
                    if (ms >= from && ms < to && interpretedBy(rings, configs, e)) {
                        needs.needed(e, new Request(at, false));
                    }
                }
                case INTERPRETER_OFFERED -> {
                    Request r = needs.byId.get(((DomainEvent.InterpreterOffered) event).needId());
                    if (r != null) {
                        r.lastOfferAt = at;
                    }
                }
                case INTERPRETER_ANSWERED -> {
                    DomainEvent.InterpreterAnswered e = (DomainEvent.InterpreterAnswered) event;
                    Request r = needs.byId.get(e.needId());
                    if (r != null && e.outcome() == DomainEvent.InterpreterOutcome.ACCEPTED) {
                        r.answerDelay = at - r.lastOfferAt;
                    }
                }
                case INTERPRETER_NEED_ENDED -> {
                    long needId = ((DomainEvent.InterpreterNeedEnded) event).needId();
                    Request r = needs.byId.get(needId);
                    if (r != null && Double.isNaN(r.endedWaiting)) {
                        r.endedWaiting = at;
                        r.gaveUp = true;
                    }
                }
                case PARTY_JOINED -> {
                    DomainEvent.PartyJoined e = (DomainEvent.PartyJoined) event;
                    Request r = needs.byId.get(e.needId());
                    if (r != null && Double.isNaN(r.endedWaiting)) {
                        r.endedWaiting = at;
                        RingConfig ring = configs.get(e.ringId());
                        needs.joined.computeIfAbsent(e.callId(), c -> new HashMap<>()).put(e.partyId(),
                                new Joined(r, at, ring == null ? 0 : ring.wrapUp().toMillis() / 1000.0));
                    }
                }
                case PARTY_LEFT -> {
                    DomainEvent.PartyLeft e = (DomainEvent.PartyLeft) event;
                    Map<String, Joined> in = needs.joined.get(e.callId());
                    Joined j = in == null ? null : in.remove(e.partyId());
                    if (j != null) {
                        double until = e.wrapUpUntil() == null ? at : e.wrapUpUntil().toEpochMilli() / 1000.0;
                        j.need().handle = Math.max(at, until) - j.at();
                    }
                }
                case CALL_ENDED -> {
                    long callId = ((DomainEvent.CallEnded) event).callId();
                    Map<String, Joined> in = needs.joined.remove(callId);
                    if (in != null) {
                        for (Joined j : in.values()) {
                            j.need().handle = at - j.at() + j.wrapUpSeconds();
                        }
                    }
                    needs.gaveUp(needs.ofCall.remove(callId), at);
                }
                default -> { }
            }
        }, progress);
        double configured = 0;
        int interpreterRings = 0;
        for (String ring : rings) {
            if (!configs.containsKey(ring)) {
                throw new IllegalArgumentException("the journal has no ring '" + ring + "'; it has "
                        + new java.util.TreeSet<>(configs.keySet()));
            }
            configured += configs.get(ring).expectedHandleTime().toMillis() / 1000.0 / rings.size();
            interpreterRings += configs.get(ring).interpreterRing() ? 1 : 0;
        }
        if (interpreterRings > 0 && interpreterRings < rings.size()) {
            throw new IllegalArgumentException("interpreter rings (" + String.join(", ", rings.stream()
                    .filter(r -> configs.get(r).interpreterRing()).sorted().toList()) + ") answer interpreter needs, not "
                    + "requests: they cannot be pooled with the other rings named");
        }
        boolean interpreting = interpreterRings > 0;
        double start = Math.max(span[0], from == Long.MIN_VALUE ? span[0] : from / 1000.0);
        double end = Math.min(span[1], to == Long.MAX_VALUE ? span[1] : to / 1000.0);
        return build(new ArrayList<>(interpreting ? needs.byId.values() : requests.values()), span[1], period, patience,
                configured, seed, interpreting, start, end, JournalReader.unread(read));
    }

    /** Does one of {@code rings}, as configured so far, interpret the need's language from its service language? */
    private static boolean interpretedBy(Set<String> rings, Map<String, RingConfig> configs,
            DomainEvent.InterpreterNeeded e) {
        for (String id : rings) {
            RingConfig r = configs.get(id);
            if (r != null && r.interpreting().contains(e.language())
                    && (e.serviceLanguage() == null || r.languages().contains(e.serviceLanguage()))) {
                return true;
            }
        }
        return false;
    }

    private record Joined(Request need, double at, double wrapUpSeconds) {}

    /** The interpreter needs being read, by id, with what ends them. */
    private static final class Needs {
        final Map<Long, Request> byId = new LinkedHashMap<>();
        final Map<Long, List<Request>> ofRequest = new HashMap<>();
        final Map<Long, List<Request>> ofCall = new HashMap<>();
        /** Interpreters in a call, by call and interpreter, until they leave or the call ends. */
        final Map<Long, Map<String, Joined>> joined = new HashMap<>();

        void needed(DomainEvent.InterpreterNeeded e, Request r) {
            byId.put(e.needId(), r);
            if (e.requestId() != 0) {
                ofRequest.computeIfAbsent(e.requestId(), k -> new ArrayList<>()).add(r);
            } else {
                ofCall.computeIfAbsent(e.callId(), k -> new ArrayList<>()).add(r);
            }
        }

        /** The request or call ended: its needs no interpreter joined gave up then. */
        void gaveUp(List<Request> ended, double at) {
            if (ended == null) {
                return;
            }
            for (Request r : ended) {
                if (Double.isNaN(r.endedWaiting)) {
                    r.endedWaiting = at;
                    r.gaveUp = true;
                }
            }
        }
    }

    /** @param defaultHandleSeconds when no call was completed: the rings' configured expected handle time */
    private static RecordedTraffic build(List<Request> requests, double journalEnd, AnalysisOptions options,
            Double patience, double defaultHandleSeconds, long seed, boolean interpreting, double fromSeconds,
            double toSeconds, List<JournalDamage> unread) {
        QueueTally tally = new QueueTally();
        long grace = options.shortAbandonGrace().toMillis();
        List<Double> handles = new ArrayList<>();
        double waitingTotal = 0;
        long gaveUp = 0;
        double delaySum = 0;
        long delays = 0;
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
                if (!Double.isNaN(r.answerDelay)) { // an acceptance the journal shows no offer for: no ringing known
                    delays++;
                    delaySum += r.answerDelay;
                }
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
        double handleSum = 0;
        for (double h : handles) {
            handleSum += h;
        }
        return new RecordedTraffic(List.copyOf(arrivals), tally.figures(options.thresholds()), meanPatience,
                delays == 0 ? 0 : delaySum / delays, booked, interpreting, fromSeconds, toSeconds, handles.size(),
                handles.isEmpty() ? defaultHandleSeconds : handleSum / handles.size(), unread);
    }

    /** When the first request arrived, or null without requests. */
    public Instant firstArrival() {
        return arrivals.isEmpty() ? null : Instant.ofEpochMilli(Math.round(arrivals.get(0).at() * 1000));
    }
}
