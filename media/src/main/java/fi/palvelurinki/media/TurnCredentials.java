package fi.palvelurinki.media;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints coturn's time-limited TURN credentials (the "TURN REST API" scheme behind its
 * {@code use-auth-secret}): username {@code <expiry, seconds since 1970>:<user id>}, password
 * {@code base64(HMAC-SHA1(shared secret, username))}. coturn recomputes the password from the username
 * with the same secret, and refuses a username whose expiry has passed.
 */
public final class TurnCredentials {
    private final TurnConfig config;
    private final SecretKeySpec key;

    public TurnCredentials(TurnConfig config) {
        this.config = config;
        this.key = new SecretKeySpec(config.sharedSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA1");
    }

    /** Credentials for {@code user}, valid from {@code now} for the configured lifetime. */
    public IceServer mint(String user, Instant now) {
        return forUsername(now.plus(config.credentialLifetime()).getEpochSecond() + ":" + user);
    }

    /** The TURN server entry for a given username (expiry and user id), signed with the shared secret. */
    IceServer forUsername(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(key);
            byte[] sig = mac.doFinal(username.getBytes(StandardCharsets.UTF_8));
            return new IceServer(config.urls(), username, Base64.getEncoder().encodeToString(sig));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 is part of every JDK", e);
        }
    }
}
