package fi.palvelurinki.broker.analytics;

import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.DomainEvent.CallEnded;
import fi.palvelurinki.broker.journal.DomainEvent.CallStarted;
import fi.palvelurinki.broker.journal.DomainEvent.ExpertDefined;
import fi.palvelurinki.broker.journal.DomainEvent.OfferAccepted;
import fi.palvelurinki.broker.journal.DomainEvent.PresenceChanged;
import fi.palvelurinki.broker.journal.DomainEvent.RequestAbandoned;
import fi.palvelurinki.broker.journal.DomainEvent.RequestQueued;
import fi.palvelurinki.broker.journal.DomainEvent.WrapUpEnded;
import fi.palvelurinki.broker.journal.JournalReader;
import fi.palvelurinki.broker.journal.JournalSource;
import fi.palvelurinki.broker.point.ServicePoint;
import fi.palvelurinki.broker.ring.OpeningHours;
import fi.palvelurinki.broker.ring.RingConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Folds journal events, in journal order, into efficiency figures for a period (definitions in
 * {@code docs/metrics.md}).
 *
 * <p>Attribution: a request belongs to the period if it was queued in it, and is followed to its end
 * even past the period; a call belongs to the period it started in; experts' time is cut at the
 * period's bounds and at every hour. The end of the covered period is the earlier of the asked end and
 * the journal's last event — the journal cannot tell what happened after its last event.
 *
 * <p>Bookings are one more fold beside requests, calls and presence ({@link BookingFold}). Their booked
 * calls are also requests and calls like any other. Call quality is another ({@link QualityFold}), and so are
 * the experts' call outcomes ({@link OutcomeFold}), and interpreters with calls of three or four parties
 * ({@link InterpreterFold}).
 */
public final class JournalAnalyzer implements Consumer<DomainEvent> {
    /** Bounds of the wait-time distribution's bars. */
    static final List<Duration> WAIT_BOUNDS = List.of(Duration.ofSeconds(10), Duration.ofSeconds(20),
            Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(2), Duration.ofMinutes(5),
            Duration.ofMinutes(10), Duration.ofMinutes(20), Duration.ofMinutes(30));
    static final String TOTAL_KEY = "all";
    /**
     * Lateness (of the point starting a booked call, of the expert answering it) and early ends up to this
     * are ordinary connection slack, not counted as late starts or early ends.
     */
    public static final Duration LATE_TOLERANCE = Duration.ofMinutes(2);
    /** A cancellation with less notice than this is late: the freed slot is hard to book again the same day. */
    public static final Duration LATE_CANCEL_NOTICE = Duration.ofHours(24);

    private final AnalysisOptions options;
    private final long fromMillis;
    private final long toMillis;
    private final long graceMillis;
    private final HourIndex hours = new HourIndex(OpeningHours.ZONE);
    private final QualityFold quality;
    private final OutcomeFold outcomes;
    private final ChangeFold changes;
    private final CallbackFold callbacks;
    private final InterpreterFold interpreters;

    private final Map<String, String> authorityNames = new HashMap<>();
    private final Map<String, RingConfig> rings = new HashMap<>();
    private final Map<String, ServicePoint> points = new HashMap<>();
    private final Map<String, ExpertClock> experts = new HashMap<>();

    private final EnumMap<Dimension, Map<String, Tally>> tallies = new EnumMap<>(Dimension.class);
    private final Map<Long, Waiting> waiting = new HashMap<>();
    private final Map<Long, Call> calls = new HashMap<>();
    private final Map<String, Slot[]> slots = new HashMap<>();
    private final Map<String, long[]> contacts = new TreeMap<>();

    private final Map<String, String> serviceNames = new HashMap<>();
    private final BookingFold bookingFold;

    /** Interpreter needs of the period not yet met or ended, by need id: their interpreter rings' slots. */
    private final Map<Long, NeedWait> needWaits = new HashMap<>();
    /** Interpreters in a call, by call, until they leave or the call ends. */
    private final Map<Long, List<Interpreting>> interpreting = new HashMap<>();

    private long events;
    private long firstMillis = Long.MAX_VALUE;
    private long lastMillis = Long.MIN_VALUE;

