package fi.palvelurinki.broker.analytics;

import fi.palvelurinki.broker.expert.Presence;
import java.time.Duration;
import java.util.List;

/** Everything counted for one row (one ring, one day…) while the journal is read. */
final class Tally {
    /** What became of an offer. */
    enum Offer { MADE, ACCEPTED, DECLINED, MISSED, WITHDRAWN }

    final QueueTally queue = new QueueTally();
    long calls;
    long talkMillis;
    long wrapUpMillis;
    final long[] presenceMillis = new long[Presence.values().length];
    final long[] offers = new long[Offer.values().length];
    long coveredMillis;

    HandleFigures handle() {
        return new HandleFigures(calls, Duration.ofMillis(talkMillis), Duration.ofMillis(wrapUpMillis));
    }

    TimeFigures time() {
        return new TimeFigures(Duration.ofMillis(coveredMillis), ms(Presence.AVAILABLE), ms(Presence.OFFERED),
                ms(Presence.IN_CALL), ms(Presence.WRAP_UP), ms(Presence.AWAY), offers[Offer.MADE.ordinal()],
                offers[Offer.ACCEPTED.ordinal()], offers[Offer.DECLINED.ordinal()], offers[Offer.MISSED.ordinal()],
                offers[Offer.WITHDRAWN.ordinal()]);
    }

    FigureRow row(Dimension d, String key, String label, List<Duration> thresholds) {
        return new FigureRow(d, key, label, queue.figures(thresholds), handle(), time());
    }

    private Duration ms(Presence p) {
        return Duration.ofMillis(presenceMillis[p.ordinal()]);
    }
}
