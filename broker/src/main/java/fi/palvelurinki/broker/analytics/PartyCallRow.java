package fi.palvelurinki.broker.analytics;

/**
 * Calls with an interpreter or with a second authority, and calls of three or four parties, among the
 * calls started in the period: all, per authority (of the ring that answered) and per service point.
 *
 * @param by              {@code total}, {@code authority} or {@code point}
 * @param calls           calls started in the period
 * @param withInterpreter calls an interpreter joined (PartyJoined with role interpreter)
 * @param withSecondAuthority calls a second authority's expert joined (PartyJoined with role expert)
 * @param threeParties    calls that had at most three parties in them at once, and three at some time
 * @param fourParties     calls that had four at once (the most a call can have)
 */
public record PartyCallRow(String by, String key, String label, long calls, long withInterpreter,
        long withSecondAuthority, long threeParties, long fourParties) {

    /** Share of the calls with an interpreter; NaN without calls. */
    public double interpreterShare() {
        return calls == 0 ? Double.NaN : (double) withInterpreter / calls;
    }
}