    private static final class ExpertClock {
        String name;
        Set<String> rings;
        Presence presence = Presence.OFFLINE;
        long since;
    }

    /** A request of the period not yet answered or given up. */
    private record Waiting(long queuedAt, Tally[] tallies, Slot slot, long thresholdMillis, long[] contact) {}

    private static final class Call {
        final String expertId;
        final long startedAt;
        final Tally[] tallies;
        final Slot slot;
        long endedAt = -1;

        Call(String expertId, long startedAt, Tally[] tallies, Slot slot) {
            this.expertId = expertId;
            this.startedAt = startedAt;
            this.tallies = tallies;
            this.slot = slot;
        }
    }

    private record NeedWait(long at, long requestId, long callId, List<Slot> slots, List<Long> thresholds) {}

    /** An interpreter who joined a call: their handle time goes to their ring's slot of the hour they joined. */
    private record Interpreting(String interpreterId, long joinedAt, Slot slot, long wrapUpMillis) {}

    /** One ring in one hour of the week, summed over the period. */
    static final class Slot {
        long arrivals;
        long answered;
        long answeredInTime;
        long abandoned;
        long calls;
        long handleMillis;
        long signedInMillis;
        long busyMillis;
        long idleMillis;
        long coveredMillis;
    }

    public JournalAnalyzer(AnalysisOptions options) {
        this.options = options;
        this.fromMillis = options.from() == null ? Long.MIN_VALUE : options.from().toEpochMilli();
        this.toMillis = options.to() == null ? Long.MAX_VALUE : options.to().toEpochMilli();
        this.quality = new QualityFold(fromMillis, toMillis, hours);
        this.outcomes = new OutcomeFold(fromMillis, toMillis);
        this.changes = new ChangeFold(fromMillis, toMillis);
        this.callbacks = new CallbackFold(fromMillis, toMillis);
        this.interpreters = new InterpreterFold(fromMillis, toMillis);
        this.graceMillis = options.shortAbandonGrace().toMillis();
        for (Dimension d : Dimension.values()) {
            tallies.put(d, new HashMap<>());
        }
        this.bookingFold = new BookingFold(hours, this::inPeriod, ring -> rings.get(ring).authorityId());
    }

    /** Reads a journal directory ({@code DATA/journal}) read-only, around any damage, and analyses it. */
    public static JournalAnalysis analyze(Path journalDir, AnalysisOptions options, JournalReader.Progress progress)
            throws IOException {
        return analyze(new JournalSource.Directory(journalDir), options, progress);
    }

    /** Reads a journal of either backend read-only, around any damage, and analyses it. */
    public static JournalAnalysis analyze(JournalSource journal, AnalysisOptions options, JournalReader.Progress progress)
            throws IOException {
        JournalAnalyzer a = new JournalAnalyzer(options);
        JournalReader.Outcome read = journal.readAround(e -> a.accept(e.event()), progress);
        return a.finish().withUnread(JournalReader.unread(read));
    }

