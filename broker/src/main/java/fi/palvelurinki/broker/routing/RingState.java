package fi.palvelurinki.broker.routing;

import fi.palvelurinki.broker.ring.OpeningHours;
import fi.palvelurinki.broker.ring.RingConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * A ring's live state: its queue, its available experts, its figures for today. Each group of fields is
 * written by one part of the engine (others only read).
 */
final class RingState {
    // directory
    RingConfig config;
    final Set<ExpertState> members = new LinkedHashSet<>();
    // presence
    /** AVAILABLE members, longest idle first. */
    final TreeSet<ExpertState> available = new TreeSet<>(ExpertState.IDLE_ORDER);
    /** Members signed in (not OFFLINE, not AWAY). */
    int staffed;
    // queues and offers (and the day's figures below)
    /** Waiting requests this ring may answer (its own, and others' that overflowed here), in order of service. */
    final RingQueue queue = new RingQueue();
    /** This ring's own active requests (waiting or ringing; not those overflowed here), oldest first. */
    final RequestsById ownActive = new RequestsById();
    int ownWaiting;
    int ownRinging;
    // calls
    int callsInProgress;
    /** Recent handle time (talk + wrap-up), an exponentially weighted moving average. */
    double ahtSeconds;

    // live updates
    boolean queueDirty;
    boolean statusDirty;
    Instant lastQueuePublish = Instant.EPOCH;
    Instant lastStatusPublish = Instant.EPOCH;
    boolean queuePublishArmed;
    /** Where a round of queue updates that did not fit in one step goes on, or null. */
    RequestState publishFrom;
    boolean statusPublishArmed;
    /** In the live-updates part's list of rings to publish. */
    boolean listed;

    LocalDate day;
    private Instant dayStart = Instant.MAX;
    private Instant dayEnd = Instant.MIN;
    int queuedToday;
    int answeredToday;
    int answeredWithinToday;
    int abandonedToday;
    int abandonedAfterGraceToday;

    RingState(RingConfig config) {
        this.config = config;
        this.ahtSeconds = config.expectedHandleTime().toMillis() / 1000.0;
    }

    String id() {
        return config.id();
    }

    /** Rolls the day counters over at midnight Helsinki time. */
    RingState today(Instant at) {
        if (!at.isBefore(dayStart) && at.isBefore(dayEnd)) {
            return this;
        }
        LocalDate d = at.atZone(OpeningHours.ZONE).toLocalDate();
        dayStart = d.atStartOfDay(OpeningHours.ZONE).toInstant();
        dayEnd = d.plusDays(1).atStartOfDay(OpeningHours.ZONE).toInstant();
        if (!d.equals(day)) {
            day = d;
            queuedToday = 0;
            answeredToday = 0;
            answeredWithinToday = 0;
            abandonedToday = 0;
            abandonedAfterGraceToday = 0;
        }
        return this;
    }

    Double serviceLevel() {
        int denominator = answeredToday + abandonedAfterGraceToday;
        return denominator == 0 ? null : (double) answeredWithinToday / denominator;
    }

    Duration aht() {
        return Duration.ofMillis(Math.round(ahtSeconds * 1000));
    }

    void touch() {
        queueDirty = true;
        statusDirty = true;
    }
}
