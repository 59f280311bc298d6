package fi.palvelurinki.broker.point;

import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.ring.Ids;
import fi.palvelurinki.broker.ring.Texts;

/**
 * A joint service point (Asiointipiste) run by a municipality.
 *
 * @param rooms remote-service rooms or terminals at the point (1-20)
 */
public record ServicePoint(String id, String name, String municipality, int rooms) {
    public ServicePoint {
        Ids.check("point", id);
        name = Texts.check("point name", name, 200, true);
        municipality = Texts.check("municipality", municipality, 100, true);
        if (rooms < 1 || rooms > 20) {
            throw BrokerException.invalid("point " + id + " must have 1-20 remote-service rooms, got " + rooms);
        }
    }
}
