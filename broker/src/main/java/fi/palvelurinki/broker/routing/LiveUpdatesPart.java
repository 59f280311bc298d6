package fi.palvelurinki.broker.routing;

import fi.palvelurinki.broker.Notification;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Live updates: queue positions and estimated waits for advisors, ring figures for operators, each at
 * most once per configured interval per ring, and only when worth telling. Owns the publishing fields
 * of {@code RingState} and, with the queue part's replies, {@code RequestState.published*}.
 */
final class LiveUpdatesPart implements EnginePart, RingChanges {
    static final int EXACT_POSITIONS = 20;
    static final Duration REFRESH_FAR_POSITIONS = Duration.ofSeconds(30);
    /**
     * Requests one step of a queue-update round looks at: a queue of 100,000 is gone through in steps,
     * each in its own broker round, so that commands are not held up behind it for tens of milliseconds.
     */
    static final int STEP = 5_000;

    private final EngineContext cx;
    /**
     * Rings with something to publish, in the order they first changed; {@code RingState.listed} says
     * whether a ring is here, so that marking one of the few rings on every event costs no hash lookup.
     */
    private final List<RingState> dirty = new ArrayList<>();
    private final TimerQueue.Handler queueTimer = this::queueTimerFired;
    private final TimerQueue.Handler statusTimer = this::statusTimerFired;
    private DirectoryPart directory;
    private QueriesPart queries;
    private InterpretersPart interpreters;

    LiveUpdatesPart(EngineContext cx) {
        this.cx = cx;
    }

    void connect(DirectoryPart directory, QueriesPart queries, InterpretersPart interpreters) {
        this.directory = directory;
        this.queries = queries;
        this.interpreters = interpreters;
    }

    @Override
    public void register(Wiring w) {
        // Reacts to what the other parts report through RingChanges; no commands or events of its own.
    }

    @Override
    public void changed(RingState ring) {
        ring.queueDirty = true;
        ring.statusDirty = true;
        list(ring);
    }

    @Override
    public void statusChanged(RingState ring) {
        ring.statusDirty = true;
        list(ring);
    }

    private void list(RingState ring) {
        if (!ring.listed) {
            ring.listed = true;
            dirty.add(ring);
        }
    }

    /** The interval is over: the next {@link #publish} round publishes what is dirty. */
    private void queueTimerFired(TimerQueue.Timer t) {
        RingState ring = directory.findRing(t.key());
        if (ring != null) {
            ring.queuePublishArmed = false;
        }
    }

    private void statusTimerFired(TimerQueue.Timer t) {
        RingState ring = directory.findRing(t.key());
        if (ring != null) {
            ring.statusPublishArmed = false;
        }
    }

    boolean idle() {
        return dirty.isEmpty();
    }

    /** Publishes what changed in the rings marked dirty, as far as their intervals allow. */
    void publish() {
        if (dirty.isEmpty()) {
            return;
        }
        int kept = 0;
        for (int i = 0; i < dirty.size(); i++) {
            RingState ring = dirty.get(i);
            if (ring.publishFrom != null) {
                publishQueue(ring);
            } else if (ring.queueDirty) {
                Instant due = ring.lastQueuePublish.plus(cx.config.queueUpdateInterval());
                if (!cx.now.isBefore(due)) {
                    publishQueue(ring);
                } else if (!ring.queuePublishArmed) {
                    ring.queuePublishArmed = true;
                    cx.schedule(due, queueTimer, 0, ring.id(), 0);
                }
            }
            if (ring.statusDirty) {
                Instant due = ring.lastStatusPublish.plus(cx.config.statusPublishInterval());
                if (!cx.now.isBefore(due)) {
                    ring.statusDirty = false;
                    ring.lastStatusPublish = cx.now;
                    cx.notify(new Notification.RingStatusChanged(queries.status(ring)));
                } else if (!ring.statusPublishArmed) {
                    ring.statusPublishArmed = true;
                    cx.schedule(due, statusTimer, 0, ring.id(), 0);
                }
            }
            if (!ring.queueDirty && !ring.statusDirty && ring.publishFrom == null) {
                ring.listed = false;
            } else {
                dirty.set(kept++, ring);
            }
        }
        dirty.subList(kept, dirty.size()).clear();
    }

