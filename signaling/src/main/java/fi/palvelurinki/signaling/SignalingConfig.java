package fi.palvelurinki.signaling;

import fi.palvelurinki.signaling.config.Durations;
import java.time.Duration;

/**
 * The signaling module's configuration, validated when built; defaults in {@code docs/configuration.md}.
 *
 * @param heartbeatInterval     clients send a ping at least this often; a connection silent for
 *                              2.5 intervals is closed as dead
 * @param resumeGrace           a dropped connection may resume within this; after it the broker treats
 *                              the party as gone (requests abandoned, expert OFFLINE)
 * @param maxMessageBytes       largest WebSocket message accepted (checked by Jetty before anything is read)
 * @param maxSdpBytes           largest SDP in a signal message
 * @param maxCandidatesPerCall  ICE candidates one party may send in one call
 * @param messagesPerSecond     sustained messages per connection (token bucket)
 * @param messageBurst          burst size of that bucket
 * @param connectionsPerUser    simultaneous connections of one user
 * @param outgoingQueueFrames   frames waiting to be written to one connection; a client that does not
 *                              read is disconnected when it reaches this
 * @param resumeBufferMessages  messages kept per session for resuming
 * @param tokenTtl              lifetime of tokens issued by {@code bin/palvelurinki token} and the demo login
 * @param benchRelay            benchmarks only, default off: serve the plain relay at {@code /bench/relay} and
 *                              {@code POST /bench/gc} for the load generator's baseline (docs/performance.md)
 * @param homeJoinLead          a home booking's join link opens this long before its slot (0–15 min)
 */
public record SignalingConfig(
        String host,
        int port,
        Duration heartbeatInterval,
        Duration resumeGrace,
        int maxMessageBytes,
        int maxSdpBytes,
        int maxCandidatesPerCall,
        int messagesPerSecond,
        int messageBurst,
        int connectionsPerUser,
        int outgoingQueueFrames,
        int resumeBufferMessages,
        Duration tokenTtl,
        boolean benchRelay,
        Duration homeJoinLead) {

    /** A home customer's link opens this long before the slot: as early as a point may start a booked call. */
    public static final Duration DEFAULT_HOME_JOIN_LEAD = Duration.ofMinutes(15);

    public SignalingConfig {
        if (host == null || host.isBlank()) {
            throw new InvalidSetting("host", "host is required");
        }
        if (port < 0 || port > 65535) {
            throw new InvalidSetting("port", "port must be 0-65535 (0: any free port), got " + port);
        }
        between("heartbeatInterval", "heartbeat interval", heartbeatInterval, Duration.ofSeconds(1), Duration.ofMinutes(5));
        between("resumeGrace", "resume grace", resumeGrace, Duration.ofSeconds(1), Duration.ofHours(1));
        between("maxMessageBytes", "max message bytes", maxMessageBytes, 1024, 16 << 20);
        between("maxSdpBytes", "max SDP bytes", maxSdpBytes, 1024, maxMessageBytes);
        between("maxCandidatesPerCall", "max candidates per call", maxCandidatesPerCall, 1, 10_000);
        between("messagesPerSecond", "messages per second", messagesPerSecond, 1, 100_000);
        between("messageBurst", "message burst", messageBurst, 1, 1_000_000);
        between("connectionsPerUser", "connections per user", connectionsPerUser, 1, 100);
        between("outgoingQueueFrames", "outgoing queue frames", outgoingQueueFrames, 16, 1_000_000);
        between("resumeBufferMessages", "resume buffer messages", resumeBufferMessages, 16, 1_000_000);
        between("tokenTtl", "token lifetime", tokenTtl, Duration.ofMinutes(1), Duration.ofDays(366));
        // The broker starts a booked call at most 15 min early: a link opening sooner would only be refused.
        between("homeJoinLead", "home join lead", homeJoinLead, Duration.ZERO, DEFAULT_HOME_JOIN_LEAD);
    }

    /** A refused value, naming the setting (the record component) so that the configuration file can say where. */
    public static final class InvalidSetting extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String setting;

        InvalidSetting(String setting, String message) {
            super(message);
            this.setting = setting;
        }

        public String setting() {
            return setting;
        }
    }

    /** Without the benchmark relay (the production shape). */
    public SignalingConfig(String host, int port, Duration heartbeatInterval, Duration resumeGrace, int maxMessageBytes,
            int maxSdpBytes, int maxCandidatesPerCall, int messagesPerSecond, int messageBurst, int connectionsPerUser,
            int outgoingQueueFrames, int resumeBufferMessages, Duration tokenTtl) {
        this(host, port, heartbeatInterval, resumeGrace, maxMessageBytes, maxSdpBytes, maxCandidatesPerCall,
                messagesPerSecond, messageBurst, connectionsPerUser, outgoingQueueFrames, resumeBufferMessages, tokenTtl,
                false, DEFAULT_HOME_JOIN_LEAD);
    }

    public static SignalingConfig defaults() {
        return new SignalingConfig("0.0.0.0", 8080, Duration.ofSeconds(15), Duration.ofSeconds(30), 64 << 10, 32 << 10,
                100, 20, 60, 3, 1024, 512, Duration.ofHours(12));
    }

    public SignalingConfig withPort(int p) {
        return new SignalingConfig(host, p, heartbeatInterval, resumeGrace, maxMessageBytes, maxSdpBytes,
                maxCandidatesPerCall, messagesPerSecond, messageBurst, connectionsPerUser, outgoingQueueFrames,
                resumeBufferMessages, tokenTtl, benchRelay, homeJoinLead);
    }

    public SignalingConfig withHost(String h) {
        return new SignalingConfig(h, port, heartbeatInterval, resumeGrace, maxMessageBytes, maxSdpBytes,
                maxCandidatesPerCall, messagesPerSecond, messageBurst, connectionsPerUser, outgoingQueueFrames,
                resumeBufferMessages, tokenTtl, benchRelay, homeJoinLead);
    }

    public SignalingConfig withHeartbeat(Duration interval) {
        return new SignalingConfig(host, port, interval, resumeGrace, maxMessageBytes, maxSdpBytes,
                maxCandidatesPerCall, messagesPerSecond, messageBurst, connectionsPerUser, outgoingQueueFrames,
                resumeBufferMessages, tokenTtl, benchRelay, homeJoinLead);
    }

    public SignalingConfig withLimits(int messagesPerSecond, int messageBurst, int connectionsPerUser) {
        return new SignalingConfig(host, port, heartbeatInterval, resumeGrace, maxMessageBytes, maxSdpBytes,
                maxCandidatesPerCall, messagesPerSecond, messageBurst, connectionsPerUser, outgoingQueueFrames,
                resumeBufferMessages, tokenTtl, benchRelay, homeJoinLead);
    }

    public SignalingConfig withBenchRelay(boolean on) {
        return new SignalingConfig(host, port, heartbeatInterval, resumeGrace, maxMessageBytes, maxSdpBytes,
                maxCandidatesPerCall, messagesPerSecond, messageBurst, connectionsPerUser, outgoingQueueFrames,
                resumeBufferMessages, tokenTtl, on, homeJoinLead);
    }

    private static void between(String setting, String what, Duration d, Duration min, Duration max) {
        if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new InvalidSetting(setting, what + " must be between " + Durations.format(min) + " and "
                    + Durations.format(max) + ", got " + (d == null ? "nothing" : Durations.format(d)));
        }
    }

    private static void between(String setting, String what, long v, long min, long max) {
        if (v < min || v > max) {
            throw new InvalidSetting(setting, what + " must be " + min + "-" + max + ", got " + v);
        }
    }
}
