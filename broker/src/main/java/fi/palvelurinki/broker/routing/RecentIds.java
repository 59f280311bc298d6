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
    /**
     * Index by hash of id, linear probing, at most half full: pairs of (id, slot + 1), slot + 1 = 0 when
     * free. The id sits beside its slot so that a probe reads one place, not the table and then {@link #ids}.
     */
    private long[] table = new long[2 * 32];
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
        int p = find(id);
        return p < 0 ? -1 : (int) table[p + 1] - 1;
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
                rehash(2 * table.length);
            }
            slot = size++;
        } else {
            slot = head;
            head = head + 1 == capacity ? 0 : head + 1;
            unindex(find(ids[slot]));
        }
        ids[slot] = id;
        index(id, slot);
        return slot;
    }

    /** The pair's position of {@code id} in the table, or -1. */
    private int find(long id) {
        int mask = table.length - 1;
        for (int p = home(id); table[p + 1] != 0; p = (p + 2) & mask) {
            if (table[p] == id) {
                return p;
            }
        }
        return -1;
    }

    /** The first pair's position of {@code id}'s probe run. */
    private int home(long id) {
        return (int) ((id * 0x9E3779B97F4A7C15L) >>> shift) << 1;
    }

    private void index(long id, int slot) {
        int mask = table.length - 1;
        int p = home(id);
        while (table[p + 1] != 0) {
            p = (p + 2) & mask;
        }
        table[p] = id;
        table[p + 1] = slot + 1;
    }

    /** Frees the pair at {@code hole}, moving later pairs of its probe run back (no tombstones). */
    private void unindex(int hole) {
        int mask = table.length - 1;
        int p = hole;
        while (true) {
            p = (p + 2) & mask;
            if (table[p + 1] == 0) {
                break;
            }
            int k = home(table[p]);
            // The pair at p may move to the hole only if its home is not cyclically within (hole, p].
            boolean stays = hole <= p ? (hole < k && k <= p) : (hole < k || k <= p);
            if (!stays) {
                table[hole] = table[p];
                table[hole + 1] = table[p + 1];
                hole = p;
            }
        }
        table[hole] = 0;
        table[hole + 1] = 0;
    }

    private void rehash(int length) {
        table = new long[length];
        shift = 64 - Integer.numberOfTrailingZeros(length / 2);
        for (int s = 0; s < size; s++) {
            index(ids[s], s);
        }
    }
}
