package fi.palvelurinki.broker.analytics;

import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.DomainEvent.InterpreterOutcome;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.RingConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Interpreters and calls of three or four parties (issue 14), folded from the journal: how long needs
 * waited for an interpreter per language pair, how long accepted parties of a joint decision were held
 * for the second resource, how busy the interpreters were, and how many calls had an interpreter or a
 * second authority. Needs count in the period they were raised in, holds in the period they began in,
 * calls in the period they started in; interpreters' time is cut at the period's bounds. Only what is
 * still going on is remembered (open needs, holds and calls), so memory does not grow with the journal.
 */
final class InterpreterFold {
    static final String ALL = "all";
    static final String HELD_EXPERT = "expert";
    static final String HELD_INTERPRETER = "interpreter";

    private final long fromMillis;
    private final long toMillis;
    private final Map<String, RingConfig> rings = new HashMap<>();
    private final Map<String, ExpertProfile> experts = new HashMap<>();
    /** Language pairs each interpreter interprets; emptied when a ring or an expert changes. */
    private final Map<String, Set<String>> pairsOf = new HashMap<>();

    private final Map<Long, Need> needs = new HashMap<>();
    private final Map<String, WaitCell> waits = new TreeMap<>();

    private final Map<Long, Hold> expertHolds = new HashMap<>();
    private final Map<Long, Hold> interpreterHolds = new HashMap<>();
    private final Map<String, HoldCell> holds = new TreeMap<>();

    private final Map<Long, CallParties> calls = new HashMap<>();
    private final Map<String, Map<String, PartyCell>> callCells = new TreeMap<>();
    private final Map<String, String> authorityNames = new HashMap<>();
    private final Map<String, String> pointNames = new HashMap<>();

    private final Map<String, Clock> clocks = new HashMap<>();
    private final Map<String, UseCell> use = new TreeMap<>();

    /** An interpreter need not yet met or ended. {@code pair} null: raised outside the period. */
    private record Need(long at, String pair, long requestId, long callId) {}

    private record Hold(String partyId, long at) {}

    private static final class WaitCell {
        long needs;
        long joint;
        long duringCall;
        long unmet;
        long unmetMillis;
        final LongList met = new LongList();
    }

    private static final class HoldCell {
        long toCall;
        long released;
        long stillHeld;
        final LongList held = new LongList();
    }

    private static final class CallParties {
        final String authorityId;
        final String pointId;
        int now = 2;
        int most = 2;
        boolean interpreter;
        boolean secondAuthority;

        CallParties(String authorityId, String pointId) {
            this.authorityId = authorityId;
            this.pointId = pointId;
        }
    }

    private static final class PartyCell {
        long calls;
        long interpreter;
        long secondAuthority;
        long three;
        long four;
    }

    private static final class Clock {
        Presence presence = Presence.OFFLINE;
        long since;
    }

    private static final class UseCell {
        final Set<String> interpreters = new HashSet<>();
        long signedIn;
        long offered;
        long inCall;
    }

    InterpreterFold(long fromMillis, long toMillis) {
        this.fromMillis = fromMillis;
        this.toMillis = toMillis;
    }

    private boolean inPeriod(long at) {
        return at >= fromMillis && at < toMillis;
    }

