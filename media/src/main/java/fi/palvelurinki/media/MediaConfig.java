package fi.palvelurinki.media;

import java.util.List;

/**
 * The media module's configuration, validated when built; defaults in {@code docs/configuration.md}
 * (section {@code media} of the configuration file).
 *
 * @param embeddedStun   run the embedded STUN binding service and hand it to clients
 * @param stunHost       address the STUN service listens on (UDP)
 * @param stunPort       UDP port of the STUN service (0: any free port)
 * @param stunPublicHost the host clients reach the STUN service at, as put in {@code stun:HOST:PORT};
 *                       the server cannot know the name it is reached by behind NAT or a proxy
 * @param turnServers    external TURN servers (e.g. coturn) handed to clients after the STUN service,
 *                       for networks where peer-to-peer fails
 */
public record MediaConfig(boolean embeddedStun, String stunHost, int stunPort, String stunPublicHost,
        List<IceServer> turnServers) {

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
        turnServers = turnServers == null ? List.of() : List.copyOf(turnServers);
    }

    public static MediaConfig defaults() {
        return new MediaConfig(true, "0.0.0.0", 3478, "127.0.0.1", List.of());
    }

    public MediaConfig withStun(String host, int port) {
        return new MediaConfig(embeddedStun, host, port, stunPublicHost, turnServers);
    }
}
