package fi.palvelurinki.broker.routing;

import java.time.Instant;
import java.util.Arrays;

/**
 * The engine's own timers: a binary heap that knows where each timer sits, so that a timer whose
 * reason has gone (an offer answered, a request ended) is removed at once instead of lingering until
 * it would have fired. Every timer is still checked against the current state when it fires, which
 * keeps replay and live operation identical.
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
        int index = -1;

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

    private Timer[] heap = new Timer[64];
    private int size;
    private long order;

    Timer add(Instant at, Handler handler, long id, String key, long token) {
        Timer t = new Timer(at, order++, handler, id, key, token);
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = t;
        t.index = size;
        size++;
        up(t.index);
        return t;
    }

    /** Removes a timer that has not fired; a null or already fired one is ignored. */
    void cancel(Timer t) {
        if (t == null || t.index < 0) {
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

    Timer pollDue(Instant now) {
        if (size == 0) {
            return null;
        }
        Timer first = heap[0];
        long s = now.getEpochSecond();
        if (first.seconds > s || (first.seconds == s && first.nanos > now.getNano())) {
            return null;
        }
        cancel(first);
        return first;
    }

    Instant next() {
        return size == 0 ? null : heap[0].at;
    }

    int size() {
        return size;
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
