package fi.palvelurinki.loadtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import fi.palvelurinki.loadtest.ws.WsClient;
import fi.palvelurinki.signaling.auth.Role;
import fi.palvelurinki.signaling.auth.TokenService;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What the clients and the phases of one run share: the scenario, the WebSocket stack, tokens, figures, calls. */
final class LoadRun {
    static final ObjectMapper JSON = new ObjectMapper();
    /** {@code -Dpalvelurinki.loadtest.debug=true}: errors are printed with the message they answer. */
    static final boolean DEBUG = Boolean.getBoolean("palvelurinki.loadtest.debug");

    final Scenario s;
    final PrintStream out;
    final Stats stats = new Stats();
    final Population pop;
    final TokenService tokens;
    final Payloads payloads;
    /** The nodes' base URLs: one server, or two nodes on one PostgreSQL journal (the clients know both). */
    final List<URI> nodes;
    /** The base URL of the node that serves, for the API and the probes: changed when the standby took over. */
    volatile URI http;
    /** The node a client tries first. */
    final int firstNode;
    final WsClient ws;
    final Calls calls;
    /** What the server that is killed acknowledged (the restart scenario); checked after its restart. */
    final Ledger ledger;
    final Recovery recovery = new Recovery();
    volatile boolean running = true;
    /**
     * Which server process a connection reaches: 0 the first, 1 after a restart. A connection opened while
     * it was {@code n} can only reach server {@code n} (the process before is gone when it is incremented),
     * so what arrives on it was sent by that process.
     */
    volatile int generation;
    /**
     * How many server processes have been killed (SIGKILL is sent after this is raised): a connection to a
     * generation below it is expected to break, and a request sent to it to go unanswered.
     */
    volatile int killed;
    /** From just before the kill until the restarted server listens. */
    volatile boolean serverDown;

    /** {@code firstNode}: the index in {@code nodes} of the one that serves at the start. */
    LoadRun(Scenario s, List<URI> nodes, int firstNode, byte[] secret, int clientThreads, PrintStream out) {
        this.s = s;
        this.out = out;
        this.pop = new Population(s);
        this.tokens = new TokenService(secret, InstantSource.system());
        this.payloads = new Payloads(s.sdpBytes(), s.seed());
        this.nodes = List.copyOf(nodes);
        this.firstNode = firstNode;
        this.http = nodes.get(firstNode);
        this.ws = new WsClient(clientThreads);
        this.calls = new Calls(stats, pop.rings);
        this.ledger = new Ledger(!s.killAt().isZero());
    }

    /** Node {@code i}'s WebSocket URL. */
    URI wsUri(int i) {
        return URI.create(nodes.get(i).toString().replaceFirst("^http", "ws").replaceAll("/$", "") + "/ws");
    }

    /**
     * The node a URL names ({@code X-Palvelurinki-Active} of a standby's refusal), or -1 when it is none of
     * the nodes this run knows.
     */
    int nodeOf(String url) {
        String u = url.trim().replaceAll("/$", "");
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).toString().replaceAll("/$", "").equalsIgnoreCase(u)) {
                return i;
            }
        }
        return -1;
    }

    String advisorToken(Population.Advisor a) {
        return tokens.issue(a.id(), Role.ADVISOR, a.point(), List.of(), Duration.ofHours(12));
    }

    String operatorToken() {
        return tokens.issue("loadtest-operator", Role.OPERATOR, null, List.of(), Duration.ofHours(12));
    }

    /** How the clients came back after the restart: counted once per client, at its first welcome from it. */
    static final class Recovery {
        final AtomicInteger back = new AtomicInteger();
        final AtomicLong lastBackNanos = new AtomicLong();
        /** The first welcome from the restarted server, or the node that took over (nanoTime), 0 until then. */
        final AtomicLong firstBackNanos = new AtomicLong();
        /** The first {@code queued} from the restarted server (nanoTime), 0 until then. */
        final AtomicLong firstAckNanos = new AtomicLong();
        /** Calls whose advisor was told call_connected by the restarted server. */
        final LongAdder callsConnected = new LongAdder();

        /** Kill to each client's welcome from the restarted server. */
        final Stats.Latency backAfterKill = new Stats.Latency();
        volatile long killedAt;

        void clientBack(long now) {
            back.incrementAndGet();
            lastBackNanos.accumulateAndGet(now, Math::max);
            firstBackNanos.accumulateAndGet(now, (was, t) -> was == 0 ? t : Math.min(was, t));
            backAfterKill.recordNanos(now - killedAt);
        }

        void acknowledged(long now) {
            firstAckNanos.compareAndSet(0, now);
        }
    }
}
