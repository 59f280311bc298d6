package fi.palvelurinki.broker.journal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;

/** Growable big-endian buffer for journal records. Not thread-safe; one per writer thread. */
final class ByteWriter {
    private byte[] buf;
    private int pos;

    ByteWriter(int initialCapacity) {
        buf = new byte[initialCapacity];
    }

    int position() {
        return pos;
    }

    void position(int p) {
        pos = p;
    }

    byte[] array() {
        return buf;
    }

    void reset() {
        pos = 0;
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }

    void putByte(int b) {
        ensure(1);
        buf[pos++] = (byte) b;
    }

    void putBool(boolean b) {
        putByte(b ? 1 : 0);
    }

    void putInt(int v) {
        ensure(4);
        buf[pos++] = (byte) (v >>> 24);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    void putIntAt(int at, int v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }

    /**
     * Length, then UTF-8. Ids, names and enum constants are nearly always ASCII, which is its own UTF-8: those
     * are copied straight into the buffer. The journal writer's one allocation per string ({@code getBytes})
     * was almost all it allocated, a fifth of the process's young garbage in {@code bench routing}. Anything
     * else goes through the JDK's encoder as before, so the bytes are the same either way.
     */
    void putString(String s) {
        if (s == null) {
            putInt(-1);
            return;
        }
        int n = s.length();
        ensure(4 + n);
        int at = pos + 4;
        boolean ascii = true;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                ascii = false;
                break;
            }
            buf[at + i] = (byte) c;
        }
        if (ascii) {
            putInt(n);
            pos += n;
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        putInt(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    void putInstant(Instant t) {
        putLong(t == null ? Long.MIN_VALUE : t.toEpochMilli());
    }

    void putDuration(Duration d) {
        putLong(d == null ? Long.MIN_VALUE : d.toMillis());
    }

    void putEnum(Enum<?> e) {
        putString(e == null ? null : e.name());
    }

    void putStrings(Collection<String> values) {
        putInt(values.size());
        for (String v : values) {
            putString(v);
        }
    }

    void putEnums(Collection<? extends Enum<?>> values) {
        putInt(values.size());
        for (Enum<?> v : values) {
            putEnum(v);
        }
    }
}
