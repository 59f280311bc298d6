package fi.palvelurinki.media;

import java.time.Duration;

/**
 * The media module's configuration, validated when built; defaults in {@code docs/configuration.md}
 * (section {@code media} of the configuration file).
 *
 * @param embeddedStun    run the embedded STUN binding service and hand it to clients
 * @param stunHost        address the STUN service listens on (UDP)
 * @param stunPort        UDP port of the STUN service (0: any free port)
 * @param stunPublicHost  the host clients reach the STUN service at, as put in {@code stun:HOST:PORT};
 *                        the server cannot know the name it is reached by behind NAT or a proxy
 * @param turn            the TURN relay (coturn) with its shared secret, or null for none
 * @param relayOnly       browsers use only relayed candidates ({@code iceTransportPolicy: "relay"}): media
 *                        always goes through the TURN relay, and neither party learns the other's addresses
 * @param recoveryTimeout how long a call's media may stay lost (ICE failed, network changed) while the
 *                        pages try to restart it, before the call ends with reason {@code media_lost}
 */
public record MediaConfig(boolean embeddedStun, String stunHost, int stunPort, String stunPublicHost, TurnConfig turn,
        boolean relayOnly, Duration recoveryTimeout) {
    public static final Duration DEFAULT_RECOVERY = Duration.ofSeconds(30);

    public MediaConfig {
        if (stunHost == null || stunHost.isBlank()) {
            throw new IllegalArgumentException("stunHost is required");
        }
        if (stunPort < 0 || stunPort > 65535) {
            throw new IllegalArgumentException("stunPort must be 0-65535 (0: any free port), got " + stunPort);
        }
        if (stunPublicHost == null || stunPublicHost.isBlank() || stunPublicHost.contains("/")) {
            throw new IllegalArgumentException("stunPublicHost must be a host name or address, got '" + stunPublicHost + "'");
        }
        if (relayOnly && turn == null) {
            throw new IllegalArgumentException("iceTransportPolicy relay needs a TURN relay (media.turn)");
        }
        if (recoveryTimeout == null || recoveryTimeout.compareTo(Duration.ofSeconds(5)) < 0
                || recoveryTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("recoveryTimeout must be between 5 s and 10 min, got " + recoveryTimeout);
        }
    }

    /** The embedded STUN service only, as on one machine. */
    public MediaConfig(boolean embeddedStun, String stunHost, int stunPort, String stunPublicHost) {
        this(embeddedStun, stunHost, stunPort, stunPublicHost, null, false, DEFAULT_RECOVERY);
    }

    public static MediaConfig defaults() {
        return new MediaConfig(true, "0.0.0.0", 3478, "127.0.0.1");
    }

    public MediaConfig withStun(String host, int port) {
        return new MediaConfig(embeddedStun, host, port, stunPublicHost, turn, relayOnly, recoveryTimeout);
    }

    public MediaConfig withTurn(TurnConfig t, boolean relay) {
        return new MediaConfig(embeddedStun, stunHost, stunPort, stunPublicHost, t, relay, recoveryTimeout);
    }

    public MediaConfig withRecoveryTimeout(Duration d) {
        return new MediaConfig(embeddedStun, stunHost, stunPort, stunPublicHost, turn, relayOnly, d);
    }
}
