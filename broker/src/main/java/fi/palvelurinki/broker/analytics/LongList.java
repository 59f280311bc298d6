package fi.palvelurinki.broker.analytics;

import java.util.Arrays;

/** A growable list of primitive longs: a year of waits is millions of samples, boxed they would be ten times larger. */
final class LongList {
    private long[] values = new long[16];
    private int size;
    private boolean sorted = true;

    void add(long v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        if (size > 0 && v < values[size - 1]) {
            sorted = false;
        }
        values[size++] = v;
    }

    int size() {
        return size;
    }

    long sum() {
        long s = 0;
        for (int i = 0; i < size; i++) {
            s += values[i];
        }
        return s;
    }

    /** How many values are at most {@code limit}. */
    int countAtMost(long limit) {
        sort();
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (values[mid] <= limit) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Nearest-rank percentile: the smallest value with at least {@code p} of the values at or below it
     * (so p99 of 100 samples is the 99th smallest, and every percentile is a wait someone really had).
     */
    long percentile(double p) {
        if (size == 0) {
            throw new IllegalStateException("no values");
        }
        sort();
        int rank = (int) Math.ceil(p * size);
        return values[Math.max(0, Math.min(size, rank) - 1)];
    }

    long max() {
        return percentile(1);
    }

    private void sort() {
        if (!sorted) {
            Arrays.sort(values, 0, size);
            sorted = true;
        }
    }
}
