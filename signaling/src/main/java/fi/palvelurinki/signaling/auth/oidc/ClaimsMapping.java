package fi.palvelurinki.signaling.auth.oidc;

import fi.palvelurinki.broker.ring.Ids;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.signaling.auth.Role;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Who a provider's person is here: the user id, and the role, point and rings their claims map to
 * (docs/operations.md, "Configuring a provider"). The first rule whose condition holds decides; a rule
 * that names no configured point or ring gives no role, so that a mistake in the directory never hands
 * out a role the rules did not mean.
 */
public final class ClaimsMapping {
    private ClaimsMapping() {}

    /**
     * @param user   the user id here, or null when the user claim is missing or not a usable id
     * @param role   null: no role (the person gets the "no role" page)
     * @param reason why, for the journal: names rules, points and rings, never claims' values
     */
    public record Decision(String user, String name, Role role, String point, List<String> rings,
            Set<Language> languages, String reason) {
        public boolean admitted() {
            return role != null;
        }
    }

    public static Decision map(OidcConfig.Provider p, Map<String, Object> claims, Predicate<String> pointExists,
            Predicate<String> ringExists) {
        Object raw = claims.get(p.userClaim());
        String user = raw instanceof String s && !s.isEmpty() ? p.userPrefix() + s : null;
        if (user == null || !Ids.valid(user)) {
            return new Decision(null, null, null, null, List.of(), Set.of(),
                    "claim " + p.userClaim() + " is missing or not a usable user id (1-64 of A-Z a-z 0-9 . _ -)");
        }
        String name = user;
        if (p.nameClaim() != null && claims.get(p.nameClaim()) instanceof String n && !n.isBlank()) {
            name = n.strip().length() > 200 ? n.strip().substring(0, 200) : n.strip();
        }
        List<OidcConfig.RoleRule> rules = p.roles();
        for (int i = 0; i < rules.size(); i++) {
            OidcConfig.RoleRule r = rules.get(i);
            if (!holds(claims.get(r.claim()), r.value())) {
                continue;
            }
            String rule = "rule " + (i + 1) + " (" + r.role().wireName() + ")";
            switch (r.role()) {
                case ADVISOR -> {
                    String point = r.point() != null ? r.point() : claims.get(r.pointClaim()) instanceof String s ? s : null;
                    if (point == null || !pointExists.test(point)) {
                        return new Decision(user, name, null, null, List.of(), Set.of(), rule + ": "
                                + (point == null ? "claim " + r.pointClaim() + " is missing" : "point '" + point
                                + "' is not configured"));
                    }
                    return new Decision(user, name, Role.ADVISOR, point, List.of(), Set.of(), rule);
                }
                case EXPERT -> {
                    TreeSet<String> named = new TreeSet<>(r.rings());
                    if (r.ringsClaim() != null) {
                        for (String v : values(claims.get(r.ringsClaim()))) {
                            if (v.startsWith(r.ringsPrefix()) && v.length() > r.ringsPrefix().length()) {
                                named.add(v.substring(r.ringsPrefix().length()));
                            }
                        }
                    }
                    List<String> rings = named.stream().filter(ringExists).toList();
                    List<String> unknown = named.stream().filter(ringExists.negate()).filter(Ids::valid).toList();
                    String note = unknown.isEmpty() ? "" : "; not configured: " + String.join(", ", unknown);
                    if (rings.isEmpty()) {
                        return new Decision(user, name, null, null, List.of(), Set.of(), rule + ": no configured ring"
                                + note);
                    }
                    return new Decision(user, name, Role.EXPERT, null, rings, r.languages(), rule + note);
                }
                case OPERATOR -> {
                    return new Decision(user, name, Role.OPERATOR, null, List.of(), Set.of(), rule);
                }
                default -> throw new IllegalStateException();
            }
        }
        return new Decision(user, name, null, null, List.of(), Set.of(), "no rule matched");
    }

    private static boolean holds(Object claim, String value) {
        List<String> v = values(claim);
        return value == null ? !v.isEmpty() : v.contains(value);
    }

    /** A claim as strings: one string, or the strings of a list (groups, roles). */
    private static List<String> values(Object claim) {
        List<String> out = new ArrayList<>();
        if (claim instanceof String s) {
            out.add(s);
        } else if (claim instanceof Collection<?> c) {
            c.forEach(x -> {
                if (x instanceof String s) {
                    out.add(s);
                }
            });
        } else if (claim instanceof Boolean b && b) {
            out.add("true");
        }
        return out;
    }
}
