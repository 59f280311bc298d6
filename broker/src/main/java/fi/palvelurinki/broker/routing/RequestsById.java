package fi.palvelurinki.broker.routing;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Active requests in order of id (oldest first), as a sorted ring buffer: an advisor's requests, a
 * ring's own. Request ids only grow, so a new one is appended, and requests mostly end near the oldest
 * end (answered in order), which is the cheap end here too; a removal elsewhere moves the shorter side.
 * A {@code TreeMap} did the same with a node and a boxed key per request and a walk down the tree on
 * every change; that was the biggest single cost of queueing a request in profiles of
 * {@code bench routing}. Finding by id is a binary search.
 */
final class RequestsById implements Iterable<RequestState> {
    private RequestState[] items = new RequestState[4];
    private int head;
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The one with the smallest id. */
    RequestState first() {
        if (size == 0) {
            throw new NoSuchElementException();
        }
        return items[head];
    }

    RequestState get(int i) {
        return items[(head + i) & (items.length - 1)];
    }

    /** Adds {@code r} unless a request with its id is here already. */
    boolean add(RequestState r) {
        if (size == 0 || get(size - 1).id < r.id) {
            grow();
            items[(head + size) & (items.length - 1)] = r;
            size++;
            return true;
        }
        int i = search(r.id);
        if (i >= 0) {
            return false;
        }
        insertAt(-i - 1, r);
        return true;
    }

    /** Removes the request with {@code r}'s id, if here. */
    boolean remove(RequestState r) {
        int i = search(r.id);
        if (i < 0) {
            return false;
        }
        removeAt(i);
        return true;
    }

    /** The index of the first request with an id greater than {@code id}. */
    int indexAfter(long id) {
        int i = search(id);
        return i >= 0 ? i + 1 : -i - 1;
    }

    List<RequestState> toList() {
        List<RequestState> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(get(i));
        }
        return out;
    }

    @Override
    public Iterator<RequestState> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public RequestState next() {
                if (next >= size) {
                    throw new NoSuchElementException();
                }
                return get(next++);
            }
        };
    }

    /** As {@link java.util.Arrays#binarySearch}: the index, or -(insertion point) - 1. */
    private int search(long id) {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long m = get(mid).id;
            if (m < id) {
                lo = mid + 1;
            } else if (m > id) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -lo - 1;
    }

    private void set(int i, RequestState r) {
        items[(head + i) & (items.length - 1)] = r;
    }

    private void insertAt(int i, RequestState r) {
        grow();
        if (i < size / 2) {
            head = (head - 1) & (items.length - 1);
            for (int k = 0; k < i; k++) {
                set(k, get(k + 1));
            }
        } else {
            for (int k = size; k > i; k--) {
                set(k, get(k - 1));
            }
        }
        set(i, r);
        size++;
    }

    private void removeAt(int i) {
        if (i < size / 2) {
            for (int k = i; k > 0; k--) {
                set(k, get(k - 1));
            }
            set(0, null);
            head = (head + 1) & (items.length - 1);
        } else {
            for (int k = i; k < size - 1; k++) {
                set(k, get(k + 1));
            }
            set(size - 1, null);
        }
        size--;
        if (size == 0) {
            head = 0;
        }
    }

    /** Room for one more; the capacity stays a power of two for the index arithmetic. */
    private void grow() {
        if (size < items.length) {
            return;
        }
        RequestState[] bigger = new RequestState[items.length * 2];
        for (int i = 0; i < size; i++) {
            bigger[i] = get(i);
        }
        items = bigger;
        head = 0;
    }
}
