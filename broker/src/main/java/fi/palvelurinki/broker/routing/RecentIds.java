package fi.palvelurinki.broker.routing;

import java.util.Arrays;

/**
 * The last {@code capacity} ids remembered (of ended requests, of ended calls), the oldest forgotten first,
 * each with a slot number for its owner's arrays of what is remembered about it.
 *
 * <p>Why not a {@code LinkedHashMap} with {@code removeEldestEntry}, as before: at {@code bench routing}'s
 * rates an entry lives about two seconds (100,000 remembered), long enough to survive one or two young
 * collections, so every collection copied a few hundred thousand map entries, boxed ids and value objects —
 * most of each pause's work, and the pauses set the decision latency's tail. Here nothing is allocated per
 * id: a ring buffer of ids, whose positions are the slots, and an open-addressing index of slots by id.
 */
final class RecentIds {
    private final int capacity;
    /** Ids by slot; slot {@code (head + i) % capacity} is the i-th oldest once full. */
    private long[] ids = new long[16];
    private int size;
    /** The oldest slot, once {@code size == capacity}; until then slots fill from 0. */
    private int head;
    /** Index: slot + 1 by hash of id (linear probing), 0 = free. At most half full. */
    private int[] table = new int[32];
    private int shift = 64 - 5;

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
        int mask = table.length - 1;
        for (int i = home(id); ; i = (i + 1) & mask) {
            int s = table[i];
            if (s == 0) {
                return -1;
            }
            if (ids[s - 1] == id) {
                return s - 1;
            }
        }
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
            if (2 * (size + 1) > table.length) {
                rehash(table.length * 2);
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

    private int home(long id) {
        return (int) ((id * 0x9E3779B97F4A7C15L) >>> shift);
    }

    private void index(long id, int slot) {
        int mask = table.length - 1;
        int i = home(id);
        while (table[i] != 0) {
            i = (i + 1) & mask;
        }
        table[i] = slot + 1;
    }

    /** Removes {@code id}'s index entry, moving later entries of its probe run back (no tombstones). */
    private void unindex(long id) {
        int mask = table.length - 1;
        int i = home(id);
        while (ids[table[i] - 1] != id) {
            i = (i + 1) & mask;
        }
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            int s = table[j];
            if (s == 0) {
                break;
            }
            int k = home(ids[s - 1]);
            // The entry at j may move to the hole at i only if its home is not cyclically within (i, j].
            boolean stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
            if (!stays) {
                table[i] = s;
                i = j;
            }
        }
        table[i] = 0;
    }

    private void rehash(int length) {
        table = new int[length];
        shift = 64 - Integer.numberOfTrailingZeros(length);
        for (int s = 0; s < size; s++) {
            index(ids[s], s);
        }
    }
}
