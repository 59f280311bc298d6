package fi.palvelurinki.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import fi.palvelurinki.signaling.config.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A load-test scenario, read from {@code scenarios/NAME.yaml} on the class path (documented in
 * docs/performance.md). Every figure has a default; unknown keys are refused.
 *
 * @param points            service points
 * @param advisorsPerPoint  advisors signed in per point (they place the calls)
 * @param rings             service rings (one authority each)
 * @param expertsPerRing    experts signed in per ring
 * @param idleSessions      further advisors that only connect, say hello and ping (sessions held)
 * @param rate              call arrivals per second (Poisson, open loop); 0: no calls
 * @param duration          measured time of the call traffic
 * @param warmUp            call traffic before it, not measured
 * @param handleTime        mean talk time of a call (exponential)
 * @param acceptDelay       mean time an expert takes to answer an offer (exponential)
 * @param wrapUpDelay       time from the end of a call to the expert's "ready for next"
 * @param declineShare      share of offers declined
 * @param missShare         share of offers left to time out
 * @param offerTimeout      the rings' offer timeout
 * @param sdpBytes          size of each SDP (offer and answer)
 * @param candidatesPerParty ICE candidates each party sends per call
 * @param candidateInterval time between one party's candidates
 * @param relayCalls        calls held open for the relay measurement (0: none)
 * @param relayDuration     length of each relay measurement
 * @param relayCeilingShare the relay measurements' rate as a share of the measured ceiling of the bench relay
 * @param stormClients      advisors that each queue a request, drop and resume at once (0: no storm)
 * @param stormRounds       how many times they drop and resume
 * @param sampleInterval    how often heap and latency are sampled for drift (soak)
 * @param holdTime          how long the sessions are held (pinging) after they connected, before the rest
 * @param bookingRate       bookings per second over the API ({@code POST /api/bookings}) during the call traffic
 * @param restartAfter      when in the measured call traffic the server is killed (SIGKILL) and started again on
 *                          the same data directory and port (0: never; the server must be spawned by the run)
 * @param nodes             server nodes: 1, or 2 on one PostgreSQL journal (an active one and a standby; spawned,
 *                          the run starts a throw-away PostgreSQL for them)
 * @param killAfter         with two nodes: when in the measured call traffic the active node is killed (SIGKILL) and
 *                          the standby takes over (0: never; the nodes must be spawned by the run)
 */
