package fi.palvelurinki.loadtest.routing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The share of CPU time the hypervisor gave to other virtual machines (Linux's "steal", from
 * {@code /proc/stat}) between two readings. On a shared virtual machine a few percent of steal makes a
 * decision-latency tail several times longer than on the same machine undisturbed, so the benchmark
 * prints it beside its figures: a run with steal measured the neighbours, not the broker.
 */
final class CpuSteal {
    private static final Path STAT = Path.of("/proc/stat");

    /** Cumulative CPU time (all states) and steal, in clock ticks; null where {@code /proc/stat} is absent. */
    record Reading(long total, long steal) {}

    static Reading read() {
        try {
            List<String> lines = Files.readAllLines(STAT);
            return lines.isEmpty() ? null : parse(lines.get(0));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Parses the aggregate line: {@code cpu user nice system idle iowait irq softirq steal ...}. */
    static Reading parse(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        if (f.length < 9 || !f[0].equals("cpu")) {
            return null;
        }
        long total = 0;
        // Guest time (fields 9 and 10) is already counted in user and nice.
        for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
            total += Long.parseLong(f[i]);
        }
        return new Reading(total, Long.parseLong(f[8]));
    }

    /** Steal as a share of all CPU time between the readings, or NaN if either is missing. */
    static double share(Reading before, Reading after) {
        if (before == null || after == null || after.total() <= before.total()) {
            return Double.NaN;
        }
        return (double) (after.steal() - before.steal()) / (after.total() - before.total());
    }
}
