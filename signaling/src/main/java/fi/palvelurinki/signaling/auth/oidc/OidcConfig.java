package fi.palvelurinki.signaling.auth.oidc;

import fi.palvelurinki.broker.ring.Ids;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.signaling.auth.Role;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Sign-in through the organisations' identity providers (section {@code security.oidc}, docs/operations.md).
 *
 * @param sessionTtl lifetime of the server's own session token issued after a sign-in
 * @param publicUrl  the address browsers reach the server at (for the redirect URI registered at the
 *                   providers), or null: taken from each request
 * @param devTokens  also take tokens from {@code bin/palvelurinki token} and the demo sign-in (development
 *                   and load tests); off, only tokens of a provider's sign-in are taken
 */
public record OidcConfig(Duration sessionTtl, URI publicUrl, boolean devTokens, List<Provider> providers) {
    public static final Duration DEFAULT_SESSION_TTL = Duration.ofHours(8);

    public OidcConfig {
        providers = List.copyOf(providers);
        if (providers.isEmpty()) {
            throw new IllegalArgumentException("providers: at least one provider is needed");
        }
        if (sessionTtl.compareTo(Duration.ofMinutes(5)) < 0 || sessionTtl.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("sessionTtl must be between 5 min and 24 h");
        }
        Set<String> ids = new HashSet<>();
        for (Provider p : providers) {
            if (!ids.add(p.id())) {
                throw new IllegalArgumentException("provider id '" + p.id() + "' is used twice");
            }
        }
    }

    public Provider provider(String id) {
        return providers.stream().filter(p -> p.id().equals(id)).findFirst().orElse(null);
    }

    /**
     * One identity provider and how its claims map to people here.
     *
     * @param userClaim  the claim whose value (after {@code userPrefix}) is the user id here; {@code sub} by default
     * @param nameClaim  the claim shown as the person's name, or null: the user id is their name, and no
     *                   name reaches the journal
     * @param roles      tried in order; the first whose condition holds decides
     */
    public record Provider(String id, String name, URI issuer, String clientId, String clientSecret, List<String> scopes,
            String userClaim, String userPrefix, String nameClaim, List<RoleRule> roles) {
        public Provider {
            Ids.check("provider", id);
            if (clientSecret == null || clientSecret.isEmpty()) {
                throw new IllegalArgumentException("clientSecret (or clientSecretFile) is required");
            }
            scopes = List.copyOf(scopes);
            if (!scopes.contains("openid")) {
                throw new IllegalArgumentException("scopes must include openid");
            }
            roles = List.copyOf(roles);
            if (roles.isEmpty()) {
                throw new IllegalArgumentException("roles: at least one rule is needed, or nobody could sign in");
            }
        }
    }

    /**
     * One mapping rule: when the claim holds the value (a string equal to it, or a list containing it;
     * with no value: the claim is present), the person gets the role. Advisors need a point (fixed, or
     * from a claim); experts get rings (fixed, and/or from a claim's values that start with
     * {@code ringsPrefix}, with the prefix removed).
     */
    public record RoleRule(Role role, String claim, String value, String point, String pointClaim, List<String> rings,
            String ringsClaim, String ringsPrefix, Set<Language> languages) {
        public RoleRule {
            rings = List.copyOf(rings);
            languages = Set.copyOf(languages);
            ringsPrefix = ringsPrefix == null ? "" : ringsPrefix;
            if (claim == null) {
                throw new IllegalArgumentException("claim is required (e.g. groups)");
            }
            if (role == Role.ADVISOR && (point == null) == (pointClaim == null)) {
                throw new IllegalArgumentException("an advisor rule needs one of point or pointClaim");
            }
            if (role == Role.EXPERT && rings.isEmpty() && ringsClaim == null) {
                throw new IllegalArgumentException("an expert rule needs rings or ringsClaim");
            }
            if (role != Role.ADVISOR && (point != null || pointClaim != null)) {
                throw new IllegalArgumentException("point and pointClaim are for advisor rules");
            }
            if (role != Role.EXPERT && (!rings.isEmpty() || ringsClaim != null || !languages.isEmpty())) {
                throw new IllegalArgumentException("rings, ringsClaim and languages are for expert rules");
            }
        }
    }
}
