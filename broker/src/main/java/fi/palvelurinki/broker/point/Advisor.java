package fi.palvelurinki.broker.point;

import fi.palvelurinki.broker.ring.Ids;
import fi.palvelurinki.broker.ring.Texts;

/** A service advisor (palveluneuvoja) working at one service point. */
public record Advisor(String id, String name, String pointId) {
    public Advisor {
        Ids.check("advisor", id);
        name = Texts.check("advisor name", name, 200, true);
        Ids.check("point", pointId);
    }
}
