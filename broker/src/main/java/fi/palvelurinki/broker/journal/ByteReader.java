package fi.palvelurinki.broker.journal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Reads what {@link ByteWriter} wrote; every overrun or bad value is a {@link JournalFormatException}. */
final class ByteReader {
    private final byte[] buf;
    private int pos;
    private final int end;

    ByteReader(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    boolean atEnd() {
        return pos == end;
    }

    private void need(int n) {
        if (n < 0 || pos + n > end) {
            throw new JournalFormatException("record ends early (need " + n + " bytes at " + pos + ", record ends at " + end + ")");
        }
    }

    int getByte() {
        need(1);
        return buf[pos++] & 0xff;
    }

    boolean getBool() {
        int b = getByte();
        if (b > 1) {
            throw new JournalFormatException("bad boolean " + b);
        }
        return b == 1;
    }

    int getInt() {
        need(4);
        int v = ((buf[pos] & 0xff) << 24) | ((buf[pos + 1] & 0xff) << 16) | ((buf[pos + 2] & 0xff) << 8) | (buf[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    long getLong() {
        long hi = getInt() & 0xffffffffL;
        long lo = getInt() & 0xffffffffL;
        return (hi << 32) | lo;
    }

    String getString() {
        int n = getInt();
        if (n == -1) {
            return null;
        }
        need(n);
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    Instant getInstant() {
        long v = getLong();
        return v == Long.MIN_VALUE ? null : Instant.ofEpochMilli(v);
    }

    Duration getDuration() {
        long v = getLong();
        return v == Long.MIN_VALUE ? null : Duration.ofMillis(v);
    }

    <E extends Enum<E>> E getEnum(Class<E> type) {
        String name = getString();
        if (name == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new JournalFormatException("unknown " + type.getSimpleName() + " '" + name + "'");
        }
    }

    Set<String> getStringSet() {
        int n = count();
        Set<String> out = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            out.add(getString());
        }
        return out;
    }

    <E extends Enum<E>> Set<E> getEnumSet(Class<E> type) {
        int n = count();
        Set<E> out = EnumSet.noneOf(type);
        for (int i = 0; i < n; i++) {
            out.add(getEnum(type));
        }
        return out;
    }

    List<String> getStringList() {
        int n = count();
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(getString());
        }
        return out;
    }

    private int count() {
        int n = getInt();
        if (n < 0 || n > end - pos) {
            throw new JournalFormatException("bad element count " + n);
        }
        return n;
    }
}
