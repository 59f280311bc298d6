package fi.palvelurinki.signaling.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import fi.palvelurinki.broker.ring.Ids;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.Set;

/**
 * Signed bearer tokens: JSON Web Tokens signed with HMAC-SHA256 (HS256) and the configured secret, with
 * the claims {@code sub}, {@code role}, {@code point} (advisors), {@code rings} (experts), {@code iat}
 * and {@code exp}. Nimbus JOSE + JWT checks them: the algorithm must be HS256 (no {@code none}, no
 * algorithm chosen by the token), the signature, the standard time claims with {@link #CLOCK_SKEW} of
 * leeway ({@code exp} passed, {@code nbf} not reached), and the claims' JSON types ({@code exp} as a
 * string is refused). It does not check {@code iat}, so this class refuses a token issued in the future.
 *
 * <p>{@link #verify} says only yes or no: callers answer every failure the same way, so a client
 * cannot learn which part of a token was wrong.
 */
public final class TokenService {
    public static final int MAX_TOKEN_LENGTH = 4096;
    /** Leeway for clocks that disagree a little (the token command may run on another machine). */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private static final String BOOKING = "bk";
    private static final String VERSION = "v";

    private final MACSigner signer;
    private final MACVerifier verifier;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final InstantSource clock;
    private static final String SESSION_SOURCE = "oidc";
    /** Ended sessions' ids, until their tokens expire (journaled as SignedOut, restored at start). */
    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
    private volatile boolean onlySessions;