    void accept(DomainEvent event) {
        long at = event.at().toEpochMilli();
        switch (event.type()) {
            case AUTHORITY_DEFINED -> {
                var a = ((DomainEvent.AuthorityDefined) event).authority();
                authorityNames.put(a.id(), a.name());
            }
            case POINT_DEFINED -> {
                var p = ((DomainEvent.PointDefined) event).point();
                pointNames.put(p.id(), p.name());
            }
            case RING_CONFIGURED -> {
                RingConfig r = ((DomainEvent.RingConfigured) event).ring();
                rings.put(r.id(), r);
                pairsOf.clear();
            }
            case EXPERT_DEFINED -> {
                ExpertProfile e = ((DomainEvent.ExpertDefined) event).expert();
                experts.put(e.id(), e);
                pairsOf.remove(e.id());
            }
            case PRESENCE_CHANGED -> {
                DomainEvent.PresenceChanged e = (DomainEvent.PresenceChanged) event;
                Clock c = clocks.computeIfAbsent(e.expertId(), id -> new Clock());
                spend(e.expertId(), c, at);
                c.presence = e.to();
                c.since = at;
            }
            case INTERPRETER_NEEDED -> needed((DomainEvent.InterpreterNeeded) event, at);
            case INTERPRETER_ANSWERED -> answered((DomainEvent.InterpreterAnswered) event, at);
            case INTERPRETER_NEED_ENDED -> {
                long needId = ((DomainEvent.InterpreterNeedEnded) event).needId();
                unmet(needs.remove(needId), at);
                release(interpreterHolds, needId, null, at, HELD_INTERPRETER);
            }
            case OFFER_HELD -> {
                DomainEvent.OfferHeld e = (DomainEvent.OfferHeld) event;
                if (inPeriod(at)) {
                    expertHolds.put(e.requestId(), new Hold(e.expertId(), at));
                }
            }
            case OFFER_DECLINED -> {
                DomainEvent.OfferDeclined e = (DomainEvent.OfferDeclined) event;
                release(expertHolds, e.requestId(), e.expertId(), at, HELD_EXPERT);
            }
            case OFFER_TIMED_OUT -> {
                DomainEvent.OfferTimedOut e = (DomainEvent.OfferTimedOut) event;
                release(expertHolds, e.requestId(), e.expertId(), at, HELD_EXPERT);
            }
            case OFFER_WITHDRAWN -> {
                DomainEvent.OfferWithdrawn e = (DomainEvent.OfferWithdrawn) event;
                release(expertHolds, e.requestId(), e.expertId(), at, HELD_EXPERT);
            }
            case REQUEST_ABANDONED -> {
                long requestId = ((DomainEvent.RequestAbandoned) event).requestId();
                release(expertHolds, requestId, null, at, HELD_EXPERT);
                if (!needs.isEmpty()) {
                    endNeeds(n -> n.requestId() == requestId && requestId != 0, at);
                }
            }
            case CALL_STARTED -> callStarted((DomainEvent.CallStarted) event, at);
            case CALL_ENDED -> {
                long callId = ((DomainEvent.CallEnded) event).callId();
                CallParties c = calls.remove(callId);
                if (c != null) {
                    count(c);
                }
                if (!needs.isEmpty()) {
                    endNeeds(n -> n.callId() == callId && callId != 0, at);
                }
            }
            case PARTY_JOINED -> joined((DomainEvent.PartyJoined) event, at);
            case PARTY_LEFT -> {
                CallParties c = calls.get(((DomainEvent.PartyLeft) event).callId());
                if (c != null) {
                    c.now--;
                }
            }
            default -> { }
        }
    }

    private void needed(DomainEvent.InterpreterNeeded e, long at) {
        if (!inPeriod(at)) {
            needs.put(e.needId(), new Need(at, null, e.requestId(), e.callId()));
            return;
        }
        String pair = pair(e.serviceLanguage(), e.language());
        needs.put(e.needId(), new Need(at, pair, e.requestId(), e.callId()));
        for (WaitCell w : List.of(wait(pair), wait(ALL))) {
            w.needs++;
            if (e.requestId() != 0) {
                w.joint++;
            } else {
                w.duringCall++;
            }
        }
    }

    /** An acceptance of a joint need holds the interpreter until the call starts; one of a call joins at once. */
    private void answered(DomainEvent.InterpreterAnswered e, long at) {
        if (e.outcome() == InterpreterOutcome.ACCEPTED) {
            Need n = needs.get(e.needId());
            if (n != null && n.requestId() != 0 && inPeriod(at)) {
                interpreterHolds.put(e.needId(), new Hold(e.interpreterId(), at));
            }
        } else if (e.outcome() == InterpreterOutcome.RELEASED || e.outcome() == InterpreterOutcome.WITHDRAWN) {
            release(interpreterHolds, e.needId(), e.interpreterId(), at, HELD_INTERPRETER);
        }
    }

    private void callStarted(DomainEvent.CallStarted e, long at) {
        Hold h = expertHolds.remove(e.requestId());
        if (h != null) {
            held(HELD_EXPERT, at - h.at(), h.partyId().equals(e.expertId()));
        }
        if (inPeriod(at)) {
            RingConfig ring = rings.get(e.ringId());
            CallParties c = new CallParties(ring == null ? e.ringId() : ring.authorityId(), e.pointId());
            calls.put(e.callId(), c);
            for (PartyCell p : cells(c)) {
                p.calls++;
            }
        }
    }

    private void joined(DomainEvent.PartyJoined e, long at) {
        CallParties c = calls.get(e.callId());
        if (c != null) {
            c.now++;
            c.most = Math.max(c.most, c.now);
            if ("interpreter".equals(e.role())) {
                c.interpreter = true;
            } else {
                c.secondAuthority = true;
            }
        }
        if (e.needId() == 0) {
            return;
        }
        Need n = needs.remove(e.needId());
        if (n != null && n.pair() != null) {
            long wait = at - n.at();
            wait(n.pair()).met.add(wait);
            wait(ALL).met.add(wait);
        }
        Hold h = interpreterHolds.remove(e.needId());
        // Joined at the instant of accepting: the expert was already held, nobody waited for this interpreter.
        if (h != null && at > h.at()) {
            held(HELD_INTERPRETER, at - h.at(), true);
        }
    }

