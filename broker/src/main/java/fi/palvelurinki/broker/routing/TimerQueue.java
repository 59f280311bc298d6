package fi.palvelurinki.broker.routing;

import java.time.Instant;
import java.util.Arrays;

/**
 * The engine's own timers, fired in order of time (ties in order of adding). A timer whose reason has gone
 * (an offer answered, a request ended) is removed at once instead of lingering until it would have fired.
 * Every timer is still checked against the current state when it fires, which keeps replay and live
 * operation identical.
 *
 * <p>Most timers of one kind (one handler) are set a fixed time ahead of the clock — an offer's timeout, a
 * request's escalation, a wrap-up — so each is due no earlier than the last one of its kind. Those go to the
 * end of their kind's lane, a list in time order: adding and removing (most are removed, not fired) is a few
 * pointer writes. The rest go to a binary heap that knows where each timer sits. The earliest timer is the
 * earliest of the heap's top and the lanes' heads. The heap alone cost the broker thread about a tenth of its time
 * in {@code bench routing} (an offer's timer added and removed per call, each a walk down a heap of
 * hundreds of timers scattered in memory).
 */
final class TimerQueue {
    /**
     * What a timer does when it fires: each engine part hands its own handler, so a new part adds
     * timers without a central list of kinds.
     */
    @FunctionalInterface
    interface Handler {
        void fire(Timer t);
    }

    static final class Timer {
        final Instant at;
        /** {@code at}, unpacked: the heap compares these without loading each timer's Instant. */
        final long seconds;
        final int nanos;
        final long order;
        final Handler handler;
        /** A numeric id the handler looks up (a request or a booking), or 0. */
        final long id;
        final String key;
        final long token;
        /** Where the timer is: its place in the heap, {@link #IN_LANE}, or -1 when neither (fired or removed). */
        int index = -1;
        Lane lane;
        Timer prev;
        Timer next;

        Timer(Instant at, long order, Handler handler, long id, String key, long token) {
            this.at = at;
            this.seconds = at.getEpochSecond();
            this.nanos = at.getNano();
            this.order = order;
            this.handler = handler;
            this.id = id;
            this.key = key;
            this.token = token;
        }

        Handler handler() {
            return handler;
        }

        long id() {
            return id;
        }

        String key() {
            return key;
        }

        long token() {
            return token;
        }
    }

    private static final int IN_LANE = -2;
    /** More kinds than this (none of the engine's parts has as many) go to the heap. */
    private static final int MAX_LANES = 32;

    /** Timers of one handler, each due no earlier than the one before it. */
    private static final class Lane {
        final Handler handler;
        Timer head;
        Timer tail;

        Lane(Handler handler) {
            this.handler = handler;
        }
    }

    private Lane[] lanes = new Lane[0];
    private int inLanes;
    private Timer[] heap = new Timer[64];
    private int size;
    private long order;

    Timer add(Instant at, Handler handler, long id, String key, long token) {
        Timer t = new Timer(at, order++, handler, id, key, token);
        Lane lane = laneOf(handler);
        if (lane != null && (lane.tail == null || !less(t, lane.tail))) {
            t.lane = lane;
            t.index = IN_LANE;
            t.prev = lane.tail;
            if (lane.tail == null) {
                lane.head = t;
            } else {
                lane.tail.next = t;
            }
            lane.tail = t;
            inLanes++;
            return t;
        }
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = t;
        t.index = size;
        size++;
        up(t.index);
        return t;
    }

    private Lane laneOf(Handler handler) {
        for (Lane l : lanes) {
            if (l.handler == handler) {
                return l;
            }
        }
        if (lanes.length == MAX_LANES) {
            return null;
        }
        Lane l = new Lane(handler);
        lanes = Arrays.copyOf(lanes, lanes.length + 1);
        lanes[lanes.length - 1] = l;
        return l;
    }

    /** Removes a timer that has not fired; a null or already fired one is ignored. */
    void cancel(Timer t) {
        if (t == null || t.index == -1) {
            return;
        }
        if (t.index == IN_LANE) {
            unlink(t);
            return;
        }
        int i = t.index;
        t.index = -1;
        size--;
        if (i == size) {
            heap[size] = null;
            return;
        }
        Timer last = heap[size];
        heap[size] = null;
        heap[i] = last;
        last.index = i;
        up(i);
        down(last.index);
    }

    private void unlink(Timer t) {
        Lane lane = t.lane;
        if (t.prev == null) {
            lane.head = t.next;
        } else {
            t.prev.next = t.next;
        }
        if (t.next == null) {
            lane.tail = t.prev;
        } else {
            t.next.prev = t.prev;
        }
        // Unlinked for the collector too: a removed timer still held by its owner keeps no others alive.
        t.prev = null;
        t.next = null;
        t.lane = null;
        t.index = -1;
        inLanes--;
    }

    Timer pollDue(Instant now) {
        Timer first = first();
        if (first == null) {
            return null;
        }
        long s = now.getEpochSecond();
        if (first.seconds > s || (first.seconds == s && first.nanos > now.getNano())) {
            return null;
        }
        cancel(first);
        return first;
    }

    /** The earliest timer: the heap's top or a lane's head. */
    private Timer first() {
        Timer first = size == 0 ? null : heap[0];
        for (Lane l : lanes) {
            if (l.head != null && (first == null || less(l.head, first))) {
                first = l.head;
            }
        }
        return first;
    }

    Instant next() {
        Timer first = first();
        return first == null ? null : first.at;
    }

    int size() {
        return size + inLanes;
    }

    private static boolean less(Timer a, Timer b) {
        if (a.seconds != b.seconds) {
            return a.seconds < b.seconds;
        }
        if (a.nanos != b.nanos) {
            return a.nanos < b.nanos;
        }
        return a.order < b.order;
    }

    private void up(int i) {
        Timer t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Timer p = heap[parent];
            if (!less(t, p)) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = t;
        t.index = i;
    }

    private void down(int i) {
        Timer t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && less(heap[right], heap[child])) {
                child = right;
            }
            if (!less(heap[child], t)) {
                break;
            }
            heap[i] = heap[child];
            heap[i].index = i;
            i = child;
        }
        heap[i] = t;
        t.index = i;
    }
}
