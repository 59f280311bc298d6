package fi.palvelurinki.signaling.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.palvelurinki.broker.ring.Ids;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed bearer tokens: {@code v1.<payload>.<signature>}, where payload is base64url JSON
 * {@code {"sub","role","point","rings","iat","exp"}} and signature is base64url HMAC-SHA256 over
 * {@code v1.<payload>} with the configured secret. The JDK's HMAC is all this needs; a JWT library
 * would bring algorithm negotiation we do not want.
 *
 * <p>{@link #verify} says only yes or no: callers answer every failure the same way, so a client
 * cannot learn which part of a token was wrong.
 */
public final class TokenService {
    public static final int MAX_TOKEN_LENGTH = 4096;
    private static final String PREFIX = "v1.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SecretKeySpec key;
    private final InstantSource clock;

    public TokenService(byte[] secret, InstantSource clock) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the token secret must be at least 32 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
        this.clock = clock;
    }

    public String issue(Principal p) {
        ObjectNode o = JSON.createObjectNode();
        o.put("sub", Ids.check("user", p.user()));
        o.put("role", p.role().wireName());
        if (p.point() != null) {
            o.put("point", Ids.check("point", p.point()));
        }
        if (!p.rings().isEmpty()) {
            ArrayNode rings = o.putArray("rings");
            p.rings().forEach(r -> rings.add(Ids.check("ring", r)));
        }
        o.put("iat", clock.instant().getEpochSecond());
        o.put("exp", p.expiresAt().getEpochSecond());
        String payload = b64(o.toString().getBytes(StandardCharsets.UTF_8));
        return PREFIX + payload + "." + b64(mac(PREFIX + payload));
    }

    public String issue(String user, Role role, String point, List<String> rings, Duration ttl) {
        return issue(new Principal(user, role, point, rings, clock.instant().plus(ttl)));
    }

    /** The principal if the token is well-formed, correctly signed and not expired. */
    public Optional<Principal> verify(String token) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int dot = token.indexOf('.', PREFIX.length());
        if (dot < 0 || token.indexOf('.', dot + 1) >= 0) {
            return Optional.empty();
        }
        try {
            byte[] given = Base64.getUrlDecoder().decode(token.substring(dot + 1));
            byte[] expected = mac(token.substring(0, dot));
            if (!MessageDigest.isEqual(given, expected)) {
                return Optional.empty();
            }
            JsonNode o = JSON.readTree(Base64.getUrlDecoder().decode(token.substring(PREFIX.length(), dot)));
            Instant exp = Instant.ofEpochSecond(o.path("exp").asLong(0));
            if (!clock.instant().isBefore(exp)) {
                return Optional.empty();
            }
            String user = o.path("sub").asText(null);
            if (!Ids.valid(user)) {
                return Optional.empty();
            }
            Role role = Role.parse(o.path("role").asText(""));
            String point = o.hasNonNull("point") ? o.get("point").asText() : null;
            List<String> rings = new ArrayList<>();
            o.path("rings").forEach(r -> rings.add(r.asText()));
            if ((point != null && !Ids.valid(point)) || !rings.stream().allMatch(Ids::valid)) {
                return Optional.empty();
            }
            return Optional.of(new Principal(user, role, point, rings, exp));
        } catch (RuntimeException | java.io.IOException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