    @Override
    public void accept(DomainEvent event) {
        long at = event.at().toEpochMilli();
        events++;
        firstMillis = Math.min(firstMillis, at);
        lastMillis = Math.max(lastMillis, at);
        quality.accept(event);
        outcomes.accept(event);
        changes.accept(event);
        callbacks.accept(event);
        interpreters.accept(event);
        switch (event.type()) {
            case AUTHORITY_DEFINED -> {
                DomainEvent.AuthorityDefined e = (DomainEvent.AuthorityDefined) event;
                authorityNames.put(e.authority().id(), e.authority().name());
            }
            case RING_CONFIGURED -> {
                RingConfig r = ((DomainEvent.RingConfigured) event).ring();
                rings.put(r.id(), r);
            }
            case POINT_DEFINED -> {
                ServicePoint p = ((DomainEvent.PointDefined) event).point();
                points.put(p.id(), p);
            }
            case EXPERT_DEFINED -> expertDefined((ExpertDefined) event);
            case REQUEST_QUEUED -> {
                bookingFold.accept(event, at);
                queued((RequestQueued) event, at);
            }
            case REQUEST_OVERFLOWED -> {
                Waiting w = waiting.get(((DomainEvent.RequestOverflowed) event).requestId());
                if (w != null) {
                    for (Tally t : w.tallies) {
                        t.queue.overflowed();
                    }
                }
            }
            case OFFER_ACCEPTED -> accepted((OfferAccepted) event, at);
            case REQUEST_ABANDONED -> {
                bookingFold.accept(event, at);
                abandoned((RequestAbandoned) event, at);
                long requestId = ((RequestAbandoned) event).requestId();
                if (!needWaits.isEmpty() && requestId != 0) {
                    needWaits.values().removeIf(n -> n.requestId() == requestId && needEnded(n, at));
                }
            }
            case OFFER_MADE -> {
                DomainEvent.OfferMade e = (DomainEvent.OfferMade) event;
                countOffer(Tally.Offer.MADE, e.expertId(), e.ringId(), at);
            }
            case OFFER_DECLINED -> {
                DomainEvent.OfferDeclined e = (DomainEvent.OfferDeclined) event;
                countOffer(Tally.Offer.DECLINED, e.expertId(), e.ringId(), at);
            }
            case OFFER_TIMED_OUT -> {
                DomainEvent.OfferTimedOut e = (DomainEvent.OfferTimedOut) event;
                countOffer(Tally.Offer.MISSED, e.expertId(), e.ringId(), at);
            }
            case OFFER_WITHDRAWN -> {
                DomainEvent.OfferWithdrawn e = (DomainEvent.OfferWithdrawn) event;
                countOffer(Tally.Offer.WITHDRAWN, e.expertId(), e.ringId(), at);
            }
            case CALL_STARTED -> {
                bookingFold.accept(event, at);
                callStarted((CallStarted) event, at);
            }
            case CALL_ENDED -> {
                long callId = ((CallEnded) event).callId();
                Call c = calls.get(callId);
                if (c != null) {
                    c.endedAt = at;
                }
                callEndedForInterpreters(callId, at);
            }
            case WRAP_UP_ENDED -> {
                bookingFold.accept(event, at);
                wrapUpEnded((WrapUpEnded) event, at);
            }
            case PRESENCE_CHANGED -> presenceChanged((PresenceChanged) event, at);
            case SERVICE_DEFINED -> {
                DomainEvent.ServiceDefined e = (DomainEvent.ServiceDefined) event;
                serviceNames.put(e.service().id(), e.service().name());
            }
            case BOOKING_CONFIRMED, BOOKING_RESCHEDULED, BOOKING_CANCELLED, BOOKING_START_REQUESTED, BOOKING_STARTED,
                    BOOKING_COMPLETED, BOOKING_NO_SHOW, BOOKING_FROM_HOME, CUSTOMER_JOINED, DEVICE_CHECK_FAILED ->
                    bookingFold.accept(event, at);
            case INTERPRETER_NEEDED -> needed((DomainEvent.InterpreterNeeded) event, at);
            case INTERPRETER_NEED_ENDED -> needEnded(needWaits.remove(((DomainEvent.InterpreterNeedEnded) event).needId()), at);
            case PARTY_JOINED -> partyJoined((DomainEvent.PartyJoined) event, at);
            case PARTY_LEFT -> {
                DomainEvent.PartyLeft e = (DomainEvent.PartyLeft) event;
                List<Interpreting> in = interpreting.get(e.callId());
                if (in != null) {
                    in.removeIf(i -> {
                        if (!i.interpreterId().equals(e.partyId())) {
                            return false;
                        }
                        long until = e.wrapUpUntil() == null ? at : Math.max(at, e.wrapUpUntil().toEpochMilli());
                        i.slot().calls++;
                        i.slot().handleMillis += until - i.joinedAt();
                        return true;
                    });
                }
            }
            case ADVISOR_DEFINED, LANGUAGE_ESCALATED, CALL_QUALITY_REPORTED, CALL_OUTCOME_RECORDED, SIGNED_IN,
                    SIGNED_OUT, INTERPRETER_OFFERED, INTERPRETER_ANSWERED, OFFER_HELD, JOIN_REQUESTED -> { }
        }
    }

    private boolean inPeriod(long at) {
        return at >= fromMillis && at < toMillis;
    }

