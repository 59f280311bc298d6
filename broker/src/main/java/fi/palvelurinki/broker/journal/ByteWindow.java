package fi.palvelurinki.broker.journal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A buffered, positioned view of a file up to the size it had when opened: reads go through one large
 * buffer, so walking records costs a syscall per megabyte, yet any offset can be looked at again (which
 * the damage checks need). Positional reads never move a channel shared with a writer.
 */
final class ByteWindow {
    private final FileChannel channel;
    private final long size;
    private byte[] buf;
    private long base;
    private int length;

    ByteWindow(FileChannel channel, long size) {
        this.channel = channel;
        this.size = size;
        this.buf = new byte[1 << 20];
    }

    byte[] array() {
        return buf;
    }

    /** Makes bytes {@code [pos, pos + n)} readable in {@link #array()}; returns the index of {@code pos} there. */
    int fill(long pos, int n) throws IOException {
        if (pos < 0 || n < 0 || pos + n > size) {
            throw new IllegalArgumentException("bytes " + pos + "+" + n + " are outside the file's " + size);
        }
        if (pos >= base && pos + n <= base + length) {
            return (int) (pos - base);
        }
        if (n > buf.length) {
            buf = new byte[Math.max(n, buf.length * 2)];
        }
        base = pos;
        length = 0;
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, (int) Math.min(buf.length, size - pos));
        while (bb.hasRemaining()) {
            if (channel.read(bb, pos + bb.position()) < 0) {
                throw new EOFException("the file became shorter while being read");
            }
        }
        length = bb.position();
        return 0;
    }

    int intAt(long pos) throws IOException {
        int i = fill(pos, 4);
        return ((buf[i] & 0xff) << 24) | ((buf[i + 1] & 0xff) << 16) | ((buf[i + 2] & 0xff) << 8) | (buf[i + 3] & 0xff);
    }

    long longAt(long pos) throws IOException {
        return ((long) intAt(pos) << 32) | (intAt(pos + 4) & 0xffffffffL);
    }

    int byteAt(long pos) throws IOException {
        return buf[fill(pos, 1)] & 0xff;
    }

    /** Every byte from {@code from} to the end is zero. */
    boolean zeroFrom(long from) throws IOException {
        for (long p = from; p < size; ) {
            int n = (int) Math.min(size - p, 1 << 16);
            int i = fill(p, n);
            for (int k = 0; k < n; k++) {
                if (buf[i + k] != 0) {
                    return false;
                }
            }
            p += n;
        }
        return true;
    }
}
