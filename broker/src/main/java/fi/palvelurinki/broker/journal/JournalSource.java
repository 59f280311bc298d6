package fi.palvelurinki.broker.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A journal to read, whichever backend holds it: a directory of segments or a PostgreSQL database. The
 * reports, the History view and {@code simulate --data} read through this, never writing, and are safe
 * while a server writes.
 */
public sealed interface JournalSource {
    /** A {@code jdbc:postgresql:} URL, or a journal directory. */
    static JournalSource of(String where) {
        if (where.startsWith("jdbc:")) {
            return new Postgres(where);
        }
        return new Directory(Path.of(where));
    }

    /** Reads every intact event in order, going on past damage (files) as {@link JournalReader#readAround} does. */
    JournalReader.Outcome readAround(Consumer<JournalEntry> consumer, JournalReader.Progress progress) throws IOException;

    /** Grows with every event written (bytes of the segments, or the last number): keys caches of analyses. */
    long size();

    /** For messages; a URL without its password. */
    String describe();

    /** The file journal in {@code dir} ({@code DATA/journal}). */
    record Directory(Path dir) implements JournalSource {
        @Override
        public JournalReader.Outcome readAround(Consumer<JournalEntry> consumer, JournalReader.Progress progress)
                throws IOException {
            return JournalReader.readAround(dir, consumer, progress);
        }

        @Override
        public long size() {
            try (Stream<Path> files = Files.list(dir)) {
                long sum = 0;
                for (Path p : (Iterable<Path>) files::iterator) {
                    if (p.getFileName().toString().endsWith(".journal")) {
                        sum += Files.size(p);
                    }
                }
                return sum;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String describe() {
            return dir.toString();
        }
    }

    /**
     * The journal in PostgreSQL. There is nothing to read around: the database hands over committed rows
     * whole, and a gap or an undecodable event stops the reading with the seq named.
     */
    record Postgres(String url) implements JournalSource {
        @Override
        public JournalReader.Outcome readAround(Consumer<JournalEntry> consumer, JournalReader.Progress progress)
                throws IOException {
            try (Connection c = PostgresJournal.connect(url)) {
                long total = PostgresJournal.lastSeq(c);
                long last = PostgresJournal.readFrom(c, 0, consumer, describe(), progress, total);
                return new JournalReader.Outcome(last, last, null, 2, null, List.of());
            } catch (SQLException e) {
                throw new IOException("the journal " + describe() + " cannot be read: " + e.getMessage(), e);
            }
        }

        @Override
        public long size() {
            try (Connection c = PostgresJournal.connect(url)) {
                return PostgresJournal.lastSeq(c);
            } catch (SQLException e) {
                throw new UncheckedIOException(new IOException(e.getMessage(), e));
            }
        }

        @Override
        public String describe() {
            return PostgresJournal.redact(url);
        }
    }
}
