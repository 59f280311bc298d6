package fi.palvelurinki.signaling.session;

import java.util.function.Consumer;

/**
 * What a session has sent and its client has not yet acknowledged, oldest first, kept for a resume: at most
 * {@code maxMessages} messages and {@link #MAX_BYTES} of their frames' bytes; the oldest go first.
 *
 * <p>One array used as a ring, not an object per message: under a relay's load each session keeps the last
 * seconds of its stream until the client's next ping acknowledges them, and as objects they were the largest live
 * set of the young generation, copied by every young collection (docs/performance.md, issue 20, Round 4). The ring
 * is allocated when the session first keeps something, grows to what it needs, lives while it keeps anything (and
 * so is promoted once instead of its messages being copied again and again), and is let go when everything is
 * acknowledged: an idle session keeps no array. Each record is the message's {@code seq} (8 bytes), its length
 * (4) and its bytes. Not thread-safe: {@link ClientSession} holds its lock.
 */
final class ResumeBuffer {
    /** At most this many bytes of messages per session (a relayed SDP is at most 32 KB; a call's signalling ≈ 20 KB). */
    static final int MAX_BYTES = 256 << 10;
    private static final int HEADER = 12;
    private static final int MIN_CAPACITY = 128;
    private static final byte[] NONE = new byte[0];

    private final int maxMessages;
    private byte[] ring = NONE;
    private int head;
    private int used;
    private int count;

    ResumeBuffer(int maxMessages) {
        this.maxMessages = maxMessages;
    }

    /** Keeps {@code utf8} as message {@code seq} (one more than the last kept); one too large for the ring empties it. */
    void add(long seq, byte[] utf8) {
        int need = HEADER + utf8.length;
        if (need > MAX_BYTES) {
            // Kept or not, a resume from before it would miss it: nothing older is of use either.
            clear();
            return;
        }
        while (count >= maxMessages || used + need > MAX_BYTES) {
            dropOldest();
        }
        if (used + need > ring.length) {
            grow(used + need);
        }
        int tail = (head + used) % ring.length;
        putLong(tail, seq);
        putInt((tail + 8) % ring.length, utf8.length);
        put((tail + HEADER) % ring.length, utf8);
        used += need;
        count++;
    }

    /** The oldest kept message's {@code seq}, or -1 when nothing is kept. */
    long firstSeq() {
        return count == 0 ? -1 : getLong(head);
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Forgets the messages up to {@code lastSeq}; the array goes with the last of them. */
    void acknowledge(long lastSeq) {
        while (count > 0 && getLong(head) <= lastSeq) {
            dropOldest();
        }
        if (count == 0) {
            clear();
        }
    }

    /** Hands {@code to} a copy of each kept message after {@code lastSeq}, oldest first. */
    void forEachAfter(long lastSeq, Consumer<byte[]> to) {
        int at = head;
        for (int i = 0; i < count; i++) {
            long seq = getLong(at);
            int length = getInt((at + 8) % ring.length);
            int from = (at + HEADER) % ring.length;
            if (seq > lastSeq) {
                byte[] copy = new byte[length];
                int first = Math.min(length, ring.length - from);
                System.arraycopy(ring, from, copy, 0, first);
                System.arraycopy(ring, 0, copy, first, length - first);
                to.accept(copy);
            }
            at = (from + length) % ring.length;
        }
    }

    private void dropOldest() {
        int length = getInt((head + 8) % ring.length);
        head = (head + HEADER + length) % ring.length;
        used -= HEADER + length;
        count--;
    }

    private void clear() {
        ring = NONE;
        head = 0;
        used = 0;
        count = 0;
    }

    /** A larger ring (at most {@link #MAX_BYTES}) with the kept records from its start. */
    private void grow(int atLeast) {
        int capacity = Math.max(MIN_CAPACITY, ring.length);
        while (capacity < atLeast) {
            capacity *= 2;
        }
        byte[] bigger = new byte[Math.min(capacity, MAX_BYTES)];
        if (used > 0) {
            int first = Math.min(used, ring.length - head);
            System.arraycopy(ring, head, bigger, 0, first);
            System.arraycopy(ring, 0, bigger, first, used - first);
        }
        ring = bigger;
        head = 0;
    }

    private void put(int at, byte[] src) {
        int first = Math.min(src.length, ring.length - at);
        System.arraycopy(src, 0, ring, at, first);
        System.arraycopy(src, first, ring, 0, src.length - first);
    }

    private void putLong(int at, long v) {
        for (int i = 0; i < 8; i++) {
            ring[(at + i) % ring.length] = (byte) (v >>> (56 - 8 * i));
        }
    }

    private void putInt(int at, int v) {
        for (int i = 0; i < 4; i++) {
            ring[(at + i) % ring.length] = (byte) (v >>> (24 - 8 * i));
        }
    }

    private long getLong(int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (ring[(at + i) % ring.length] & 0xFF);
        }
        return v;
    }

    private int getInt(int at) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (ring[(at + i) % ring.length] & 0xFF);
        }
        return v;
    }
}