    public TokenService(byte[] secret, InstantSource clock) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the token secret must be at least 32 bytes");
        }
        this.clock = clock;
        try {
            this.signer = new MACSigner(secret.clone());
            this.verifier = new MACVerifier(secret.clone());
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable token secret: " + e.getMessage(), e);
        }
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256,
                new ImmutableSecret<>(secret.clone())));
        processor.setJWTClaimsSetVerifier(new ClaimsVerifier(clock));
    }

    public String issue(Principal p) {
        return issue(p, new JWTClaimsSet.Builder());
    }

    /**
     * A session token after a sign-in at a provider: as {@link #issue(Principal)}, marked as such
     * ({@code src}), naming the provider ({@code prv}) and with an id ({@code jti}) so that sign-out can end it.
     */
    public String issueSession(Principal p, String provider) {
        return issue(p, new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString()).claim("src", SESSION_SOURCE)
                .claim("prv", provider));
    }

    private String issue(Principal p, JWTClaimsSet.Builder claims) {
        claims
                .subject(Ids.check("user", p.user()))
                .claim("role", p.role().wireName())
                .issueTime(Date.from(clock.instant()))
                .expirationTime(Date.from(p.expiresAt()));
        if (p.point() != null) {
            claims.claim("point", Ids.check("point", p.point()));
        }
        if (!p.rings().isEmpty()) {
            p.rings().forEach(r -> Ids.check("ring", r));
            claims.claim("rings", p.rings());
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("HMAC-SHA256 signing failed", e);
        }
        return jwt.serialize();
    }

    public String issue(String user, Role role, String point, List<String> rings, Duration ttl) {
        return issue(new Principal(user, role, point, rings, clock.instant().plus(ttl)));
    }

    /**
     * A home booking's join link: the customer's token, bound to the booking and the version it was issued
     * for, usable from {@code notBefore} until {@code expiresAt}. It names no person: only the booking's number.
     */
    public String issueJoinLink(long bookingId, int version, Instant notBefore, Instant expiresAt) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(fi.palvelurinki.broker.booking.Booking.customerId(bookingId))
                .claim("role", Role.CUSTOMER.wireName())
                .claim(BOOKING, bookingId)
                .claim(VERSION, version)
                // Issued "at" its opening: the same booking and version give the same link whenever it is shown.
                .issueTime(Date.from(notBefore))
                .notBeforeTime(Date.from(notBefore))
                .expirationTime(Date.from(expiresAt))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("HMAC-SHA256 signing failed", e);
        }
        return jwt.serialize();
    }

    /** What a join link is, before asking the broker whether its booking still stands. */
    public enum LinkState { VALID, NOT_YET, EXPIRED, FORGED }

    /** @param bookingId, version and the times are 0/null when {@code state} is FORGED */
    public record JoinLink(LinkState state, long bookingId, int version, Instant notBefore, Instant expiresAt) {}

    /**
     * Reads a join link telling a forged one (bad signature, algorithm, type or claims) from one outside its
     * time: the customer's page says which. Only a correctly signed link reveals its times.
     */
    public JoinLink readJoinLink(String token) {
        JoinLink forged = new JoinLink(LinkState.FORGED, 0, 0, null, null);
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return forged;
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())
                    || !JOSEObjectType.JWT.equals(jwt.getHeader().getType()) || !jwt.verify(verifier)) {
                return forged;
            }
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            Long booking = c.getLongClaim(BOOKING);
            Integer version = c.getIntegerClaim(VERSION);
            if (!Role.CUSTOMER.wireName().equals(c.getStringClaim("role")) || booking == null || version == null
                    || c.getNotBeforeTime() == null || c.getExpirationTime() == null) {
                return forged;
            }
            Instant nbf = c.getNotBeforeTime().toInstant();
            Instant exp = c.getExpirationTime().toInstant();
            Instant now = clock.instant();
            LinkState state = now.isBefore(nbf.minus(CLOCK_SKEW)) ? LinkState.NOT_YET
                    : now.isAfter(exp.plus(CLOCK_SKEW)) ? LinkState.EXPIRED : LinkState.VALID;
            return new JoinLink(state, booking, version, nbf, exp);
        } catch (ParseException | JOSEException | RuntimeException e) {
            return forged;
        }
    }

    /**
     * With identity providers configured, only their sign-ins' session tokens are taken: a token from
     * {@code bin/palvelurinki token} or the demo sign-in is refused unless development tokens are enabled.
     */
    public void onlySignInSessions(boolean only) {
        this.onlySessions = only;
    }

    /** Ends a sign-in's session (sign-out): its token is refused from now until it would have expired anyway. */
    public boolean revoke(String token) {
        Optional<JWTClaimsSet> c = claims(token);
        if (c.isEmpty() || c.get().getJWTID() == null) {
            return false;
        }
        Instant now = clock.instant();
        revoked.values().removeIf(until -> until.plus(CLOCK_SKEW).isBefore(now));
        revoked.put(c.get().getJWTID(), c.get().getExpirationTime().toInstant());
        return true;
    }

    /** After a restart: the sessions ended before it, each until its token would have expired. */
    public void restoreEnded(Map<String, Instant> ended) {
        revoked.putAll(ended);
    }

    /** The claims of a token this server would take now, or empty. */
    public Optional<JWTClaimsSet> claims(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        try {
            JWTClaimsSet c = processor.process(token, null);
            if (c.getJWTID() != null && revoked.containsKey(c.getJWTID())) {
                return Optional.empty();
            }
            // A home customer's join link is the server's own, not a development token.
            if (onlySessions && !SESSION_SOURCE.equals(c.getClaim("src"))
                    && !Role.CUSTOMER.wireName().equals(c.getClaim("role"))) {
                return Optional.empty();
            }
            return Optional.of(c);
        } catch (ParseException | JOSEException | com.nimbusds.jose.proc.BadJOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The principal if the token is well-formed, correctly signed, within its time claims and of our claims' types. */
    public Optional<Principal> verify(String token) {
        Optional<JWTClaimsSet> taken = claims(token);
        if (taken.isEmpty()) {
            return Optional.empty();
        }
        try {
            JWTClaimsSet c = taken.get();
            String user = c.getSubject();
            String point = c.getStringClaim("point");
            List<String> rings = c.getStringListClaim("rings");
            if (!Ids.valid(user) || (point != null && !Ids.valid(point))
                    || (rings != null && !rings.stream().allMatch(Ids::valid))) {
                return Optional.empty();
            }
            Role role = Role.parse(c.getStringClaim("role"));
            if (role == Role.CUSTOMER) {
                Long booking = c.getLongClaim(BOOKING);
                Integer version = c.getIntegerClaim(VERSION);
                if (booking == null || version == null) {
                    return Optional.empty();
                }
                return Optional.of(new Principal(user, role, null, List.of(), c.getExpirationTime().toInstant(), booking,
                        version));
            }
            return Optional.of(new Principal(user, role, point, rings, c.getExpirationTime().toInstant()));
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The library's checks on the injected clock, with every claim we rely on required, and no future iat. */
    private static final class ClaimsVerifier extends DefaultJWTClaimsVerifier<SecurityContext> {
        private final InstantSource clock;

        ClaimsVerifier(InstantSource clock) {
            super(null, null, Set.of("sub", "role", "iat", "exp"), null);
            setMaxClockSkew((int) CLOCK_SKEW.toSeconds());
            this.clock = clock;
        }

        @Override
        protected Date currentTime() {
            return Date.from(clock.instant());
        }

        @Override
        public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
            super.verify(claims, context);
            Date issued = claims.getIssueTime();
            if (issued.toInstant().isAfter(clock.instant().plus(CLOCK_SKEW))) {
                throw new BadJWTException("JWT issued in the future");
            }
        }
    }
}