    private void endNeeds(java.util.function.Predicate<Need> which, long at) {
        for (Iterator<Map.Entry<Long, Need>> it = needs.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Need> e = it.next();
            if (which.test(e.getValue())) {
                it.remove();
                unmet(e.getValue(), at);
                release(interpreterHolds, e.getKey(), null, at, HELD_INTERPRETER);
            }
        }
    }

    private void unmet(Need n, long at) {
        if (n == null || n.pair() == null) {
            return;
        }
        for (WaitCell w : List.of(wait(n.pair()), wait(ALL))) {
            w.unmet++;
            w.unmetMillis += at - n.at();
        }
    }

    /** Ends a hold without a call; {@code partyId} null: whoever is held. */
    private void release(Map<Long, Hold> from, long id, String partyId, long at, String kind) {
        Hold h = from.get(id);
        if (h != null && (partyId == null || h.partyId().equals(partyId))) {
            from.remove(id);
            held(kind, at - h.at(), false);
        }
    }

    private void held(String kind, long millis, boolean toCall) {
        for (String k : List.of(kind, ALL)) {
            HoldCell c = holds.computeIfAbsent(k, x -> new HoldCell());
            c.held.add(millis);
            if (toCall) {
                c.toCall++;
            } else {
                c.released++;
            }
        }
    }

    private WaitCell wait(String pair) {
        return waits.computeIfAbsent(pair, k -> new WaitCell());
    }

    static String pair(Language serviceLanguage, String language) {
        return (serviceLanguage == null ? "any" : serviceLanguage.code()) + "-" + language;
    }

    private List<PartyCell> cells(CallParties c) {
        return List.of(partyCell("total", JournalAnalyzer.TOTAL_KEY), partyCell("authority", c.authorityId),
                partyCell("point", c.pointId));
    }

    private PartyCell partyCell(String by, String key) {
        return callCells.computeIfAbsent(by, b -> new TreeMap<>()).computeIfAbsent(key, k -> new PartyCell());
    }

    private void count(CallParties c) {
        for (PartyCell p : cells(c)) {
            p.interpreter += c.interpreter ? 1 : 0;
            p.secondAuthority += c.secondAuthority ? 1 : 0;
            p.three += c.most == 3 ? 1 : 0;
            p.four += c.most >= 4 ? 1 : 0;
        }
    }

    /** The pairs {@code expertId} interprets in their interpreter rings; empty: not an interpreter. */
    private Set<String> pairs(String expertId) {
        return pairsOf.computeIfAbsent(expertId, id -> {
            ExpertProfile e = experts.get(id);
            if (e == null) {
                return Set.of();
            }
            Set<String> out = new TreeSet<>();
            for (String ringId : e.rings()) {
                RingConfig r = rings.get(ringId);
                if (r == null || !r.interpreterRing()) {
                    continue;
                }
                for (Language l : r.languages()) {
                    for (String x : r.interpreting()) {
                        if (e.interprets(x)) {
                            out.add(pair(l, x));
                        }
                    }
                }
            }
            return Set.copyOf(out);
        });
    }

    /** Adds an interpreter's time in their current presence, from when it began until {@code until}. */
    private void spend(String expertId, Clock c, long until) {
        long start = Math.max(c.since, fromMillis);
        long end = Math.min(until, toMillis);
        Presence p = c.presence;
        if (!p.staffed() || end <= start) {
            return;
        }
        Set<String> pairs = pairs(expertId);
        if (pairs.isEmpty()) {
            return;
        }
        long d = end - start;
        List<String> keys = new ArrayList<>(pairs);
        keys.add(ALL);
        for (String k : keys) {
            UseCell u = use.computeIfAbsent(k, x -> new UseCell());
            u.interpreters.add(expertId);
            u.signedIn += d;
            if (p == Presence.OFFERED) {
                u.offered += d;
            } else if (p == Presence.IN_CALL || p == Presence.WRAP_UP) {
                u.inCall += d;
            }
        }
    }

    /**
     * The figures, closing what is still open at {@code end} (the end of the covered period, the earlier of
     * the asked end and the journal's last event) over {@code coveredMillis}.
     */
    InterpreterFigures finish(long end, long coveredMillis) {
        for (Map.Entry<String, Clock> e : clocks.entrySet()) {
            spend(e.getKey(), e.getValue(), end);
        }
        for (CallParties c : calls.values()) {
            count(c);
        }
        calls.clear();
        stillHeld(HELD_EXPERT, expertHolds.size());
        stillHeld(HELD_INTERPRETER, interpreterHolds.size());
        expertHolds.clear();
        interpreterHolds.clear();
        Map<String, Long> openNeeds = new HashMap<>();
        for (Need n : needs.values()) {
            if (n.pair() != null) {
                openNeeds.merge(n.pair(), 1L, Long::sum);
                openNeeds.merge(ALL, 1L, Long::sum);
            }
        }
        return new InterpreterFigures(waitRows(openNeeds), holdRows(), useRows(coveredMillis), callRows());
    }

