package fi.palvelurinki.app;

import fi.palvelurinki.broker.journal.JournalCopy;
import fi.palvelurinki.broker.journal.JournalCorruptedException;
import fi.palvelurinki.broker.journal.JournalDamage;
import fi.palvelurinki.broker.journal.JournalLockedException;
import fi.palvelurinki.broker.journal.JournalRepair;
import fi.palvelurinki.broker.journal.PostgresJournal;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code journal check} and {@code journal repair}: the operator's tools for a damaged journal (docs/journal.md). */
@Command(name = "journal", mixinStandardHelpOptions = true,
        header = "Checks, repairs, and copies the journal to or from PostgreSQL.",
        description = "check reads DIR/journal (never writing, also while a server runs) and says what is damaged and what"
                + " a repair would drop. repair (only while no server runs) moves everything from the first damaged group"
                + " on into DIR/journal-damaged/<time>/, deleting nothing, and names the sequence numbers dropped."
                + " copy moves a file journal into PostgreSQL or back, verified record by record.",
        subcommands = {JournalCommand.Check.class, JournalCommand.Repair.class, JournalCommand.Copy.class})
final class JournalCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Exit status of check when the server would not start on the journal. */
    static final int DAMAGED = 1;

    @Command(name = "check", mixinStandardHelpOptions = true,
            header = "Says what in the journal cannot be read and what a repair would drop.",
            description = "Reads DIR/journal, never writing (also while a server runs), and reports each part that"
                    + " cannot be read. Exit status 0 when the server starts on it (an unfinished last write is cut at"
                    + " start), 1 when damage stops it.")
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--data", required = true, paramLabel = "DIR", description = "The broker's data directory.")
        Path data;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            Path dir = journalDir(data, spec);
            JournalRepair.Examination x;
            try {
                x = JournalRepair.examine(dir);
            } catch (JournalCorruptedException e) {
                spec.commandLine().getErr().println("journal check: " + e.getMessage());
                return DAMAGED;
            }
            out.printf(Locale.ROOT, "journal check: %s: %s; %,d events read, the last seq %,d%n", dir, files(dir),
                    x.read().records(), x.read().lastSeq());
            for (JournalDamage d : x.read().damage()) {
                out.println("journal check: damaged: " + d.describe());
            }
            if (x.read().torn() != null) {
                out.println("journal check: note: " + x.read().torn().describe()
                        + "; the server cuts it at start (while a server runs, it can be a write in progress)");
            }
            if (x.sound()) {
                out.println("journal check: sound: the server starts on it");
                return 0;
            }
            out.println("journal check: the server does not start on it: `palvelurinki journal repair --data " + data
                    + "` would move aside " + x.droppedSeqs() + ": " + dropped(x));
            return DAMAGED;
        }
    }

    @Command(name = "repair", mixinStandardHelpOptions = true,
            header = "Moves the damaged part of the journal aside, naming the sequence numbers dropped.",
            description = "Moves everything from the first damaged group of DIR/journal on into"
                    + " DIR/journal-damaged/<time>/ (nothing is deleted) and names the sequence numbers dropped."
                    + " Refused while a server (or another repair) holds the journal.")
    static final class Repair implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--data", required = true, paramLabel = "DIR", description = "The broker's data directory.")
        Path data;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Path dir = journalDir(data, spec);
            JournalRepair.Result r;
            try {
                r = JournalRepair.repair(dir, InstantSource.system());
            } catch (JournalLockedException | JournalCorruptedException e) {
                err.println("journal repair: " + e.getMessage());
                return 1;
            }
            if (r == null) {
                out.println("journal repair: " + dir + " has no damage: nothing to repair");
                return 0;
            }
            JournalRepair.Examination x = r.examination();
            out.println("journal repair: damage at " + x.damage().where());
            out.println("journal repair: moved aside to " + r.aside() + " (nothing deleted):");
            for (String m : r.moved()) {
                out.println("journal repair:   " + m);
            }
            out.println("journal repair: dropped " + x.droppedSeqs() + ": " + dropped(x));
            out.printf(Locale.ROOT, "journal repair: the journal now ends at seq %,d; the server starts on it%n", r.lastSeq());
            return 0;
        }
    }

    @Command(name = "copy", mixinStandardHelpOptions = true,
            header = "Copies the journal between DIR/journal and PostgreSQL, verified record by record.",
            description = "With --to URL: DIR/journal into an empty PostgreSQL journal (journal.backend: postgresql)."
                    + " With --from URL: a PostgreSQL journal into an empty DIR/journal. Only while no server writes"
                    + " either (the directory's lock and the database's lease are held throughout). Both are read"
                    + " again afterwards and compared record by record; the first difference is named.")
    static final class Copy implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--data", required = true, paramLabel = "DIR", description = "The broker's data directory.")
        Path data;

        @Option(names = "--to", paramLabel = "URL", description = "Copy DIR/journal into this jdbc:postgresql: URL.")
        String to;

        @Option(names = "--from", paramLabel = "URL", description = "Copy from this jdbc:postgresql: URL into DIR/journal.")
        String from;

        @Override
        public Integer call() throws IOException {
            if ((to == null) == (from == null)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give one of --to URL or --from URL");
            }
            String url = to != null ? to : from;
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "the URL must be a jdbc:postgresql:"
                        + " URL, got " + PostgresJournal.redact(url));
            }
            String holder = "journal copy/" + ProcessHandle.current().pid();
            JournalCopy.Result r;
            try {
                if (to != null) {
                    Path dir = journalDir(data, spec);
                    r = JournalCopy.fileToPostgres(dir, to, holder, InstantSource.system());
                    spec.commandLine().getOut().printf(Locale.ROOT, "journal copy: %,d events copied from %s to %s and"
                            + " verified record by record%n", r.events(), dir, PostgresJournal.redact(to));
                } else {
                    Path dir = data.resolve("journal").toAbsolutePath().normalize();
                    r = JournalCopy.postgresToFile(from, dir, holder, InstantSource.system());
                    spec.commandLine().getOut().printf(Locale.ROOT, "journal copy: %,d events copied from %s to %s and"
                            + " verified record by record%n", r.events(), PostgresJournal.redact(from), dir);
                }
            } catch (IOException e) {
                spec.commandLine().getErr().println("journal copy: " + e.getMessage());
                return 1;
            }
            return 0;
        }
    }

    /** "25 intact events after the damage (20 RequestQueued, 5 OfferMade) and unreadable seq 122–125 (4 events)". */
    static String dropped(JournalRepair.Examination x) {
        String intact = String.format(Locale.ROOT, "%,d intact event%s after the damage", x.droppedIntact(),
                x.droppedIntact() == 1 ? "" : "s");
        if (!x.dropped().isEmpty()) {
            intact += x.dropped().entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                    .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ", " (", ")"));
        }
        List<String> unread = x.unreadable().stream().map(JournalDamage::seqs).toList();
        return intact + (unread.isEmpty() ? "" : " and unreadable " + String.join(", ", unread));
    }

    private static Path journalDir(Path data, CommandSpec spec) {
        Path j = data.resolve("journal").toAbsolutePath().normalize();
        if (!Files.isDirectory(j)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "no journal in " + j
                    + ": --data must be the broker's data directory");
        }
        return j;
    }

    private static String files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> segments = s.filter(p -> p.getFileName().toString().endsWith(".journal")).toList();
            long bytes = 0;
            for (Path p : segments) {
                bytes += Files.size(p);
            }
            return String.format(Locale.ROOT, "%d segment%s, %,d bytes", segments.size(), segments.size() == 1 ? "" : "s",
                    bytes);
        }
    }
}
