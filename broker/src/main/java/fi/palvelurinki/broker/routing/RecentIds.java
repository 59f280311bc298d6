package fi.palvelurinki.broker.routing;

import java.util.Arrays;
import java.util.HashMap;

/**
 * The last {@code capacity} ids remembered (of ended requests, of ended calls), the oldest forgotten first,
 * each with a slot number for its owner's arrays of what is remembered about it.
 *
 * <p>Why not a {@code LinkedHashMap} with {@code removeEldestEntry}, as before: at {@code bench routing}'s
 * rates an entry lives about two seconds (100,000 remembered), long enough to survive one or two young
 * collections, so every collection copied a few hundred thousand map entries, boxed ids and value objects —
 * most of each pause's work, and the pauses set the decision latency's tail. Here nothing is allocated per
 * id: a ring buffer of ids, whose positions are the slots, and an index of slots by id.
 *
 * <p>The index is direct-mapped: an id's place is its low bits. Ids are handed out in sequence and mostly end
 * in the order they began, so the ids remembered at any moment are a range not much wider than their number,
 * and with at least twice as many places they seldom collide; consecutive ids sit side by side, as in a
 * {@code HashMap} of {@code Long}s, which keeps the index in cache. (A scrambling hash with linear probing was
 * tried first: every access missed the cache, twice as slow as the map.) An id whose place is taken — one
 * that ended long after its neighbours — is kept in a small map beside.
 */
final class RecentIds {
    private final int capacity;
    /** Ids by slot; slot {@code (head + i) % capacity} is the i-th oldest once full. */
    private long[] ids = new long[16];
    private int size;
    /** The oldest slot, once {@code size == capacity}; until then slots fill from 0. */
    private int head;
    /** Pairs (id, slot + 1) at the id's place, slot + 1 = 0 when the place is free. */
    private long[] table = new long[2 * 32];
    /** Ids whose place was taken when they came, with their slots. */
    private final HashMap<Long, Integer> elsewhere = new HashMap<>();

    RecentIds(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    int size() {
        return size;
    }

    /** How long the owner's arrays by slot must be to hold every slot used so far. */
    int slots() {
        return ids.length;
    }

    /** The slot of {@code id}, or -1 if it is not (or no longer) remembered. */
    int slotOf(long id) {
        int p = place(id);
        if (table[p + 1] != 0 && table[p] == id) {
            return (int) table[p + 1] - 1;
        }
        if (elsewhere.isEmpty()) {
            return -1;
        }
        Integer s = elsewhere.get(id);
        return s == null ? -1 : s;
    }

    /**
     * Remembers {@code id} as the newest, forgetting the oldest when full, and returns its slot (the
     * forgotten one's, then: the owner overwrites what it kept there). An id remembered already keeps its
     * slot and its place in the order, as a {@code LinkedHashMap} in insertion order keeps a key put again.
     */
    int add(long id) {
        int existing = slotOf(id);
        if (existing >= 0) {
            return existing;
        }
        int slot;
        if (size < capacity) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, (int) Math.min(capacity, 2L * ids.length));
            }
            if (4 * (size + 1) > table.length) {
                reindex(2 * table.length);
            }
            slot = size++;
        } else {
            slot = head;
            head = head + 1 == capacity ? 0 : head + 1;
            unindex(ids[slot]);
        }
        ids[slot] = id;
        index(id, slot);
        return slot;
    }

    private int place(long id) {
        return ((int) id & ((table.length >>> 1) - 1)) << 1;
    }

    private void index(long id, int slot) {
        int p = place(id);
        if (table[p + 1] == 0) {
            table[p] = id;
            table[p + 1] = slot + 1;
        } else {
            elsewhere.put(id, slot);
        }
    }

    private void unindex(long id) {
        int p = place(id);
        if (table[p + 1] != 0 && table[p] == id) {
            table[p] = 0;
            table[p + 1] = 0;
        } else {
            elsewhere.remove(id);
        }
    }

    private void reindex(int length) {
        table = new long[length];
        elsewhere.clear();
        for (int s = 0; s < size; s++) {
            index(ids[s], s);
        }
    }
}
