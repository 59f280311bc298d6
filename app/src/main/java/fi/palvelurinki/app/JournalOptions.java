package fi.palvelurinki.app;

import fi.palvelurinki.broker.analytics.AnalysisOptions;
import fi.palvelurinki.broker.journal.JournalSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** Options of the commands that read a journal: where it is, which period, and how to count. */
final class JournalOptions {
    @Option(names = "--data", paramLabel = "DIR",
            description = "Data directory of the broker; its journal is DIR/journal (read only).")
    Path data;

    @Option(names = "--journal-url", paramLabel = "URL",
            description = "Instead of --data: the journal in PostgreSQL (jdbc:postgresql://HOST/DB?user=…), read only.")
    String journalUrl;

    @Option(names = "--from", paramLabel = "TIME",
            description = "Start of the period: 2026-11-01, 2026-11-01T08:00 (Finnish time) or 2026-11-01T06:00Z (default: the journal's start).")
    String from;

    @Option(names = "--to", paramLabel = "TIME",
            description = "End of the period, exclusive; a date includes that whole day (default: the journal's end).")
    String to;

    @Option(names = "--grace", defaultValue = "10s", paramLabel = "DURATION",
            description = "Short-abandon grace: requests given up sooner count in no service level (default ${DEFAULT-VALUE}).")
    Duration grace;

    @Option(names = "--threshold", split = ",", defaultValue = "20s,60s", paramLabel = "DURATION",
            description = "The t of each service level SL(t) reported, comma-separated (default ${DEFAULT-VALUE}).")
    List<Duration> thresholds;

    /** Is a journal named, by --data or --journal-url? */
    boolean given() {
        return data != null || journalUrl != null;
    }

    JournalSource journal() {
        if (journalUrl != null) {
            if (data != null) {
                throw new IllegalArgumentException("give either --data DIR or --journal-url URL, not both");
            }
            if (!journalUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("--journal-url must be a jdbc:postgresql: URL");
            }
            return new JournalSource.Postgres(journalUrl);
        }
        return new JournalSource.Directory(journalDir());
    }

    private Path journalDir() {
        if (data == null) {
            throw new IllegalArgumentException("give the broker's data directory with --data DIR (or --journal-url URL)");
        }
        Path j = data.resolve("journal");
        if (!Files.isDirectory(j)) {
            throw new IllegalArgumentException("no journal in " + j + ": --data must be the broker's data directory");
        }
        return j;
    }

    AnalysisOptions analysis(double target) {
        java.time.Instant start = from == null ? null : Periods.start(from);
        java.time.Instant end = to == null ? null : Periods.end(to);
        if (start != null && end != null && !start.isBefore(end)) {
            // In the times as typed: the instants in UTC are not what anyone wrote.
            throw new IllegalArgumentException("the period is empty: --from " + from + " is not before --to " + to
                    + (to.strip().length() == 10 ? " (which includes that whole day)" : ""));
        }
        return new AnalysisOptions(start, end, grace, thresholds, target);
    }
}
