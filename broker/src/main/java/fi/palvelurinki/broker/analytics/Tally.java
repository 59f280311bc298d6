package fi.palvelurinki.broker.analytics;

import fi.palvelurinki.broker.expert.Presence;
import java.time.Duration;
import java.util.List;

/** Everything counted for one row (one ring, one day…) while the journal is read. */
final class Tally {
    final QueueTally queue = new QueueTally();
    long calls;
    long talkMillis;
    long wrapUpMillis;
    final long[] presenceMillis = new long[Presence.values().length];
    long offers;
    long accepted;
    long declined;
    long missed;
    long withdrawn;
    long coveredMillis;

    HandleFigures handle() {
        return new HandleFigures(calls, Duration.ofMillis(talkMillis), Duration.ofMillis(wrapUpMillis));
    }

    TimeFigures time() {
        return new TimeFigures(Duration.ofMillis(coveredMillis), ms(Presence.AVAILABLE), ms(Presence.OFFERED),
                ms(Presence.IN_CALL), ms(Presence.WRAP_UP), ms(Presence.AWAY), offers, accepted, declined, missed, withdrawn);
    }

    FigureRow row(Dimension d, String key, String label, List<Duration> thresholds) {
        return new FigureRow(d, key, label, queue.figures(thresholds), handle(), time());
    }

    private Duration ms(Presence p) {
        return Duration.ofMillis(presenceMillis[p.ordinal()]);
    }
}