    private void expertDefined(ExpertDefined e) {
        ExpertClock c = experts.computeIfAbsent(e.expert().id(), id -> new ExpertClock());
        c.name = e.expert().name();
        c.rings = e.expert().rings();
    }

    private void queued(RequestQueued e, long at) {
        if (!inPeriod(at)) {
            return;
        }
        HourIndex.Hour h = hours.at(at);
        RingConfig ring = rings.get(e.ringId());
        String authority = ring.authorityId();
        Tally[] ts = {
            tally(Dimension.TOTAL, TOTAL_KEY), tally(Dimension.RING, e.ringId()), tally(Dimension.AUTHORITY, authority),
            tally(Dimension.POINT, e.pointId()), tally(Dimension.HOUR_OF_DAY, hourKey(h.hourOfDay())),
            tally(Dimension.DAY, h.day()), tally(Dimension.MONTH, h.month())
        };
        for (Tally t : ts) {
            t.queue.offered();
        }
        Slot slot = slots(e.ringId())[h.weekHour()];
        slot.arrivals++;
        long[] contact = contacts.computeIfAbsent(authority + '\n' + e.pointId() + '\n' + h.month(), k -> new long[2]);
        contact[0]++;
        waiting.put(e.requestId(), new Waiting(at, ts, slot, ring.serviceLevelThreshold().toMillis(), contact));
    }

    private void accepted(OfferAccepted e, long at) {
        countOffer(Tally.Offer.ACCEPTED, e.expertId(), e.ringId(), at);
        Waiting w = waiting.remove(e.requestId());
        if (w == null) {
            return;
        }
        long wait = at - w.queuedAt;
        for (Tally t : w.tallies) {
            t.queue.answered(wait);
        }
        w.slot.answered++;
        if (wait <= w.thresholdMillis) {
            w.slot.answeredInTime++;
        }
        w.contact[1]++;
    }

    private void abandoned(RequestAbandoned e, long at) {
        Waiting w = waiting.remove(e.requestId());
        if (w == null) {
            return;
        }
        long wait = at - w.queuedAt;
        for (Tally t : w.tallies) {
            t.queue.abandoned(wait, graceMillis);
        }
        if (wait >= graceMillis) {
            w.slot.abandoned++;
        }
    }

    /**
     * An interpreter need is an arrival for each interpreter ring that interprets its language from its service
     * language: the staffing recommendations of interpreter rings come from their needs, as an authority's
     * ring's come from its requests.
     */
    private void needed(DomainEvent.InterpreterNeeded e, long at) {
        if (!inPeriod(at)) {
            return;
        }
        int weekHour = hours.at(at).weekHour();
        List<Slot> ringSlots = new ArrayList<>(1);
        List<Long> thresholds = new ArrayList<>(1);
        for (RingConfig r : rings.values()) {
            if (r.interpreting().contains(e.language())
                    && (e.serviceLanguage() == null || r.languages().contains(e.serviceLanguage()))) {
                Slot slot = slots(r.id())[weekHour];
                slot.arrivals++;
                ringSlots.add(slot);
                thresholds.add(r.serviceLevelThreshold().toMillis());
            }
        }
        if (!ringSlots.isEmpty()) {
            needWaits.put(e.needId(), new NeedWait(at, e.requestId(), e.callId(), ringSlots, thresholds));
        }
    }

    private void partyJoined(DomainEvent.PartyJoined e, long at) {
        NeedWait n = e.needId() == 0 ? null : needWaits.remove(e.needId());
        if (n != null) {
            long wait = at - n.at();
            for (int i = 0; i < n.slots().size(); i++) {
                n.slots().get(i).answered++;
                if (wait <= n.thresholds().get(i)) {
                    n.slots().get(i).answeredInTime++;
                }
            }
        }
        RingConfig ring = rings.get(e.ringId());
        if ("interpreter".equals(e.role()) && ring != null && inPeriod(at)) {
            interpreting.computeIfAbsent(e.callId(), c -> new ArrayList<>(1)).add(new Interpreting(e.partyId(), at,
                    slots(ring.id())[hours.at(at).weekHour()], ring.wrapUp().toMillis()));
        }
    }

