package fi.palvelurinki.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fi.palvelurinki.loadtest.ws.WsClient;
import fi.palvelurinki.signaling.auth.Role;
import fi.palvelurinki.signaling.auth.TokenService;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The load generator: plays a scenario's service points, advisors and experts against a running server
 * over the WebSocket protocol (docs/protocol.md), like any other client, and measures what users feel.
 *
 * <p>The run: connect everyone (heap per session from the server's /metrics around it, after a GC);
 * the baselines — the server's plain relay ({@code /bench/relay}) and the bare Netty relay, first flooded
 * for their ceilings, then at {@code relayCeilingShare} of the plain relay's ceiling; the same rate through
 * calls held open on {@code /ws}; then the call traffic (Poisson arrivals) with a warm-up; then the
 * reconnect storm. See docs/performance.md.
 */
public final class LoadGenerator {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** {@code -Dpalvelurinki.loadtest.debug=true}: errors are printed with the message they answer. */
    private static final boolean DEBUG = Boolean.getBoolean("palvelurinki.loadtest.debug");
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("\"id\":\"([^\"]+)\"");

    /**
     * @param http       the server's base URL
     * @param secret     the server's token secret
     * @param bareRelay  the bare Netty relay's WebSocket URL ({@code ws://…/relay}), or null to skip it
     */
    public record Target(URI http, byte[] secret, URI bareRelay) {}

    public record Options(Scenario scenario, Target target, int clientThreads, PrintStream out) {}

    private final Scenario s;
    private final Options o;
    private final PrintStream out;
    private final Stats stats = new Stats();
    private final Population pop;
    private final TokenService tokens;
    private final Payloads payloads;
    private final URI wsUri;
    private WsClient ws;
    private volatile boolean running = true;

    // call traffic state
    private final Map<String, CallState> byKey = new ConcurrentHashMap<>();
    private final Map<Long, CallState> byRequest = new ConcurrentHashMap<>();
    private final Map<Long, CallState> byCall = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> waiting = new ConcurrentHashMap<>();
    private final AtomicLong keys = new AtomicLong();
    private final Stats.Latency relayPhase = new Stats.Latency();
    private final Stats.Latency relayPhaseSmall = new Stats.Latency();
    private final Stats.Latency relayPhaseLarge = new Stats.Latency();
    private volatile Stats.Latency relayRecorder;

    public LoadGenerator(Options o) {
        this.o = o;
        this.s = o.scenario();
        this.out = o.out();
        this.pop = new Population(s);
        this.tokens = new TokenService(o.target().secret(), InstantSource.system());
        this.payloads = new Payloads(s.sdpBytes(), s.seed());
        String base = o.target().http().toString().replaceFirst("^http", "ws").replaceAll("/$", "");
        this.wsUri = URI.create(base + "/ws");
        pop.rings.forEach(r -> waiting.put(r, new AtomicInteger()));
    }

    // ------------------------------------------------------------------ calls

    /** One call of the scenario, seen from both ends. Times are System.nanoTime. */
    final class CallState {
        final String key;
        final String ring;
        final long intended;
        final AdvisorClient advisor;
        final boolean relayCall;
        final AtomicBoolean offered = new AtomicBoolean();
        volatile long requestId;
        volatile long callId;
        volatile ExpertClient expert;
        volatile long acceptIntended;
        final AtomicInteger connectedSides = new AtomicInteger();
        final AtomicInteger endedSides = new AtomicInteger();
        final ConcurrentLinkedQueue<Long> toExpert = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Long> toAdvisor = new ConcurrentLinkedQueue<>();
        volatile boolean connected;
        volatile boolean hangingUp;
        /** Advisor's loop only: the talk time is over; the expert has sent its last candidate. */
        boolean talkOver;
        boolean expertDone;

        CallState(String key, String ring, long intended, AdvisorClient advisor, boolean relayCall) {
            this.key = key;
            this.ring = ring;
            this.intended = intended;
            this.advisor = advisor;
            this.relayCall = relayCall;
        }

        void sideConnected(long now) {
            if (connectedSides.incrementAndGet() == 2) {
                connected = true;
                stats.callsConnected.increment();
                if (!relayCall && acceptIntended != 0) {
                    stats.acceptToConnected.recordNanos(now - acceptIntended);
                }
            }
        }

        void sideEnded() {
            if (endedSides.incrementAndGet() == 2) {
                stats.callsEnded.increment();
                byKey.remove(key);
                byRequest.remove(requestId);
                byCall.remove(callId);
            }
        }

        /** Sends a signal from one party on its loop, queueing its intended time for the receiver. */
        void signal(boolean fromAdvisor, long intended, String text) {
            if (hangingUp || endedSides.get() > 0) {
                return;
            }
            Client from = fromAdvisor ? advisor : expert;
            (fromAdvisor ? toExpert : toAdvisor).add(intended);
            from.send(text);
        }

        void received(boolean atAdvisor, long now) {
            Long t = (atAdvisor ? toAdvisor : toExpert).poll();
            if (t == null) {
                stats.error("signal_unmatched");
                return;
            }
            Stats.Latency r = relayCall ? relayRecorder : stats.relayInCalls;
            if (r != null) {
                r.recordNanos(now - t);
            }
        }
    }

    // ------------------------------------------------------------------ clients

    abstract class Client implements WsClient.Listener {
        final String user;
        final String token;
        final SplittableRandom random;
        volatile WsClient.Conn conn;
        long lastSeq;
        String resumeToken;
        volatile CompletableFuture<JsonNode> welcome = new CompletableFuture<>();
        int ids;
        volatile boolean dropping;

        Client(String user, String token, long seed) {
            this.user = user;
            this.token = token;
            this.random = new SplittableRandom(seed);
        }

        String id() {
            return Integer.toString(++ids, 36);
        }

        void send(String text) {
            stats.sent.increment();
            if (DEBUG) {
                java.util.regex.Matcher m = ID.matcher(text);
                if (m.find()) {
                    sentById.put(m.group(1), System.nanoTime() + " " + text.substring(0, Math.min(120, text.length())));
                }
            }
            conn.send(text);
        }

        final Map<String, String> sentById = new ConcurrentHashMap<>();

        /** Connects and says hello (resuming when {@code resume}); completes with the welcome. */
        CompletableFuture<JsonNode> connect(boolean resume) {
            welcome = new CompletableFuture<>();
            CompletableFuture<JsonNode> w = welcome;
            ws.connect(wsUri, token, this).whenComplete((c, e) -> {
                if (e != null) {
                    w.completeExceptionally(e);
                    return;
                }
                conn = c;
                c.loop().execute(() -> send(resume && resumeToken != null
                        ? "{\"type\":\"hello\",\"id\":\"" + id() + "\",\"resumeToken\":\"" + resumeToken
                                + "\",\"lastSeq\":" + lastSeq + "}"
                        : "{\"type\":\"hello\",\"id\":\"" + id() + "\"}"));
            });
            return w;
        }

        void heartbeat() {
            WsClient.Conn c = conn;
            if (c != null && c.open() && welcome.isDone()) {
                send("{\"type\":\"ping\",\"id\":\"" + id() + "\",\"lastSeq\":" + lastSeq + "}");
            }
        }

        @Override
        public void onText(WsClient.Conn c, String text) {
            long now = System.nanoTime();
            stats.received.increment();
            JsonNode m;
            try {
                m = JSON.readTree(text);
            } catch (IOException e) {
                stats.error("unparseable");
                return;
            }
            long seq = m.path("seq").asLong(-1);
            String type = m.path("type").asText("");
            boolean newSession = type.equals("welcome") && !m.path("resumed").asBoolean(false);
            if (seq == 0) {
                stats.error("error_outside_session:" + m.path("code").asText());
                return;
            }
            if (seq != lastSeq + 1 && !newSession) {
                stats.error("seq_gap");
            }
            lastSeq = seq;
            switch (type) {
                case "welcome" -> {
                    resumeToken = m.path("resumeToken").asText();
                    onWelcome(m, now);
                    welcome.complete(m);
                }
                case "error" -> {
                    stats.error("error:" + m.path("code").asText());
                    if (DEBUG) {
                        System.err.println(user + " at " + now + ": " + text + " for " + sentById.get(m.path("re").asText()));
                    }
                }
                case "pong" -> { }
                default -> {
                    if (!handle(type, m, now)) {
                        stats.error("unexpected:" + type);
                    }
                }
            }
        }

        void onWelcome(JsonNode m, long now) {}

        abstract boolean handle(String type, JsonNode m, long now);

        @Override
        public void onClose(WsClient.Conn c) {
            if (running && !c.closedByUs()) {
                stats.error("closed_by_server");
            }
        }
    }

    final class AdvisorClient extends Client {
        final Population.Advisor who;

        AdvisorClient(Population.Advisor who, long seed) {
            super(who.id(), tokens.issue(who.id(), Role.ADVISOR, who.point(), List.of(), Duration.ofHours(12)), seed);
            this.who = who;
        }

        /** Places a call at its intended time (runs on this client's loop). */
        void requestCall(CallState cs) {
            byKey.put(cs.key, cs);
            waiting.get(cs.ring).incrementAndGet();
            stats.callsRequested.increment();
            send("{\"type\":\"request_call\",\"id\":\"" + id() + "\",\"ring\":\"" + cs.ring
                    + "\",\"topic\":\"general\",\"language\":\"fi\",\"note\":\"" + cs.key + "\"}");
        }

        @Override
        boolean handle(String type, JsonNode m, long now) {
            switch (type) {
                case "queued", "ok", "ringing" -> { }
                case "queue_update" -> stats.queueUpdates.increment();
                case "call_connected" -> {
                    CallState cs = byRequest.get(m.path("requestId").asLong());
                    if (cs == null) {
                        return false;
                    }
                    cs.callId = m.path("callId").asLong();
                    byCall.put(cs.callId, cs);
                    cs.sideConnected(now);
                    if (!cs.relayCall) {
                        startMedia(cs, now);
                    }
                }
                case "signal" -> {
                    CallState cs = byCall.get(m.path("callId").asLong());
                    if (cs == null) {
                        return false;
                    }
                    cs.received(true, now);
                    if (m.path("endOfCandidates").asBoolean(false) && !cs.relayCall) {
                        cs.expertDone = true;
                        hangUpWhenSetUp(cs);
                    }
                }
                case "call_ended" -> {
                    CallState cs = byCall.get(m.path("callId").asLong());
                    if (cs == null) {
                        return false;
                    }
                    cs.sideEnded();
                }
                default -> {
                    return false;
                }
            }
            return true;
        }

        /** The initiator's side of a call: SDP offer, trickled candidates, and the hangup after the handle time. */
        private void startMedia(CallState cs, long now) {
            cs.signal(true, now, payloads.sdp(id(), cs.callId, "offer"));
            trickle(this, cs, true, now);
            // Not before both parties have sent their candidates (as a browser's call would be set up first).
            long setup = 2L * (s.candidatesPerParty() + 1) * s.candidateInterval().toNanos() + 100_000_000L;
            long talk = Math.max(setup, Poisson.exponential(random, s.handleTime().toNanos()));
            conn.loop().schedule(() -> {
                cs.talkOver = true;
                hangUpWhenSetUp(cs);
            }, talk, TimeUnit.NANOSECONDS);
        }

        /** Hangs up once the talk time is over and the expert's last candidate has arrived (on this loop). */
        void hangUpWhenSetUp(CallState cs) {
            if (cs.talkOver && cs.expertDone && !cs.hangingUp) {
                cs.hangingUp = true;
                send("{\"type\":\"hangup\",\"id\":\"" + id() + "\",\"callId\":" + cs.callId + "}");
            }
        }
    }

    /** A party's candidates, every candidateInterval after {@code from}, then endOfCandidates. */
    private void trickle(Client c, CallState cs, boolean fromAdvisor, long from) {
        long step = s.candidateInterval().toNanos();
        for (int i = 0; i <= s.candidatesPerParty(); i++) {
            int n = i;
            long intended = from + (i + 1) * step;
            c.conn.loop().schedule(() -> cs.signal(fromAdvisor, intended, n < s.candidatesPerParty()
                    ? payloads.candidate(c.id(), cs.callId, n) : payloads.endOfCandidates(c.id(), cs.callId)),
                    Math.max(0, intended - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    final class ExpertClient extends Client {
        final Population.Expert who;
        /** When this expert last said "ready for next", until its next offer; 0 otherwise. */
        volatile long readyAt;
        volatile boolean available;

        ExpertClient(Population.Expert who, long seed) {
            super(who.id(), tokens.issue(who.id(), Role.EXPERT, null, List.of(who.ring()), Duration.ofHours(12)), seed);
            this.who = who;
        }

        @Override
        void onWelcome(JsonNode m, long now) {
            if (!m.path("resumed").asBoolean(false)) {
                send("{\"type\":\"set_presence\",\"id\":\"" + id() + "\",\"presence\":\"available\"}");
                available = true;
            }
        }

        @Override
        boolean handle(String type, JsonNode m, long now) {
            switch (type) {
                case "ok" -> { }
                case "offer" -> {
                    CallState cs = byKey.get(m.path("note").asText());
                    if (cs == null) {
                        return false;
                    }
                    waiting.get(cs.ring).decrementAndGet();
                    long requestId = m.path("requestId").asLong();
                    cs.requestId = requestId;
                    byRequest.put(requestId, cs);
                    if (cs.offered.compareAndSet(false, true) && !cs.relayCall) {
                        stats.clickToRing.recordNanos(now - cs.intended);
                    }
                    long ready = readyAt;
                    readyAt = 0;
                    if (ready != 0 && cs.intended < ready && !cs.relayCall) {
                        // The request was there, unanswered, when this expert said ready.
                        stats.availableToOffer.recordNanos(now - ready);
                    }
                    double r = cs.relayCall ? 1 : random.nextDouble();
                    long think = cs.relayCall ? 0 : Poisson.exponential(random, s.acceptDelay().toNanos());
                    if (r < s.declineShare()) {
                        stats.declines.increment();
                        conn.loop().schedule(() -> {
                            waiting.get(cs.ring).incrementAndGet();
                            send("{\"type\":\"decline_offer\",\"id\":\"" + id() + "\",\"requestId\":" + requestId + "}");
                        }, think, TimeUnit.NANOSECONDS);
                    } else if (r < s.declineShare() + s.missShare()) {
                        stats.missed.increment();
                    } else {
                        cs.expert = this;
                        cs.acceptIntended = now + think;
                        conn.loop().schedule(() -> send("{\"type\":\"accept_offer\",\"id\":\"" + id() + "\",\"requestId\":"
                                + requestId + "}"), think, TimeUnit.NANOSECONDS);
                    }
                }
                case "offer_revoked" -> {
                    CallState cs = byRequest.get(m.path("requestId").asLong());
                    if (cs != null) {
                        waiting.get(cs.ring).incrementAndGet();
                    }
                }
                case "presence" -> {
                    if ("away".equals(m.path("presence").asText())) {
                        send("{\"type\":\"set_presence\",\"id\":\"" + id() + "\",\"presence\":\"available\"}");
                    }
                }
                case "call_connected" -> {
                    CallState cs = byRequest.get(m.path("requestId").asLong());
                    if (cs == null) {
                        return false;
                    }
                    cs.expert = this;
                    available = false;
                    cs.sideConnected(now);
                }
                case "signal" -> {
                    CallState cs = byCall.get(m.path("callId").asLong());
                    if (cs == null) {
                        return false;
                    }
                    cs.received(false, now);
                    JsonNode sdp = m.path("sdp");
                    if (!cs.relayCall && "offer".equals(sdp.path("type").asText())) {
                        cs.signal(false, now, payloads.sdp(id(), cs.callId, "answer"));
                        trickle(this, cs, false, now);
                    }
                }
                case "call_ended" -> {
                    CallState cs = byCall.get(m.path("callId").asLong());
                    if (cs == null) {
                        return false;
                    }
                    cs.sideEnded();
                    long delay = s.wrapUpDelay().toNanos();
                    conn.loop().schedule(() -> {
                        readyAt = System.nanoTime();
                        available = true;
                        send("{\"type\":\"end_wrap_up\",\"id\":\"" + id() + "\"}");
                    }, delay, TimeUnit.NANOSECONDS);
                }
                default -> {
                    return false;
                }
            }
            return true;
        }
    }

    /** A storm advisor: one waiting request, dropped and resumed. */
    final class StormClient extends Client {
        final Population.Advisor who;
        volatile long requestId = -1;
        volatile long droppedAt;
        volatile boolean resumedOk;

        StormClient(Population.Advisor who, long seed) {
            super(who.id(), tokens.issue(who.id(), Role.ADVISOR, who.point(), List.of(), Duration.ofHours(12)), seed);
            this.who = who;
        }

        @Override
        void onWelcome(JsonNode m, long now) {
            if (droppedAt == 0) {
                return;
            }
            stats.resume.recordNanos(now - droppedAt);
            boolean found = false;
            for (JsonNode r : m.path("state").path("requests")) {
                found |= r.path("requestId").asLong() == requestId;
            }
            if (!m.path("resumed").asBoolean(false)) {
                stats.error("resume_refused");
            }
            if (!found) {
                stats.error("lost_request");
            }
            resumedOk = found && m.path("resumed").asBoolean(false);
        }

        @Override
        boolean handle(String type, JsonNode m, long now) {
            switch (type) {
                case "queued" -> requestId = m.path("requestId").asLong();
                case "queue_update" -> stats.queueUpdates.increment();
                case "ringing" -> { }
                default -> {
                    return false;
                }
            }
            return true;
        }
    }

    // ------------------------------------------------------------------ the run

    /** Runs the scenario and prints the summary; the caller prints {@link Result#line()} last. */
    public Result run() throws Exception {
        ServerProbe probe = new ServerProbe(o.target().http());
        ws = new WsClient(o.clientThreads());
        Result.Builder result = new Result.Builder(s.name());
        List<AdvisorClient> advisors = new ArrayList<>();
        List<ExpertClient> experts = new ArrayList<>();
        List<Client> idle = new ArrayList<>();
        List<StormClient> storm = new ArrayList<>();
        try {
            long seed = s.seed();
            for (Population.Advisor a : pop.advisors) {
                advisors.add(new AdvisorClient(a, ++seed));
            }
            for (Population.Expert e : pop.experts) {
                experts.add(new ExpertClient(e, ++seed));
            }
            for (Population.Advisor a : pop.idle) {
                idle.add(new StormClient(a, ++seed));
            }
            for (Population.Advisor a : pop.storm) {
                storm.add(new StormClient(a, ++seed));
            }
            List<Client> everyone = new ArrayList<>();
            everyone.addAll(experts);
            everyone.addAll(advisors);
            everyone.addAll(idle);
            everyone.addAll(storm);

            // Sessions and heap per session.
            long heapBefore = probe.heapAfterGc();
            long t0 = System.nanoTime();
            int held = connectAll(everyone);
            double connectSeconds = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(500);
            long heapAfter = probe.heapAfterGc();
            double perSessionKb = held == 0 ? Double.NaN : (heapAfter - heapBefore) / 1024.0 / held;
            out.printf(Locale.ROOT, "Sessions: %,d connected and welcomed in %.1f s; server heap after GC %,d KB before, "
                    + "%,d KB after: %.2f KB per session%n", held, connectSeconds, heapBefore / 1024, heapAfter / 1024,
                    perSessionKb);
            result.sessions(held).heapPerSessionKb(perSessionKb);
            ScheduledHeartbeats hb = new ScheduledHeartbeats(everyone);
            if (!s.holdTime().isZero()) {
                Thread.sleep(s.holdTime().toMillis());
                long open = everyone.stream().filter(c -> c.conn != null && c.conn.open()).count();
                long heapHeld = probe.heapAfterGc();
                double heldKb = open == 0 ? Double.NaN : (heapHeld - heapBefore) / 1024.0 / open;
                out.printf(Locale.ROOT, "Held for %d s (pinging every 10 s): %,d sessions still open; server heap after GC "
                        + "%,d KB: %.2f KB per session%n", s.holdTime().toSeconds(), open, heapHeld / 1024, heldKb);
                result.sessions((int) open);
                result.heldHeapPerSessionKb(heldKb);
            }

            // Baselines and the relay through calls, at the same rate and messages.
            if (s.relayCalls() > 0) {
                relayPhases(advisors, experts, result);
            }

            // Call traffic.
            if (s.rate() > 0) {
                callTraffic(advisors, probe, result);
            }

            // Reconnect storm.
            if (!storm.isEmpty()) {
                storm(storm, result);
            }
            hb.stop();
            result.messages(stats.sent.sum(), stats.received.sum());
            running = false;
            Map<String, Long> kinds = stats.errorKinds();
            out.println("Errors and protocol violations: " + stats.errors.sum() + (kinds.isEmpty() ? "" : " " + kinds));
            result.errors(stats.errors.sum());
            return result.build();
        } finally {
            running = false;
            ws.close();
        }
    }

    /** Pings every client every 10 s (the server's heartbeat is 15 s), spread over the interval. */
    private final class ScheduledHeartbeats {
        private final List<java.util.concurrent.ScheduledFuture<?>> tasks = new ArrayList<>();

        ScheduledHeartbeats(List<? extends Client> clients) {
            for (int i = 0; i < clients.size(); i++) {
                Client c = clients.get(i);
                long phase = 10_000L * i / Math.max(1, clients.size());
                tasks.add(ws.group().scheduleAtFixedRate(() -> {
                    WsClient.Conn conn = c.conn;
                    if (conn != null) {
                        conn.loop().execute(c::heartbeat);
                    }
                }, phase, 10_000,
                        TimeUnit.MILLISECONDS));
            }
        }

        void stop() {
            tasks.forEach(t -> t.cancel(false));
        }
    }

    /** Connects with at most 200 handshakes under way; returns how many were welcomed. */
    private int connectAll(List<? extends Client> clients) throws InterruptedException {
        Semaphore inFlight = new Semaphore(200);
        AtomicInteger welcomed = new AtomicInteger();
        for (Client c : clients) {
            inFlight.acquire();
            c.connect(false).orTimeout(60, TimeUnit.SECONDS).whenComplete((w, e) -> {
                if (e != null) {
                    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                            ? e.getCause() : e;
                    stats.error("connect_failed:" + cause.getClass().getSimpleName());
                } else {
                    welcomed.incrementAndGet();
                }
                inFlight.release();
            });
        }
        inFlight.acquire(200);
        inFlight.release(200);
        return welcomed.get();
    }

    private void relayPhases(List<AdvisorClient> advisors, List<ExpertClient> experts, Result.Builder result)
            throws Exception {
        int pairs = s.relayCalls();
        String operatorToken = tokens.issue("loadtest-operator", Role.OPERATOR, null, List.of(), Duration.ofHours(12));
        String base = wsUri.toString().replaceAll("/ws$", "");
        RelayBench bench = new RelayBench(ws, payloads, stats);
        List<RelayBench.Link> benchLinks = bench.open(p -> URI.create(base + "/bench/relay?pair=" + p), operatorToken,
                pairs, "bench");
        long ceilingWarm = Math.min(1000, s.relayDuration().toMillis() / 2);
        long ceilingMeasure = Math.min(3000, s.relayDuration().toMillis());
        double benchCeiling = bench.ceiling(benchLinks, 8, ceilingWarm, ceilingMeasure);
        RelayBench bare = null;
        List<RelayBench.Link> bareLinks = null;
        double bareCeiling = Double.NaN;
        if (o.target().bareRelay() != null) {
            bare = new RelayBench(ws, payloads, stats);
            bareLinks = bare.open(p -> URI.create(o.target().bareRelay() + "?pair=" + p), operatorToken, pairs, "bare");
            bareCeiling = bare.ceiling(bareLinks, 8, ceilingWarm, ceilingMeasure);
        }
        double rate = Math.max(1, s.relayCeilingShare() * benchCeiling);
        out.printf(Locale.ROOT, "Relay ceilings (%d pairs, 8 messages in flight per direction, 1 SDP of %d bytes in 10 "
                + "messages): server's plain relay %,.0f msg/s; bare Netty relay %s%n", pairs, s.sdpBytes(), benchCeiling,
                Double.isNaN(bareCeiling) ? "not run" : String.format(Locale.ROOT, "%,.0f msg/s", bareCeiling));
        long millis = s.relayDuration().toMillis();
        Stats.Latency bAll = new Stats.Latency();
        Stats.Latency bSmall = new Stats.Latency();
        Stats.Latency bLarge = new Stats.Latency();
        bench.fixedRate(benchLinks, rate, millis, s.seed(), bAll, bSmall, bLarge);
        bench.close(benchLinks);
        Histogram benchH = bAll.total();
        Histogram benchSmall = bSmall.total();
        out.printf(Locale.ROOT, "Baseline, server's plain relay at %,.0f msg/s (%.0f %% of its ceiling): %s; small messages %s%n",
                rate, 100 * s.relayCeilingShare(), Stats.describe(benchH), Stats.describe(benchSmall));
        Histogram bareH = null;
        if (bare != null) {
            Stats.Latency xAll = new Stats.Latency();
            Stats.Latency xSmall = new Stats.Latency();
            Stats.Latency xLarge = new Stats.Latency();
            bare.fixedRate(bareLinks, rate, millis, s.seed(), xAll, xSmall, xLarge);
            bare.close(bareLinks);
            bareH = xAll.total();
            out.printf(Locale.ROOT, "Baseline, bare Netty relay at %,.0f msg/s: %s%n", rate, Stats.describe(bareH));
        }

        // The same through calls on /ws: advisors request, experts accept at once, the calls are held.
        List<CallState> calls = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            AdvisorClient a = advisors.get(i % advisors.size());
            String ring = pop.rings.get(i % pop.rings.size());
            CallState cs = new CallState("relay-" + i, ring, System.nanoTime(), a, true);
            calls.add(cs);
            a.conn.loop().execute(() -> a.requestCall(cs));
        }
        long until = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < until && !calls.stream().allMatch(c -> c.connected)) {
            Thread.sleep(20);
        }
        List<CallState> live = calls.stream().filter(c -> c.connected).toList();
        if (live.size() < calls.size()) {
            stats.error("relay_call_not_connected");
        }
        relayPhase.reset();
        relayRecorder = relayPhase;
        SplittableRandom pick = new SplittableRandom(s.seed());
        long start = System.nanoTime();
        AtomicLong n = new AtomicLong();
        RelayBench.pace(new Poisson(s.seed(), rate, start), start + TimeUnit.MILLISECONDS.toNanos(millis), t -> {
            CallState cs = live.get(pick.nextInt(live.size()));
            boolean fromAdvisor = pick.nextBoolean();
            Client from = fromAdvisor ? cs.advisor : cs.expert;
            int k = (int) n.incrementAndGet();
            from.conn.loop().schedule(() -> cs.signal(fromAdvisor, t, payloads.mixed(from.id(), cs.callId, k)),
                    Math.max(0, t - System.nanoTime()), TimeUnit.NANOSECONDS);
        });
        Thread.sleep(1000);
        relayRecorder = null;
        Histogram wsH = relayPhase.total();
        out.printf(Locale.ROOT, "Relay through %d calls on /ws at %,.0f msg/s: %s%n", live.size(), rate, Stats.describe(wsH));
        // Hang up; the experts say ready and are available for the call traffic.
        for (CallState cs : live) {
            cs.advisor.conn.loop().execute(() -> cs.advisor.send("{\"type\":\"hangup\",\"id\":\"" + cs.advisor.id()
                    + "\",\"callId\":" + cs.callId + "}"));
        }
        until = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < until && !live.stream().allMatch(c -> c.endedSides.get() == 2)) {
            Thread.sleep(20);
        }
        Thread.sleep(500);
        result.relay(benchCeiling, bareCeiling, rate, benchH, benchSmall, bareH, wsH);
    }

    private void callTraffic(List<AdvisorClient> advisors, ServerProbe probe, Result.Builder result) throws Exception {
        SplittableRandom pick = new SplittableRandom(s.seed() + 7);
        long warm = s.warmUp().toNanos();
        long measured = s.duration().toNanos();
        long start = System.nanoTime();
        long warmEnd = start + warm;
        long end = warmEnd + measured;
        out.printf(Locale.ROOT, "Call traffic: %.1f calls/s (Poisson), %s warm-up, %s measured, handle time %s (mean)%n",
                s.rate(), s.warmUp(), s.duration(), s.handleTime());
        Thread pacer = new Thread(() -> {
            try {
                RelayBench.pace(new Poisson(s.seed() + 11, s.rate(), start), end, t -> {
                    AdvisorClient a = advisors.get(pick.nextInt(advisors.size()));
                    String ring = pop.rings.get(pick.nextInt(pop.rings.size()));
                    CallState cs = new CallState("c" + keys.incrementAndGet(), ring, t, a, false);
                    a.conn.loop().schedule(() -> a.requestCall(cs), Math.max(0, t - System.nanoTime()),
                            TimeUnit.NANOSECONDS);
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pacer");
        pacer.start();
        // Warm-up, then the measured period with drift samples.
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(warm));
        for (Stats.Latency l : List.of(stats.clickToRing, stats.availableToOffer, stats.acceptToConnected, stats.relayInCalls)) {
            l.reset();
        }
        long sent0 = stats.sent.sum();
        long recv0 = stats.received.sum();
        List<String> drift = new ArrayList<>();
        long sample = s.sampleInterval().toNanos();
        long next = warmEnd + sample;
        while (next < end + sample) {
            next = Math.min(next, end);
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                TimeUnit.NANOSECONDS.sleep(sleep);
            }
            Histogram h = stats.clickToRing.interval();
            Histogram r = stats.relayInCalls.interval();
            long heap = probe.heapUsed();
            double live = probe.sum("jvm_gc_live_data_size_bytes", "");
            drift.add(String.format(Locale.ROOT, "  %6.0f s  click-to-ring p99 %7.2f ms  relay p99 %7.2f ms  heap used %,9d KB"
                    + "  live after last major GC %,9d KB", (next - warmEnd) / 1e9, Stats.ms(h, 99), Stats.ms(r, 99),
                    heap / 1024, (long) live / 1024));
            next += sample;
        }
        long sent1 = stats.sent.sum();
        long recv1 = stats.received.sum();
        pacer.join();
        // Drain: the calls under way end.
        long until = System.nanoTime() + Math.max(20_000_000_000L, 5 * s.handleTime().toNanos());
        while (System.nanoTime() < until && stats.callsEnded.sum() < stats.callsConnected.sum()) {
            Thread.sleep(50);
        }
        double seconds = measured / 1e9;
        Histogram ctr = stats.clickToRing.total();
        Histogram ato = stats.availableToOffer.total();
        Histogram atc = stats.acceptToConnected.total();
        Histogram rel = stats.relayInCalls.total();
        int stillWaiting = waiting.values().stream().mapToInt(AtomicInteger::get).sum();
        out.printf(Locale.ROOT, "Calls: %,d requested, %,d connected, %,d ended; %,d declines, %,d offers missed; "
                + "%,d queue updates; about %,d still waiting at the end%n", stats.callsRequested.sum(),
                stats.callsConnected.sum(), stats.callsEnded.sum(), stats.declines.sum(), stats.missed.sum(),
                stats.queueUpdates.sum(), Math.max(0, stillWaiting));
        out.println("Click to ring (request_call intended send -> offer at the expert's socket): " + Stats.describe(ctr));
        out.println("Ready for next -> next offer (end_wrap_up sent while the offered request was already there): " + Stats.describe(ato));
        out.println("Accept -> both parties told call_connected: " + Stats.describe(atc));
        out.println("SDP/ICE relay in the calls (one hop, from intended send): " + Stats.describe(rel));
        double msgs = (sent1 - sent0 + recv1 - recv0) / seconds;
        out.printf(Locale.ROOT, "Messages in the measured period: %,.0f per second (sent + received by the clients)%n", msgs);
        out.println("Drift (per " + s.sampleInterval().toSeconds() + " s interval):");
        drift.forEach(out::println);
        result.calls(ctr, ato, atc, rel, msgs);
    }

    private void storm(List<StormClient> storm, Result.Builder result) throws Exception {
        // Every storm advisor queues one request in a ring nobody answers.
        String ring = Population.STORM_RING;
        for (StormClient c : storm) {
            c.conn.loop().execute(() -> c.send("{\"type\":\"request_call\",\"id\":\"" + c.id() + "\",\"ring\":\"" + ring
                    + "\",\"topic\":\"general\",\"language\":\"fi\",\"note\":\"storm\"}"));
        }
        long until = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < until && !storm.stream().allMatch(c -> c.requestId >= 0)) {
            Thread.sleep(20);
        }
        long queued = storm.stream().filter(c -> c.requestId >= 0).count();
        Thread.sleep(1000);
        for (int round = 1; round <= s.stormRounds(); round++) {
            stats.resume.reset();
            long t0 = System.nanoTime();
            for (StormClient c : storm) {
                c.droppedAt = t0;
                c.resumedOk = false;
                c.conn.drop();
            }
            List<CompletableFuture<JsonNode>> back = new ArrayList<>();
            for (StormClient c : storm) {
                back.add(c.connect(true).orTimeout(120, TimeUnit.SECONDS).exceptionally(e -> {
                    stats.error("resume_connect_failed");
                    return null;
                }));
            }
            CompletableFuture.allOf(back.toArray(CompletableFuture[]::new)).join();
            double all = (System.nanoTime() - t0) / 1e6;
            long ok = storm.stream().filter(c -> c.resumedOk).count();
            Histogram h = stats.resume.total();
            out.printf(Locale.ROOT, "Reconnect storm round %d: %,d clients with %,d queued requests dropped at once; %,d "
                    + "resumed with their request (%,d lost); all back in %.0f ms; drop -> welcome %s%n", round,
                    storm.size(), queued, ok, storm.size() - ok, all, Stats.describe(h));
            result.storm(storm.size(), storm.size() - ok, h);
            Thread.sleep(1000);
        }
    }
}
