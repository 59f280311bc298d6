package fi.palvelurinki.broker;

import fi.palvelurinki.broker.ring.Ids;
import java.util.Locale;

/** Who did something: an advisor, an expert or an operator. Journaled as {@code kind:id}. */
public record Actor(Kind kind, String id) {
    public enum Kind { ADVISOR, EXPERT, OPERATOR }

    public Actor {
        if (kind == null) {
            throw BrokerException.invalid("actor kind is required");
        }
        Ids.check("actor", id);
    }

    public static Actor advisor(String id) {
        return new Actor(Kind.ADVISOR, id);
    }

    public static Actor expert(String id) {
        return new Actor(Kind.EXPERT, id);
    }

    public static Actor operator(String id) {
        return new Actor(Kind.OPERATOR, id);
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT) + ":" + id;
    }
}
