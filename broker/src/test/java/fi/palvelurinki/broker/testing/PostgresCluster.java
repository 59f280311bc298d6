package fi.palvelurinki.broker.testing;

import fi.palvelurinki.broker.journal.ScratchPostgres;
import java.io.IOException;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tests' throw-away PostgreSQL: one {@link ScratchPostgres} per test JVM, started on first use and
 * stopped when the JVM ends. Each test takes its own database ({@link #newDatabase}), so tests share the
 * cost of starting the server, not their data.
 */
public final class PostgresCluster {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresCluster shared;

    private final ScratchPostgres server;

    private PostgresCluster(ScratchPostgres server) {
        this.server = server;
    }

    /** The cluster of this JVM, started on first use. */
    public static synchronized PostgresCluster shared() throws IOException {
        if (shared == null) {
            shared = new PostgresCluster(ScratchPostgres.start("test", 200));
        }
        return shared;
    }

    /** A new empty database; its JDBC URL. */
    public String newDatabase() throws SQLException {
        return server.createDatabase("t" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet());
    }
}
