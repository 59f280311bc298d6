package fi.palvelurinki.media;

import java.util.List;
import java.util.Locale;

/**
 * One entry of the ICE configuration handed to clients ({@code RTCIceServer} in the browser): STUN
 * URLs need no credentials, TURN URLs need both a username and a credential.
 *
 * @param urls       {@code stun:host[:port]}, {@code turn:host[:port][?transport=udp|tcp]} or {@code turns:…}
 * @param username   for TURN; null for STUN
 * @param credential for TURN; null for STUN
 */
public record IceServer(List<String> urls, String username, String credential) {
    public IceServer {
        if (urls == null || urls.isEmpty()) {
            throw new IllegalArgumentException("an ICE server needs at least one URL");
        }
        urls = List.copyOf(urls);
        boolean turn = false;
        for (String u : urls) {
            String lower = u == null ? "" : u.toLowerCase(Locale.ROOT);
            if (lower.startsWith("turn:") || lower.startsWith("turns:")) {
                turn = true;
            } else if (!lower.startsWith("stun:") && !lower.startsWith("stuns:")) {
                throw new IllegalArgumentException("ICE server URL must start with stun:, stuns:, turn: or turns:, got '"
                        + u + "'");
            }
            if (lower.indexOf(':') == lower.length() - 1 || lower.contains(" ")) {
                throw new IllegalArgumentException("ICE server URL '" + u + "' names no host");
            }
        }
        if (turn && (blank(username) || blank(credential))) {
            throw new IllegalArgumentException("a TURN server (" + urls.get(0) + ") needs a username and a credential");
        }
    }

    public static IceServer stun(String host, int port) {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return new IceServer(List.of("stun:" + h + ":" + port), null, null);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