    /** The need ended unmet; true (for removeIf) when there was one. */
    private boolean needEnded(NeedWait n, long at) {
        if (n == null) {
            return false;
        }
        if (at - n.at() >= graceMillis) {
            for (Slot s : n.slots()) {
                s.abandoned++;
            }
        }
        return true;
    }

    /** The call's end ends its interpreters' talk (their wrap-up is their ring's) and its needs not yet met. */
    private void callEndedForInterpreters(long callId, long at) {
        List<Interpreting> in = interpreting.remove(callId);
        if (in != null) {
            for (Interpreting i : in) {
                i.slot().calls++;
                i.slot().handleMillis += at - i.joinedAt() + i.wrapUpMillis();
            }
        }
        if (!needWaits.isEmpty()) {
            needWaits.values().removeIf(n -> n.callId() == callId && n.requestId() == 0 && needEnded(n, at));
        }
    }

    private void callStarted(CallStarted e, long at) {
        if (!inPeriod(at)) {
            return;
        }
        HourIndex.Hour h = hours.at(at);
        Tally[] ts = {
            tally(Dimension.TOTAL, TOTAL_KEY), tally(Dimension.RING, e.ringId()),
            tally(Dimension.AUTHORITY, rings.get(e.ringId()).authorityId()), tally(Dimension.POINT, e.pointId()),
            tally(Dimension.EXPERT, e.expertId()), tally(Dimension.HOUR_OF_DAY, hourKey(h.hourOfDay())),
            tally(Dimension.DAY, h.day()), tally(Dimension.MONTH, h.month())
        };
        calls.put(e.callId(), new Call(e.expertId(), at, ts, slots(e.ringId())[h.weekHour()]));
    }

    private void wrapUpEnded(WrapUpEnded e, long at) {
        Call c = calls.get(e.callId());
        // A joined party's wrap-up (interpreter, second authority) ends too, even before the call does.
        if (c == null || !c.expertId.equals(e.expertId())) {
            return;
        }
        calls.remove(e.callId());
        if (c.endedAt < 0) {
            return;
        }
        long talk = c.endedAt - c.startedAt;
        long wrap = at - c.endedAt;
        for (Tally t : c.tallies) {
            t.calls++;
            t.talkMillis += talk;
            t.wrapUpMillis += wrap;
        }
        c.slot.calls++;
        c.slot.handleMillis += talk + wrap;
    }

    /** Offers count where the offer event happened: to the expert, the ring they answer for, its authority, and the time. */
    private void countOffer(Tally.Offer outcome, String expertId, String ringId, long at) {
        if (!inPeriod(at)) {
            return;
        }
        HourIndex.Hour h = hours.at(at);
        for (Tally t : List.of(tally(Dimension.TOTAL, TOTAL_KEY), tally(Dimension.RING, ringId),
                tally(Dimension.AUTHORITY, rings.get(ringId).authorityId()), tally(Dimension.EXPERT, expertId),
                tally(Dimension.HOUR_OF_DAY, hourKey(h.hourOfDay())), tally(Dimension.DAY, h.day()),
                tally(Dimension.MONTH, h.month()))) {
            t.offers[outcome.ordinal()]++;
        }
    }

    private void presenceChanged(PresenceChanged e, long at) {
        ExpertClock c = experts.get(e.expertId());
        spend(e.expertId(), c, at);
        c.presence = e.to();
        c.since = at;
    }

