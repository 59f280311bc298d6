package fi.palvelurinki.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import fi.palvelurinki.loadtest.ws.WsClient;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One simulated user's session, following docs/protocol.md as our pages do (docs/pages.md): hello, numbered
 * messages checked for gaps, pings that carry {@code lastSeq}, and when the connection is lost, reconnecting
 * (after 0.25 s, 0.5 s, 1 s, 2 s, then every 4 s) with {@code hello {resumeToken, lastSeq}}. A resumed session
 * gets what it missed and goes on; a new one (the grace passed, or the server restarted) brings the user's
 * {@code state}, which the subclass squares with what it was doing.
 *
 * <p>Everything a client does runs on its own event loop ({@link #loop}), across reconnects, so its fields
 * need no locks. What it sends while it is disconnected waits in an outbox: a new action of the user
 * ({@link #place}) goes after any welcome, a message of the session ({@link #send}) only after a resumed one.
 */
abstract class Client implements WsClient.Listener {
    private static final long[] RETRY_MILLIS = {250, 500, 1000, 2000, 4000};
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    final LoadRun run;
    final Stats stats;
    final String user;
    final String token;
    final SplittableRandom random;
    final EventLoop loop;
    volatile WsClient.Conn conn;
    /** The server generation ({@link LoadRun#generation}) the current connection reaches. */
    int connGeneration;
    /** The generation of the last welcome; -1 before the first. */
    private int welcomedGeneration = -1;
    long lastSeq;
    private String resumeToken;
    private boolean resumeAsked;
    private int ids;
    /** Counts sessions: a task scheduled in one session does nothing in the next ({@link #sendIn}). */
    int session;
    /** Welcomed on the current connection. */
    volatile boolean ready;
    private long heartbeatNanos = TimeUnit.SECONDS.toNanos(15);
    private long lastHeard;
    private int attempt;
    /** The node this client connects to ({@link LoadRun#nodes}); with two, it goes to the other when refused. */
    private int node;
    /** Refusals in a row before an upgrade: after one at each node, the retry delay applies. */
    private int refusedInARow;
    private final ArrayDeque<Outgoing> outbox = new ArrayDeque<>();
    volatile CompletableFuture<JsonNode> welcome = new CompletableFuture<>();
    private final Map<String, String> sentById = LoadRun.DEBUG ? new ConcurrentHashMap<>() : Map.of();

    private record Outgoing(String text, boolean placement) {}

    Client(LoadRun run, String user, String token, long seed) {
        this.run = run;
        this.stats = run.stats;
        this.user = user;
        this.token = token;
        this.random = new SplittableRandom(seed);
        this.loop = run.ws.nextLoop();
        this.node = run.firstNode;
    }

    String id() {
        return Integer.toString(++ids, 36);
    }

    /** A message of this session (on the loop): sent now, or after a resumed welcome; dropped by a new session. */
    void send(String text) {
        if (ready) {
            write(text);
        } else {
            outbox.add(new Outgoing(text, false));
        }
    }

    /** A new action of the user (on the loop): sent now, or after the next welcome, resumed or not. */
    void place(String text) {
        if (ready) {
            write(text);
        } else {
            outbox.add(new Outgoing(text, true));
        }
    }

    /** {@link #send} from a task scheduled in {@code inSession}: nothing if that session is gone. */
    void sendIn(int inSession, String text) {
        if (inSession == session) {
            send(text);
        } else {
            stats.staleDropped.increment();
        }
    }

    private void write(String text) {
        stats.sent.increment();
        if (LoadRun.DEBUG) {
            Matcher m = ID.matcher(text);
            if (m.find()) {
                sentById.put(m.group(1), System.nanoTime() + " " + text.substring(0, Math.min(120, text.length())));
            }
        }
        conn.send(text);
    }

    /** This party's candidates, every candidateInterval after {@code from}, then endOfCandidates. */
    void trickle(Call cs, boolean fromAdvisor, long from) {
        Scenario s = run.s;
        long step = s.candidateInterval().toNanos();
        for (int i = 0; i <= s.candidatesPerParty(); i++) {
            int n = i;
            long intended = from + (i + 1) * step;
            loop.schedule(() -> cs.signal(fromAdvisor, intended, n < s.candidatesPerParty()
                    ? run.payloads.candidate(id(), cs.callId, n) : run.payloads.endOfCandidates(id(), cs.callId)),
                    Math.max(0, intended - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    /** Connects and says hello (resuming when {@code resume}); completes with the welcome. */
    CompletableFuture<JsonNode> connect(boolean resume) {
        return connect(resume, false);
    }

    private CompletableFuture<JsonNode> connect(boolean resume, boolean retry) {
        CompletableFuture<JsonNode> w = new CompletableFuture<>();
        welcome = w;
        connect(resume, retry, w);
        return w;
    }

    private void connect(boolean resume, boolean retry, CompletableFuture<JsonNode> w) {
        int generation = run.generation;
        run.ws.connect(run.wsUri(node), token, this, loop).whenComplete((c, e) -> {
            if (loop.inEventLoop()) {
                opened(c, e, w, generation, resume, retry);
            } else {
                loop.execute(() -> opened(c, e, w, generation, resume, retry));
            }
        });
    }

    private void opened(WsClient.Conn c, Throwable e, CompletableFuture<JsonNode> w, int generation, boolean resume,
            boolean retry) {
        if (e != null) {
            if (run.nodes.size() > 1) {
                // As the pages do: this node is down or stands by, the other may serve — the one a standby names
                // as active (X-Palvelurinki-Active), else the next. At once, until each has refused in a row.
                refusedInARow++;
                int named = activeNamedBy(e);
                node = named >= 0 && named != node ? named : (node + 1) % run.nodes.size();
                stats.nodeSwitches.increment();
                if (refusedInARow < run.nodes.size() && run.running) {
                    connect(resume, retry, w);
                    return;
                }
                refusedInARow = 0;
            }
            w.completeExceptionally(e);
            if (retry) {
                reconnectLater();
            }
            return;
        }
        refusedInARow = 0;
        conn = c;
        ready = false;
        connGeneration = generation;
        lastHeard = System.nanoTime();
        resumeAsked = resume && resumeToken != null;
        write(resumeAsked
                ? "{\"type\":\"hello\",\"id\":\"" + id() + "\",\"resumeToken\":\"" + resumeToken + "\",\"lastSeq\":" + lastSeq + "}"
                : "{\"type\":\"hello\",\"id\":\"" + id() + "\"}");
    }

    /** The node a standby's 503 names in X-Palvelurinki-Active, or -1. */
    private int activeNamedBy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof WebSocketClientHandshakeException h && h.response() != null) {
                String active = h.response().headers().get("X-Palvelurinki-Active");
                return active == null ? -1 : run.nodeOf(active);
            }
        }
        return -1;
    }

    private void reconnectLater() {
        if (!run.running) {
            return;
        }
        long delay = RETRY_MILLIS[Math.min(attempt, RETRY_MILLIS.length - 1)];
        attempt++;
        loop.schedule(() -> {
            if (run.running) {
                stats.reconnects.increment();
                connect(true, true);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /**
     * A ping with the last seq (on the loop). A server silent for 2.5 heartbeats is taken for dead and the
     * connection replaced. As on the pages, only once welcomed: a hello waits for its welcome however long.
     */
    void heartbeat() {
        if (!ready) {
            return;
        }
        if (System.nanoTime() - lastHeard > heartbeatNanos * 5 / 2) {
            WsClient.Conn c = conn;
            stats.error("server_silent");
            c.drop();
            lost();
            return;
        }
        write("{\"type\":\"ping\",\"id\":\"" + id() + "\",\"lastSeq\":" + lastSeq + "}");
    }

    @Override
    public void onText(WsClient.Conn c, String text) {
        if (c != conn) {
            return;
        }
        long now = System.nanoTime();
        lastHeard = now;
        stats.received.increment();
        JsonNode m;
        try {
            m = LoadRun.JSON.readTree(text);
        } catch (IOException e) {
            stats.error("unparseable");
            return;
        }
        long seq = m.path("seq").asLong(-1);
        String type = m.path("type").asText("");
        boolean resumed = m.path("resumed").asBoolean(false);
        boolean newSession = type.equals("welcome") && !resumed;
        if (seq == 0) {
            stats.error("error_outside_session:" + m.path("code").asText());
            return;
        }
        if (!ready && seq == 1 && resumeAsked) {
            // The resume was refused: a new session numbers from 1, and pushes to the user may come before
            // its welcome (which then has a higher seq).
            lastSeq = 0;
        }
        if (seq != lastSeq + 1 && !newSession) {
            stats.error("seq_gap");
        }
        lastSeq = seq;
        switch (type) {
            case "welcome" -> welcomed(m, resumed, now);
            case "error" -> {
                if (expected(m)) {
                    return;
                }
                stats.error("error:" + m.path("code").asText());
                if (LoadRun.DEBUG) {
                    System.err.println(user + " at " + now + ": " + text + " for " + sentById.get(m.path("re").asText()));
                }
            }
            case "pong" -> { }
            default -> {
                if (!handle(type, m, now)) {
                    stats.error("unexpected:" + type);
                    if (LoadRun.DEBUG) {
                        System.err.println(user + " at " + now + " (connection of generation " + connGeneration + "): "
                                + text);
                    }
                }
            }
        }
    }

    private void welcomed(JsonNode m, boolean resumed, long now) {
        boolean restarted = welcomedGeneration >= 0 && connGeneration != welcomedGeneration;
        if (!resumed && resumeAsked && !restarted) {
            // Only a restart of the server may forget a session within the grace.
            stats.error("resume_refused");
        }
        if (!resumed) {
            session++;
        }
        resumeToken = m.path("resumeToken").asText();
        heartbeatNanos = TimeUnit.SECONDS.toNanos(Math.max(1, m.path("heartbeatSeconds").asLong(15)));
        welcomedGeneration = connGeneration;
        ready = true;
        attempt = 0;
        onWelcome(m, resumed, restarted, now);
        for (Outgoing o; (o = outbox.poll()) != null; ) {
            if (resumed || o.placement()) {
                write(o.text());
            } else {
                stats.staleDropped.increment();
            }
        }
        if (restarted) {
            run.recovery.clientBack(now);
        }
        welcome.complete(m);
    }

    /**
     * The welcome, before anything waiting in the outbox is sent. {@code resumed}: nothing was lost. Otherwise
     * {@code m.state} is what the user has going on now; {@code restarted}: from a server started since the
     * last welcome.
     */
    void onWelcome(JsonNode m, boolean resumed, boolean restarted, long now) {}

    abstract boolean handle(String type, JsonNode m, long now);

    /** Whether an error reply is the expected end of a race the protocol allows (not counted as an error). */
    boolean expected(JsonNode error) {
        return false;
    }

    /** At the end of the run (on the loop): count what is still unexplained. */
    void finish() {}

    @Override
    public void onClose(WsClient.Conn c) {
        if (c != conn) {
            return;
        }
        ready = false;
        if (!run.running || c.closedByUs()) {
            return;
        }
        if (connGeneration >= run.killed) {
            stats.error("closed_by_server");
        }
        lost();
    }

    private void lost() {
        ready = false;
        reconnectLater();
    }
}