public record Scenario(String name, String description, long seed, int points, int advisorsPerPoint, int rings,
        int expertsPerRing, int idleSessions, double rate, Duration duration, Duration warmUp, Duration handleTime,
        Duration acceptDelay, Duration wrapUpDelay, double declineShare, double missShare, Duration offerTimeout,
        int sdpBytes, int candidatesPerParty, Duration candidateInterval, int relayCalls, Duration relayDuration,
        double relayCeilingShare, int stormClients, int stormRounds, Duration sampleInterval, Duration holdTime,
        double bookingRate, Duration restartAfter, int nodes, Duration killAfter) {

    public static final List<String> BUILT_IN = List.of("national-day", "peak", "reconnect-storm", "soak", "hold", "restart",
            "failover");

    private static final Set<String> KEYS = Set.of("name", "description", "seed", "points", "advisorsPerPoint", "rings",
            "expertsPerRing", "idleSessions", "rate", "duration", "warmUp", "handleTime", "acceptDelay", "wrapUpDelay",
            "declineShare", "missShare", "offerTimeout", "sdpBytes", "candidatesPerParty", "candidateInterval",
            "relayCalls", "relayDuration", "relayCeilingShare", "stormClients", "stormRounds", "sampleInterval", "holdTime",
            "bookingRate", "restartAfter", "nodes", "killAfter");

    public Scenario {
        positive("points", points);
        positive("advisorsPerPoint", advisorsPerPoint);
        if (rings < 1 || rings > 50) {
            throw new IllegalArgumentException("rings must be 1-50, got " + rings);
        }
        positive("expertsPerRing", expertsPerRing);
        if (idleSessions < 0 || stormClients < 0 || relayCalls < 0 || stormRounds < 0) {
            throw new IllegalArgumentException("idleSessions, stormClients, stormRounds and relayCalls must be >= 0");
        }
        if (rate < 0 || declineShare < 0 || missShare < 0 || declineShare + missShare > 0.9) {
            throw new IllegalArgumentException("rate >= 0; declineShare + missShare at most 0.9");
        }
        if (relayCalls > Math.min(points * advisorsPerPoint, rings * expertsPerRing)) {
            throw new IllegalArgumentException("relayCalls must not exceed the advisors or the experts");
        }
        if (relayCeilingShare <= 0 || relayCeilingShare > 1) {
            throw new IllegalArgumentException("relayCeilingShare must be in (0, 1]");
        }
        if (sdpBytes < 200 || sdpBytes > 30_000) {
            throw new IllegalArgumentException("sdpBytes must be 200-30000");
        }
        if (bookingRate < 0 || bookingRate > 1000) {
            throw new IllegalArgumentException("bookingRate must be 0-1000 per second, got " + bookingRate);
        }
        if (!restartAfter.isZero() && (rate <= 0 || restartAfter.isNegative() || restartAfter.compareTo(duration) >= 0)) {
            throw new IllegalArgumentException("restartAfter must fall within the call traffic (rate > 0, less than duration "
                    + duration.toSeconds() + " s), got " + restartAfter.toMillis() + " ms");
        }
        if (nodes < 1 || nodes > 2) {
            throw new IllegalArgumentException("nodes must be 1 (one server) or 2 (an active node and a standby on one "
                    + "PostgreSQL journal), got " + nodes);
        }
        if (nodes == 2 && !restartAfter.isZero()) {
            throw new IllegalArgumentException("restartAfter restarts the one server; with nodes: 2 use killAfter (the "
                    + "standby takes over)");
        }
        if (!killAfter.isZero()) {
            if (nodes != 2) {
                throw new IllegalArgumentException("killAfter kills the active one of two nodes: it needs nodes: 2 (for "
                        + "one server, restartAfter)");
            }
            if (rate <= 0 || killAfter.isNegative() || killAfter.compareTo(duration) >= 0) {
                throw new IllegalArgumentException("killAfter must fall within the call traffic (rate > 0, less than "
                        + "duration " + duration.toSeconds() + " s), got " + killAfter.toMillis() + " ms");
            }
        }
    }

    private static void positive(String what, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + v);
        }
    }

    /** When the server is killed in the measured traffic (restartAfter or killAfter), or zero. */
    public Duration killAt() {
        return restartAfter.isZero() ? killAfter : restartAfter;
    }

    public int advisors() {
        return points * advisorsPerPoint;
    }

    public int experts() {
        return rings * expertsPerRing;
    }

    public Scenario withDuration(Duration d) {
        return new Scenario(name, description, seed, points, advisorsPerPoint, rings, expertsPerRing, idleSessions, rate,
                d, warmUp, handleTime, acceptDelay, wrapUpDelay, declineShare, missShare, offerTimeout, sdpBytes,
                candidatesPerParty, candidateInterval, relayCalls, relayDuration, relayCeilingShare, stormClients,
                stormRounds, sampleInterval, holdTime, bookingRate, restartAfter, nodes, killAfter);
    }

    public Scenario withRate(double r) {
        return new Scenario(name, description, seed, points, advisorsPerPoint, rings, expertsPerRing, idleSessions, r,
                duration, warmUp, handleTime, acceptDelay, wrapUpDelay, declineShare, missShare, offerTimeout, sdpBytes,
                candidatesPerParty, candidateInterval, relayCalls, relayDuration, relayCeilingShare, stormClients,
                stormRounds, sampleInterval, holdTime, bookingRate, restartAfter, nodes, killAfter);
    }

    /** For tests and small runs: every count and time as given, the rest as in this scenario. */
    public Scenario scaled(int points, int expertsPerRing, int idleSessions, int stormClients, int relayCalls,
            Duration warmUp, Duration relayDuration) {
        return new Scenario(name, description, seed, points, advisorsPerPoint, rings, expertsPerRing, idleSessions, rate,
                duration, warmUp, handleTime, acceptDelay, wrapUpDelay, declineShare, missShare, offerTimeout, sdpBytes,
                candidatesPerParty, candidateInterval, relayCalls, relayDuration, relayCeilingShare, stormClients,
                stormRounds, sampleInterval, holdTime, bookingRate, restartAfter, nodes, killAfter);
    }

    /** A built-in scenario by name. */
    public static Scenario load(String name) throws IOException {
        if (!name.matches("[a-z0-9-]{1,40}")) {
            throw new IllegalArgumentException("scenario names are lower-case words with dashes, got '" + name + "'");
        }
        try (InputStream in = Scenario.class.getResourceAsStream("/scenarios/" + name + ".yaml")) {
            if (in == null) {
                throw new IllegalArgumentException("no scenario '" + name + "'; built in: " + String.join(", ", BUILT_IN));
            }
            return parse(in, name);
        }
    }

    public static Scenario parse(InputStream in, String source) throws IOException {
        JsonNode n = new ObjectMapper(new YAMLFactory()).readTree(in);
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(source + ": expected a mapping");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException(source + ": unknown key '" + k + "'");
            }
        }
        return new Scenario(
                n.path("name").asText(source),
                n.path("description").asText(""),
                n.path("seed").asLong(1),
                n.path("points").asInt(150),
                n.path("advisorsPerPoint").asInt(2),
                n.path("rings").asInt(6),
                n.path("expertsPerRing").asInt(50),
                n.path("idleSessions").asInt(0),
                n.path("rate").asDouble(100),
                duration(n, "duration", "60s"),
                duration(n, "warmUp", "10s"),
                duration(n, "handleTime", "1500ms"),
                duration(n, "acceptDelay", "100ms"),
                duration(n, "wrapUpDelay", "100ms"),
                n.path("declineShare").asDouble(0.05),
                n.path("missShare").asDouble(0.01),
                duration(n, "offerTimeout", "5s"),
                n.path("sdpBytes").asInt(4500),
                n.path("candidatesPerParty").asInt(8),
                duration(n, "candidateInterval", "20ms"),
                n.path("relayCalls").asInt(100),
                duration(n, "relayDuration", "10s"),
                n.path("relayCeilingShare").asDouble(0.25),
                n.path("stormClients").asInt(0),
                n.path("stormRounds").asInt(1),
                duration(n, "sampleInterval", "10s"),
                duration(n, "holdTime", "0s"),
                n.path("bookingRate").asDouble(0),
                duration(n, "restartAfter", "0s"),
                n.path("nodes").asInt(1),
                duration(n, "killAfter", "0s"));
    }

    private static Duration duration(JsonNode n, String key, String dflt) {
        return Durations.parse(n.hasNonNull(key) ? n.get(key).asText() : dflt);
    }
}