    /** Adds the expert's time in their current presence, from when it began until {@code until}. */
    private void spend(String expertId, ExpertClock c, long until) {
        Presence p = c.presence;
        long start = Math.max(c.since, fromMillis);
        long end = Math.min(until, toMillis);
        if (p == Presence.OFFLINE || end <= start) {
            return;
        }
        int i = p.ordinal();
        long all = end - start;
        Set<String> authorities = new LinkedHashSet<>();
        for (String ring : c.rings) {
            tally(Dimension.RING, ring).presenceMillis[i] += all;
            authorities.add(rings.get(ring).authorityId());
        }
        for (String authority : authorities) {
            tally(Dimension.AUTHORITY, authority).presenceMillis[i] += all;
        }
        tally(Dimension.TOTAL, TOTAL_KEY).presenceMillis[i] += all;
        tally(Dimension.EXPERT, expertId).presenceMillis[i] += all;
        for (long s = start; s < end; ) {
            long epochHour = Math.floorDiv(s, HourIndex.HOUR_MILLIS);
            long e = Math.min(end, (epochHour + 1) * HourIndex.HOUR_MILLIS);
            long part = e - s;
            HourIndex.Hour h = hours.of(epochHour);
            tally(Dimension.HOUR_OF_DAY, hourKey(h.hourOfDay())).presenceMillis[i] += part;
            tally(Dimension.DAY, h.day()).presenceMillis[i] += part;
            tally(Dimension.MONTH, h.month()).presenceMillis[i] += part;
            for (String ring : c.rings) {
                Slot slot = slots(ring)[h.weekHour()];
                if (p.staffed()) {
                    slot.signedInMillis += part;
                }
                if (p == Presence.IN_CALL || p == Presence.WRAP_UP) {
                    slot.busyMillis += part;
                } else if (p == Presence.AVAILABLE) {
                    slot.idleMillis += part;
                }
            }
            s = e;
        }
    }

    private Tally tally(Dimension d, String key) {
        return tallies.get(d).computeIfAbsent(key, k -> new Tally());
    }

    private Slot[] slots(String ringId) {
        return slots.computeIfAbsent(ringId, r -> {
            Slot[] s = new Slot[7 * 24];
            for (int i = 0; i < s.length; i++) {
                s[i] = new Slot();
            }
            return s;
        });
    }

    static String hourKey(int hourOfDay) {
        return hourOfDay < 10 ? "0" + hourOfDay : Integer.toString(hourOfDay);
    }

    /** Closes the period: open intervals end, requests still waiting are counted, rows are built. */
    public JournalAnalysis finish() {
        long start = Math.max(fromMillis, firstMillis);
        long end = Math.min(toMillis, lastMillis);
        if (events == 0 || end < start) {
            return new JournalAnalysis(options, null, null, events, Map.of(), List.of(), List.of(), List.of(), Map.of());
        }
        for (Map.Entry<String, ExpertClock> e : experts.entrySet()) {
            spend(e.getKey(), e.getValue(), end);
        }
        for (Waiting w : waiting.values()) {
            for (Tally t : w.tallies) {
                t.queue.stillWaiting();
            }
        }
        tally(Dimension.TOTAL, TOTAL_KEY);
        for (long s = start; s < end; ) {
            long epochHour = Math.floorDiv(s, HourIndex.HOUR_MILLIS);
            long e = Math.min(end, (epochHour + 1) * HourIndex.HOUR_MILLIS);
            HourIndex.Hour h = hours.of(epochHour);
            tally(Dimension.HOUR_OF_DAY, hourKey(h.hourOfDay())).coveredMillis += e - s;
            tally(Dimension.DAY, h.day()).coveredMillis += e - s;
            tally(Dimension.MONTH, h.month()).coveredMillis += e - s;
            for (Slot[] ring : slots.values()) {
                ring[h.weekHour()].coveredMillis += e - s;
            }
            s = e;
        }
        for (Dimension d : List.of(Dimension.TOTAL, Dimension.RING, Dimension.AUTHORITY, Dimension.POINT, Dimension.EXPERT)) {
            for (Tally t : tallies.get(d).values()) {
                t.coveredMillis = end - start;
            }
        }
        Map<Dimension, List<FigureRow>> rows = new EnumMap<>(Dimension.class);
        for (Dimension d : Dimension.values()) {
            List<FigureRow> list = new ArrayList<>();
            new TreeMap<>(tallies.get(d)).forEach((key, t) -> list.add(t.row(d, key, label(d, key), options.thresholds())));
            rows.put(d, List.copyOf(list));
        }
        Map<Dimension, List<BookingRow>> bookingRows = bookingFold.rows(this::label);
        Map<String, FigureRow> byRing = new HashMap<>();
        rows.get(Dimension.RING).forEach(r -> byRing.put(r.key(), r));
        return new JournalAnalysis(options, Instant.ofEpochMilli(start), Instant.ofEpochMilli(end), events,
                rows, contactRows(), recommendations(byRing),
                tallies.get(Dimension.TOTAL).get(TOTAL_KEY).queue.distribution(WAIT_BOUNDS), bookingRows, quality.rows(),
                outcomes.rows((by, key) -> switch (by) {
                    case TOTAL -> "All rings";
                    case RING -> label(Dimension.RING, key);
                    case POINT -> label(Dimension.POINT, key);
                    case TOPIC -> key;
                }), changes.rows(),
                callbacks.rows(id -> rings.containsKey(id) ? rings.get(id).name() : id),
                interpreters.finish(end, end - start), List.of());
    }

