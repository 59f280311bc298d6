package fi.palvelurinki.media.bridge;

import java.util.Locale;
import java.util.Set;

/**
 * One ICE candidate (RFC 8445), as the bridge offers it or as a browser gathered it; the fields of an SDP
 * {@code a=candidate} line.
 *
 * @param foundation  candidate foundation
 * @param component   1 (RTP; the bridge multiplexes RTCP on it)
 * @param protocol    {@code udp} or {@code tcp}
 * @param priority    0 to 2^32-1
 * @param ip          address
 * @param port        1-65535 (9 for a TCP active candidate)
 * @param type        {@code host}, {@code srflx}, {@code prflx} or {@code relay}
 * @param relAddr     related address of a reflexive or relayed candidate, else null
 * @param relPort     related port, or -1
 * @param generation  ICE generation (0 until an ICE restart)
 */
public record IceCandidate(String foundation, int component, String protocol, long priority, String ip, int port,
        String type, String relAddr, int relPort, int generation) {
    private static final Set<String> TYPES = Set.of("host", "srflx", "prflx", "relay");

    public IceCandidate {
        if (foundation == null || foundation.isBlank()) {
            throw new IllegalArgumentException("ICE candidate without foundation");
        }
        if (component < 1 || component > 256) {
            throw new IllegalArgumentException("ICE candidate component must be 1-256, got " + component);
        }
        protocol = protocol == null ? "" : protocol.toLowerCase(Locale.ROOT);
        if (!protocol.equals("udp") && !protocol.equals("tcp")) {
            throw new IllegalArgumentException("ICE candidate protocol must be udp or tcp, got '" + protocol + "'");
        }
        if (priority < 0 || priority > 0xffffffffL) {
            throw new IllegalArgumentException("ICE candidate priority must be 0 to 2^32-1, got " + priority);
        }
        if (ip == null || ip.isBlank()) {
            throw new IllegalArgumentException("ICE candidate without address");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("ICE candidate port must be 1-65535, got " + port);
        }
        if (type == null || !TYPES.contains(type)) {
            throw new IllegalArgumentException("ICE candidate type must be one of " + TYPES + ", got '" + type + "'");
        }
        if (generation < 0) {
            throw new IllegalArgumentException("ICE candidate generation must not be negative, got " + generation);
        }
    }

    /** A host or peer candidate without related address, generation 0. */
    public static IceCandidate of(String foundation, String protocol, long priority, String ip, int port, String type) {
        return new IceCandidate(foundation, 1, protocol, priority, ip, port, type, null, -1, 0);
    }
}