    /** One step of a round: at most {@link #STEP} requests, from where the round stands. */
    private void publishQueue(RingState ring) {
        Iterator<RequestState> it;
        int k;
        if (ring.publishFrom == null) {
            ring.queueDirty = false;
            ring.lastQueuePublish = cx.now;
            it = ring.queue.iterator();
            k = 0;
        } else {
            it = ring.queue.from(ring.publishFrom);
            k = ring.queue.countBefore(ring.publishFrom);
            ring.publishFrom = null;
        }
        int seen = 0;
        // Once per step rather than once per request: a figure published at or before this is 30 s old.
        long stale = cx.now.minus(REFRESH_FAR_POSITIONS).toEpochMilli();
        while (it.hasNext()) {
            RequestState r = it.next();
            if (seen++ == STEP) {
                ring.publishFrom = r;
                // Wakes the broker for the next step even if no command comes.
                cx.schedule(cx.now, queueTimer, 0, ring.id(), 0);
                return;
            }
            k++;
            if (r.ring != ring) {
                continue;
            }
            // In seconds, as the estimate is told: most requests are not told, and need no Duration.
            long eta = WaitEstimator.estimateSeconds(k, ring.staffed, ring.ahtSeconds);
            if (r.need != null) {
                Duration joint = interpreters.estimate(r, eta < 0 ? null : Duration.ofSeconds(eta));
                eta = joint == null ? -1 : joint.toSeconds();
            }
            if (worthTelling(r, k, eta, stale)) {
                Duration told = eta < 0 ? null : Duration.ofSeconds(eta);
                r.publishedPosition = k;
                r.publishedEtaSeconds = eta;
                r.publishedAtMillis = cx.now.toEpochMilli();
                cx.notify(new Notification.QueueUpdate(r.advisorId, r.id, k, told));
            }
        }
    }

    /**
     * After a restart nobody is connected to be told: the figures now count as told (an advisor who comes
     * back gets them in the welcome), so the first round does not push one update per waiting request.
     */
    @Override
    public void recover() {
        for (RingState ring : directory.rings()) {
            int k = 0;
            for (RequestState r : ring.queue) {
                k++;
                if (r.ring == ring) {
                    r.publishedPosition = k;
                    r.publishedEtaSeconds = WaitEstimator.estimateSeconds(k, ring.staffed, ring.ahtSeconds);
                    r.publishedAtMillis = cx.now.toEpochMilli();
                }
            }
            ring.queueDirty = false;
        }
    }

    /**
     * Near the head every move is told; further back, a move of 10 % or a 30-second-old figure is
     * (position 912 → 905 is not news). This keeps a queue of thousands from costing a message per
     * waiting customer every time the head is answered.
     */
    private static boolean worthTelling(RequestState r, int position, long etaSeconds, long stale) {
        if (r.publishedPosition < 0) {
            return true;
        }
        if (position != r.publishedPosition) {
            if (position <= EXACT_POSITIONS || Math.abs(position - r.publishedPosition) * 10 >= r.publishedPosition
                    || r.publishedAtMillis <= stale) {
                return true;
            }
        }
        return etaChanged(r.publishedEtaSeconds, etaSeconds);
    }

    /**
     * Small wobbles of the estimate are not worth a message: 5 s or 10 %, whichever is more. An estimate
     * of -1 s is none (nobody signed in).
     */
    private static boolean etaChanged(long beforeSeconds, long afterSeconds) {
        if (beforeSeconds < 0 || afterSeconds < 0) {
            return (beforeSeconds < 0) != (afterSeconds < 0);
        }
        long a = beforeSeconds;
        long b = afterSeconds;
        return Math.abs(a - b) >= Math.max(5, Math.max(a, b) / 10);
    }
}