    private String label(Dimension d, String key) {
        return switch (d) {
            case TOTAL -> "All rings";
            case RING -> rings.containsKey(key) ? rings.get(key).name() : key;
            case AUTHORITY -> authorityNames.getOrDefault(key, key);
            case POINT -> points.containsKey(key) ? points.get(key).name() : key;
            case EXPERT -> experts.containsKey(key) ? experts.get(key).name : key;
            case SERVICE -> serviceNames.getOrDefault(key, key);
            case HOUR_OF_DAY -> key + "–" + hourKey(Integer.parseInt(key) + 1);
            case DAY -> DayOfWeek.from(java.time.LocalDate.parse(key)).getDisplayName(java.time.format.TextStyle.SHORT,
                    java.util.Locale.ENGLISH) + " " + key;
            case MONTH -> key;
        };
    }

    private List<ContactRow> contactRows() {
        List<ContactRow> out = new ArrayList<>();
        contacts.forEach((key, counts) -> {
            String[] k = key.split("\n", -1);
            ServicePoint p = points.get(k[1]);
            out.add(new ContactRow(k[0], authorityNames.getOrDefault(k[0], k[0]), k[1], p == null ? k[1] : p.name(),
                    p == null ? "" : p.municipality(), k[2], counts[0], counts[1]));
        });
        return List.copyOf(out);
    }

    /** An interpreter ring's calls are other rings' calls: its mean handle time is that of its interpreters. */
    private static Duration interpreterAht(Slot[] week) {
        long calls = 0;
        long handle = 0;
        for (Slot s : week) {
            calls += s.calls;
            handle += s.handleMillis;
        }
        return calls == 0 ? null : Duration.ofMillis(Math.round((double) handle / calls));
    }

    private List<Recommendation> recommendations(Map<String, FigureRow> byRing) {
        List<Recommendation> out = new ArrayList<>();
        for (String ringId : new TreeMap<>(slots).keySet()) {
            RingConfig ring = rings.get(ringId);
            Slot[] week = slots.get(ringId);
            for (int wh = 0; wh < week.length; wh++) {
                Slot s = week[wh];
                if (s.arrivals == 0 || s.coveredMillis == 0) {
                    continue;
                }
                double aht;
                String basis;
                Duration ringAht = ring.interpreterRing() ? interpreterAht(week)
                        : byRing.containsKey(ringId) ? byRing.get(ringId).handle().aht() : null;
                if (s.calls >= Recommendation.MIN_CALLS_FOR_OWN_AHT) {
                    aht = s.handleMillis / 1000.0 / s.calls;
                    basis = "this hour";
                } else if (ringAht != null && !ringAht.isZero()) {
                    aht = ringAht.toMillis() / 1000.0;
                    basis = "ring";
                } else {
                    aht = ring.expectedHandleTime().toMillis() / 1000.0;
                    basis = "configured";
                }
                double threshold = ring.serviceLevelThreshold().toMillis() / 1000.0;
                double seconds = s.coveredMillis / 1000.0;
                StaffingEstimate need = Erlang.minimumAgents(
                        Workload.withoutAbandonment(s.arrivals / seconds, aht), threshold, options.target());
                long counted = s.answered + s.abandoned;
                out.add(new Recommendation(ringId, ring.name(), DayOfWeek.of(wh / 24 + 1), wh % 24, seconds / 3600,
                        s.arrivals, aht, basis, threshold, options.target(), need.agents(), need.serviceLevel(),
                        s.signedInMillis / 1000.0 / seconds,
                        s.busyMillis + s.idleMillis == 0 ? Double.NaN : (double) s.busyMillis / (s.busyMillis + s.idleMillis),
                        counted == 0 ? Double.NaN : (double) s.answeredInTime / counted));
            }
        }
        return List.copyOf(out);
    }
}
