package fi.palvelurinki.media;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A TURN relay (coturn) that hands out time-limited credentials from a secret it shares with this server
 * (coturn's {@code use-auth-secret} / {@code static-auth-secret}). The secret signs credentials here and
 * is never sent to a client; {@link #toString()} leaves it out so that no log line carries it.
 *
 * @param urls               {@code turn:host:port?transport=udp}, {@code turn:host:port?transport=tcp},
 *                           {@code turns:host:port?transport=tcp} (TLS), in the order browsers should try them
 * @param sharedSecret       coturn's {@code static-auth-secret}; at least 16 characters
 * @param credentialLifetime how long a minted credential is valid: 1 minute to 24 hours
 */
public record TurnConfig(List<String> urls, String sharedSecret, Duration credentialLifetime) {
    public static final Duration MIN_LIFETIME = Duration.ofMinutes(1);
    public static final Duration MAX_LIFETIME = Duration.ofHours(24);

    public TurnConfig {
        if (urls == null || urls.isEmpty()) {
            throw new IllegalArgumentException("TURN needs at least one URL, e.g. turn:turn.example.fi:3478?transport=udp");
        }
        urls = List.copyOf(urls);
        for (String u : urls) {
            String lower = u == null ? "" : u.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("turn:") && !lower.startsWith("turns:")) {
                throw new IllegalArgumentException("TURN URLs start with turn: or turns:, got '" + u + "'");
            }
        }
        // A credential check of the URLs' syntax (host present, no spaces) is IceServer's.
        new IceServer(urls, "x", "x");
        if (sharedSecret == null || sharedSecret.getBytes(StandardCharsets.UTF_8).length < 16) {
            throw new IllegalArgumentException("the TURN shared secret must be at least 16 characters (coturn's "
                    + "static-auth-secret; e.g. from openssl rand -hex 32)");
        }
        if (credentialLifetime == null || credentialLifetime.compareTo(MIN_LIFETIME) < 0
                || credentialLifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("the TURN credential lifetime must be between 1 minute and 24 hours, got "
                    + credentialLifetime);
        }
    }

    @Override
    public String toString() {
        return "TurnConfig[urls=" + urls + ", sharedSecret=(hidden), credentialLifetime=" + credentialLifetime + "]";
    }
}