    private void stillHeld(String kind, int n) {
        if (n > 0) {
            holds.computeIfAbsent(kind, x -> new HoldCell()).stillHeld += n;
            holds.computeIfAbsent(ALL, x -> new HoldCell()).stillHeld += n;
        }
    }

    private List<InterpreterWaitRow> waitRows(Map<String, Long> openNeeds) {
        List<InterpreterWaitRow> out = new ArrayList<>();
        waits.forEach((key, w) -> {
            if (!key.equals(ALL)) {
                out.add(waitRow(key, w, openNeeds));
            }
        });
        if (waits.containsKey(ALL)) {
            out.add(waitRow(ALL, waits.get(ALL), openNeeds));
        }
        return out;
    }

    private static InterpreterWaitRow waitRow(String key, WaitCell w, Map<String, Long> openNeeds) {
        String[] p = key.equals(ALL) ? new String[] {"", ""} : key.split("-", 2);
        int met = w.met.size();
        return new InterpreterWaitRow(key, p[0], p[1], w.needs, w.joint, w.duringCall, met, w.unmet,
                openNeeds.getOrDefault(key, 0L), met == 0 ? null : Duration.ofMillis(w.met.percentile(0.5)),
                met == 0 ? null : Duration.ofMillis(w.met.percentile(0.9)),
                w.unmet == 0 ? null : Duration.ofMillis(Math.round((double) w.unmetMillis / w.unmet)));
    }

    private List<HoldRow> holdRows() {
        List<HoldRow> out = new ArrayList<>();
        for (String k : List.of(HELD_EXPERT, HELD_INTERPRETER, ALL)) {
            HoldCell c = holds.get(k);
            if (c == null) {
                continue;
            }
            int n = c.held.size();
            out.add(new HoldRow(k, n, c.toCall, c.released, c.stillHeld, Duration.ofMillis(c.held.sum()),
                    n == 0 ? null : Duration.ofMillis(c.held.percentile(0.5)),
                    n == 0 ? null : Duration.ofMillis(c.held.percentile(0.9))));
        }
        return out;
    }

    /** A row for each pair with interpreters or needs: a pair nobody interprets shows its needs, and no time. */
    private List<InterpreterUseRow> useRows(long coveredMillis) {
        List<InterpreterUseRow> out = new ArrayList<>();
        Set<String> keys = new TreeSet<>(use.keySet());
        keys.addAll(waits.keySet());
        keys.remove(ALL);
        for (String k : keys) {
            out.add(useRow(k, ringsInterpreting(k), coveredMillis));
        }
        if (!keys.isEmpty()) {
            Set<String> all = new TreeSet<>();
            rings.values().stream().filter(RingConfig::interpreterRing).forEach(r -> all.add(r.id()));
            out.add(useRow(ALL, String.join(",", all), coveredMillis));
        }
        return out;
    }

    private InterpreterUseRow useRow(String key, String ringIds, long coveredMillis) {
        UseCell u = use.getOrDefault(key, new UseCell());
        WaitCell w = waits.get(key);
        return new InterpreterUseRow(key, ringIds, u.interpreters.size(), w == null ? 0 : w.needs,
                Duration.ofMillis(u.signedIn), Duration.ofMillis(u.offered), Duration.ofMillis(u.inCall),
                Duration.ofMillis(coveredMillis));
    }

    private String ringsInterpreting(String pair) {
        Set<String> out = new TreeSet<>();
        for (RingConfig r : rings.values()) {
            for (Language l : r.languages()) {
                for (String x : r.interpreting()) {
                    if (pair(l, x).equals(pair)) {
                        out.add(r.id());
                    }
                }
            }
        }
        return String.join(",", out);
    }

    private List<PartyCallRow> callRows() {
        List<PartyCallRow> out = new ArrayList<>();
        for (String by : List.of("total", "authority", "point")) {
            Map<String, PartyCell> cells = callCells.getOrDefault(by, Map.of());
            cells.forEach((key, c) -> out.add(new PartyCallRow(by, key, switch (by) {
                case "authority" -> authorityNames.getOrDefault(key, key);
                case "point" -> pointNames.getOrDefault(key, key);
                default -> "All calls";
            }, c.calls, c.interpreter, c.secondAuthority, c.three, c.four)));
        }
        return out;
    }
}
