package fi.palvelurinki.signaling.auth;

import java.util.Locale;

/** Who is connecting: an advisor at a point, an authority's expert, or an operator of the rings. */
public enum Role {
    ADVISOR, EXPERT, OPERATOR;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String s) {
        for (Role r : values()) {
            if (r.wireName().equals(s)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + s + "', expected advisor, expert or operator");
    }
}
