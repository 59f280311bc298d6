package fi.palvelurinki.broker.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * Active requests and calls by id: a map from {@code long} to an object, open addressing with linear probing.
 *
 * <p>Why not a {@code HashMap<Long, V>}: every request and every call was a boxed key and a map node made on
 * the broker thread and dropped a moment later, and each look-up compared through the boxed key: in a
 * profile of {@code bench routing --rate 55000}, {@code Long.equals} alone was 7.5 % of the broker thread's
 * samples, and the boxes and nodes about a tenth of what it allocated. Here nothing is allocated per entry.
 *
 * <p>Ids are handed out in sequence, so the key is scrambled (Fibonacci hashing) before it picks a place:
 * the ids in use are mostly a run of neighbours, which direct placement would store as one long cluster
 * that a newer id wrapping around the table lands in. Removal shifts the entries after it back (no
 * tombstones), so a look-up never walks past more than the entries that share its cluster.
 */
final class LongMap<V> {
    private static final long PHI = 0x9E3779B97F4A7C15L;
    private long[] keys;
    private Object[] values;
    private int shift;
    private int size;

    LongMap() {
        allocate(64);
    }

    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    V get(long key) {
        int mask = keys.length - 1;
        for (int i = place(key); ; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null) {
                return null;
            }
            if (keys[i] == key) {
                return (V) v;
            }
        }
    }

    boolean containsKey(long key) {
        return get(key) != null;
    }

    /** Maps {@code key} to {@code value} (not null); returns the value it replaced, or null. */
    V put(long key, V value) {
        return put(key, value, true);
    }

    /** Maps {@code key} to {@code value} unless it is mapped already; returns the value it has, or null. */
    V putIfAbsent(long key, V value) {
        return put(key, value, false);
    }

    @SuppressWarnings("unchecked")
    private V put(long key, V value, boolean replace) {
        if (value == null) {
            throw new NullPointerException("value");
        }
        int mask = keys.length - 1;
        int i = place(key);
        for (; values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                V before = (V) values[i];
                if (replace) {
                    values[i] = value;
                }
                return before;
            }
        }
        keys[i] = key;
        values[i] = value;
        if (++size > keys.length >>> 1) {
            rehash(keys.length << 1);
        }
        return null;
    }

    /** Removes the mapping of {@code key}; returns its value, or null if there was none. */
    @SuppressWarnings("unchecked")
    V remove(long key) {
        int mask = keys.length - 1;
        int i = place(key);
        for (; values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                V before = (V) values[i];
                closeGap(i, mask);
                size--;
                return before;
            }
        }
        return null;
    }

    /** The values, in no particular order, as a list of their own (changing the map does not change it). */
    @SuppressWarnings("unchecked")
    List<V> values() {
        List<V> out = new ArrayList<>(size);
        for (Object v : values) {
            if (v != null) {
                out.add((V) v);
            }
        }
        return out;
    }

    private int place(long key) {
        return (int) ((key * PHI) >>> shift);
    }

    /**
     * Empties slot {@code gap}, moving back each later entry of its cluster whose own place is not between
     * the gap and where it sits (it would otherwise become unreachable from its place).
     */
    private void closeGap(int gap, int mask) {
        for (int i = (gap + 1) & mask; values[i] != null; i = (i + 1) & mask) {
            int home = place(keys[i]);
            boolean reachableWithoutGap = gap <= i ? gap < home && home <= i : gap < home || home <= i;
            if (!reachableWithoutGap) {
                keys[gap] = keys[i];
                values[gap] = values[i];
                gap = i;
            }
        }
        values[gap] = null;
        keys[gap] = 0;
    }

    private void rehash(int capacity) {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        allocate(capacity);
        int mask = capacity - 1;
        for (int j = 0; j < oldValues.length; j++) {
            if (oldValues[j] != null) {
                int i = place(oldKeys[j]);
                while (values[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        values = new Object[capacity];
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
    }
}
