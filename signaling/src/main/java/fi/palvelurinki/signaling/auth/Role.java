package fi.palvelurinki.signaling.auth;

import java.util.Locale;

/**
 * Who is connecting: an advisor at a point, an authority's expert, an operator of the rings, or the
 * customer of a booking from home (with their join link, docs/protocol.md).
 */
public enum Role {
    ADVISOR, EXPERT, OPERATOR, CUSTOMER;

    /** The side of a call this role speaks for: a customer from home takes the point's (the advisor's) side. */
    public Role side() {
        return this == CUSTOMER ? ADVISOR : this;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String s) {
        for (Role r : values()) {
            if (r.wireName().equals(s)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + s + "', expected advisor, expert, operator or customer");
    }
}
