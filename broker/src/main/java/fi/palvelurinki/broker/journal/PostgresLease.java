package fi.palvelurinki.broker.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The one row that says which node writes the journal in PostgreSQL: its epoch, who holds it, where
 * clients reach that node, and until when (the database's clock, so the nodes' clocks do not matter).
 * A node takes the lease only when it has expired, which raises the epoch; every write transaction checks
 * the epoch under a share lock ({@link PostgresJournal}), so once a standby has taken over, an old active
 * that was paused or cut off can commit nothing more.
 */
public final class PostgresLease {
    static final String TABLE = "palvelurinki_lease";

    /** The lease as the database has it; {@code expired} by the database's clock. */
    public record State(long epoch, String holder, String url, boolean expired) {}

    private PostgresLease() {}

    static void createTable(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id smallint PRIMARY KEY CHECK (id = 1),"
                    + " epoch bigint NOT NULL, holder text NOT NULL, url text, expires_at timestamptz NOT NULL)");
        }
    }

    /** Takes the lease if it is free or expired: the new epoch, or -1 when another node holds it. */
    static long tryAcquire(Connection c, String holder, String url, Duration ttl) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + TABLE + " AS l (id, epoch, holder, url, expires_at)"
                + " VALUES (1, 1, ?, ?, now() + make_interval(secs => ?))"
                + " ON CONFLICT (id) DO UPDATE SET epoch = l.epoch + 1, holder = EXCLUDED.holder, url = EXCLUDED.url,"
                + " expires_at = EXCLUDED.expires_at WHERE l.expires_at <= now() RETURNING epoch")) {
            p.setString(1, holder);
            p.setString(2, url);
            p.setDouble(3, ttl.toMillis() / 1000.0);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getLong(1) : -1;
            }
        }
    }

    /** Extends the lease held in {@code epoch}; false when it is no longer ours (another node took over). */
    static boolean renew(Connection c, long epoch, Duration ttl) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE " + TABLE
                + " SET expires_at = now() + make_interval(secs => ?) WHERE id = 1 AND epoch = ?")) {
            p.setDouble(1, ttl.toMillis() / 1000.0);
            p.setLong(2, epoch);
            return p.executeUpdate() == 1;
        }
    }

    /** Lets the lease go at once (a clean stop): a standby need not wait for it to expire. */
    static void release(Connection c, long epoch) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE " + TABLE
                + " SET expires_at = now() WHERE id = 1 AND epoch = ?")) {
            p.setLong(1, epoch);
            p.executeUpdate();
        }
    }

    /** The lease now, or null when no node has ever held it. */
    public static State read(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT epoch, holder, url, expires_at <= now() FROM " + TABLE
                        + " WHERE id = 1")) {
            return r.next() ? new State(r.getLong(1), r.getString(2), r.getString(3), r.getBoolean(4)) : null;
        }
    }
}
