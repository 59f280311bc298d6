package fi.palvelurinki.broker.journal;

import fi.palvelurinki.broker.BrokerMetrics;
import fi.palvelurinki.broker.journal.WriterHandoff.Batch;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The journal in PostgreSQL ({@code journal.backend: postgresql}): one row per event in
 * {@code palvelurinki_journal} (its sequence number as primary key, the event as {@link EventCodec} encodes
 * it in the file journal), written by one thread with group commit like {@link FileJournal}: everything
 * queued goes in one transaction, whose commit moves {@link #durableSeq()}. Numbers are given by the
 * writer, so they have no gaps (a database sequence would leave holes at every rollback); the primary key
 * makes a second writer of the same number fail instead of forking the history.
 *
 * <p>One writer at a time across nodes: opening takes the {@link PostgresLease}, a thread renews it, and
 * each write transaction inserts only while the lease row, read under a share lock, still has this
 * writer's epoch. A standby that takes over raises the epoch (its update waits for a write in flight), so
 * from then on the old writer's transactions insert nothing and it stops. Sessions in a transaction are
 * cut by the server after {@link #IDLE_IN_TRANSACTION}, so a writer paused mid-transaction cannot hold the
 * lease row's lock against the takeover.
 */
public final class PostgresJournal implements Journal {
    private static final Logger LOG = Logger.getLogger(PostgresJournal.class.getName());
    static final String TABLE = "palvelurinki_journal";
    /** A group ends after this many bytes even when more is queued, to keep one transaction's arrays bounded. */
    static final int GROUP_SOFT_LIMIT = 8 << 20;
    static final Duration IDLE_IN_TRANSACTION = Duration.ofSeconds(2);
    private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&]*");

    /**
     * @param url            JDBC URL of the database, e.g. {@code jdbc:postgresql://db1,db2/palvelurinki?user=…}
     * @param holder         names this node in the lease (host and process, for operators)
     * @param advertisedUrl  where clients reach this node when it is active (told to them by the standby); may be null
     * @param leaseTtl       how long the lease lasts unrenewed: a standby takes over this long after the active died
     * @param pendingBatches broker rounds queued for the writer before the broker waits
     */
    public record Options(String url, String holder, String advertisedUrl, Duration leaseTtl, int pendingBatches) {
        public Options {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(holder, "holder");
            if (leaseTtl.compareTo(Duration.ofMillis(300)) < 0) {
                throw new IllegalArgumentException("the lease must last at least 300 ms");
            }
            if (pendingBatches < 1) {
                throw new IllegalArgumentException("pending batches must be positive");
            }
        }

        public static Options of(String url, String holder, String advertisedUrl) {
            return new Options(url, holder, advertisedUrl, Duration.ofSeconds(3), 8192);
        }
    }

    private final Options options;
    private volatile BrokerMetrics metrics;
    private final long epoch;
    private final Connection connection;
    private final WriterHandoff handoff;
    private final Thread writer;
    private final Thread renewer;
    private volatile boolean closing;
    private volatile long durableSeq;
    private volatile Throwable failure;
    private volatile Runnable durabilityListener = () -> {};
    private long appendedSeq;

    private PostgresJournal(Options options, BrokerMetrics metrics, Connection connection, long epoch, long lastSeq) {
        this.options = options;
        this.metrics = metrics;
        this.connection = connection;
        this.epoch = epoch;
        this.handoff = new WriterHandoff(options.pendingBatches());
        this.appendedSeq = lastSeq;
        this.durableSeq = lastSeq;
        this.writer = new Thread(this::writeLoop, "journal-writer");
        this.writer.setDaemon(true);
        handoff.writer(writer);
        this.renewer = new Thread(this::renewLoop, "journal-lease");
        this.renewer.setDaemon(true);
    }

    /**
     * Takes the lease (or fails with {@link JournalLeasedException} naming the node that holds it), feeds
     * every recorded event to {@code replay} and starts the writer. A gap or an event that does not decode
     * stops the opening with {@link JournalCorruptedException}.
     */
    public static PostgresJournal open(Options options, BrokerMetrics metrics, Consumer<JournalEntry> replay)
            throws IOException {
        PostgresJournal j = takeOver(options, metrics, 0, replay);
        if (j == null) {
            try (Connection c = connect(options.url())) {
                PostgresLease.State s = PostgresLease.read(c);
                throw new JournalLeasedException(redact(options.url()), s);
            } catch (SQLException e) {
                throw new IOException("the journal " + redact(options.url()) + " cannot be read: " + e.getMessage(), e);
            }
        }
        return j;
    }

    /**
     * For a standby that has replayed up to {@code afterSeq}: takes the lease if it has expired, replays
     * what was committed since, and starts writing after it. Null when the lease is held by a live node.
     */
    public static PostgresJournal takeOver(Options options, BrokerMetrics metrics, long afterSeq,
            Consumer<JournalEntry> replay) throws IOException {
        Connection c = null;
        try {
            c = connect(options.url());
            createSchema(c);
            long epoch = PostgresLease.tryAcquire(c, options.holder(), options.advertisedUrl(), options.leaseTtl());
            if (epoch < 0) {
                c.close();
                return null;
            }
            // Read after the lease is ours: a write of the old epoch still in flight finished before our
            // update could take the row, and none can follow it.
            long last = readFrom(c, afterSeq, replay, redact(options.url()));
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET idle_in_transaction_session_timeout = " + IDLE_IN_TRANSACTION.toMillis());
            }
            c.commit();
            PostgresJournal j = new PostgresJournal(options, metrics == null ? BrokerMetrics.NONE : metrics, c, epoch, last);
            j.writer.start();
            j.renewer.start();
            LOG.info(() -> "journal: " + options.holder() + " writes " + redact(options.url()) + " in epoch " + epoch
                    + " after seq " + last);
            return j;
        } catch (SQLException e) {
            closeQuietly(c);
            throw new IOException("the journal " + redact(options.url()) + " cannot be opened: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /** Opens a connection to the journal's database. */
    public static Connection connect(String url) throws SQLException {
        Properties p = new Properties();
        p.setProperty("ApplicationName", "palvelurinki");
        p.setProperty("connectTimeout", "5");
        // A database that stops answering must not hold a writer forever: the standby takes over meanwhile.
        p.setProperty("socketTimeout", "30");
        p.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(url, p);
    }

    /** Creates the journal's tables if they are missing. */
    public static void createSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (seq bigint PRIMARY KEY CHECK (seq > 0),"
                    + " epoch bigint NOT NULL, event bytea NOT NULL)");
        }
        PostgresLease.createTable(c);
    }

    /**
     * Reads the events after {@code afterSeq} in order, checking there is no gap; returns the last number
     * read ({@code afterSeq} when there are none). Safe while a node writes: it sees committed events only.
     */
    public static long readFrom(Connection c, long afterSeq, Consumer<JournalEntry> consumer, String where)
            throws SQLException, JournalCorruptedException {
        return readFrom(c, afterSeq, consumer, where, JournalReader.Progress.NONE, 0);
    }

    /**
     * As {@link #readFrom(Connection, long, Consumer, String)}, telling {@code progress} the bytes read and
     * the bytes to read as estimated from them and {@code lastSeq}.
     */
    static long readFrom(Connection c, long afterSeq, Consumer<JournalEntry> consumer, String where,
            JournalReader.Progress progress, long lastSeq) throws SQLException, JournalCorruptedException {
        long bytes = 0;
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false); // the driver streams with a cursor only inside a transaction
        long last = afterSeq;
        try (PreparedStatement p = c.prepareStatement("SELECT seq, event FROM " + TABLE + " WHERE seq > ? ORDER BY seq")) {
            p.setFetchSize(4096);
            p.setLong(1, afterSeq);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    long seq = r.getLong(1);
                    if (seq != last + 1) {
                        throw new JournalCorruptedException("the journal " + where + " has a gap: after seq " + last
                                + " comes " + seq);
                    }
                    byte[] event = r.getBytes(2);
                    consumer.accept(new JournalEntry(seq, decode(event, seq, where)));
                    last = seq;
                    bytes += event.length + 16;
                    progress.read(bytes, seq >= lastSeq ? bytes : bytes * lastSeq / seq);
                }
            }
        } finally {
            c.commit();
            c.setAutoCommit(auto);
        }
        return last;
    }

    /** The highest sequence number committed, 0 for an empty journal. */
    public static long lastSeq(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT coalesce(max(seq), 0) FROM " + TABLE)) {
            r.next();
            return r.getLong(1);
        }
    }

    static DomainEvent decode(byte[] bytes, long seq, String where) throws JournalCorruptedException {
        try {
            ByteReader r = new ByteReader(bytes, 0, bytes.length);
            DomainEvent e = EventCodec.decode(r);
            if (!r.atEnd()) {
                throw new JournalFormatException("bytes left over after the event");
            }
            return e;
        } catch (RuntimeException e) {
            throw new JournalCorruptedException("the journal " + where + " has an unreadable event at seq " + seq + ": "
                    + e.getMessage());
        }
    }

    static byte[] encode(DomainEvent e, ByteWriter w) {
        w.reset();
        EventCodec.encode(e, w);
        if (w.position() > JournalFormat.MAX_RECORD_BYTES) {
            throw new IllegalStateException("event " + e.type() + " encodes to " + w.position()
                    + " bytes, over the record limit");
        }
        return Arrays.copyOf(w.array(), w.position());
    }

    /** The URL with any password blanked, for messages and logs. */
    public static String redact(String url) {
        return PASSWORD.matcher(url).replaceAll("$1***");
    }

    /** Where commits are counted from now on (a standby's journal starts before the server's metrics exist). */
    public void useMetrics(BrokerMetrics m) {
        this.metrics = Objects.requireNonNull(m);
    }

    /** The epoch this writer holds the lease in. */
    public long epoch() {
        return epoch;
    }

    @Override
    public long append(List<DomainEvent> events) {
        if (events.isEmpty()) {
            return appendedSeq;
        }
        if (failure != null) {
            throw new IllegalStateException("journal failed earlier", failure);
        }
        handoff.put(new Batch(appendedSeq + 1, events), () -> failure);
        appendedSeq += events.size();
        return appendedSeq;
    }

    private void writeLoop() {
        ByteWriter w = new ByteWriter(1 << 12);
        List<Long> seqs = new ArrayList<>();
        List<byte[]> rows = new ArrayList<>();
        boolean stopping = false;
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + TABLE + " (seq, epoch, event)"
                + " SELECT s, ?, e FROM unnest(?::bigint[], ?::bytea[]) AS t(s, e)"
                + " WHERE (SELECT epoch FROM " + PostgresLease.TABLE + " WHERE id = 1 FOR SHARE) = ?")) {
            while (!stopping) {
                seqs.clear();
                rows.clear();
                long bytes = 0;
                long seq = -1;
                for (Batch b = handoff.take(); b != null; b = bytes < GROUP_SOFT_LIMIT ? handoff.poll() : null) {
                    if (b == WriterHandoff.STOP) {
                        stopping = true;
                        break;
                    }
                    if (seq < 0) {
                        seq = b.firstSeq();
                    }
                    for (DomainEvent e : b.events()) {
                        byte[] row = encode(e, w);
                        seqs.add(seq++);
                        rows.add(row);
                        bytes += row.length;
                    }
                }
                if (rows.isEmpty()) {
                    continue;
                }
                long t0 = System.nanoTime();
                Array seqArray = connection.createArrayOf("bigint", seqs.toArray());
                Array rowArray = connection.createArrayOf("bytea", rows.toArray(new byte[0][]));
                insert.setLong(1, epoch);
                insert.setArray(2, seqArray);
                insert.setArray(3, rowArray);
                insert.setLong(4, epoch);
                int inserted = insert.executeUpdate();
                if (inserted != rows.size()) {
                    connection.rollback();
                    throw new FencedException("the journal's lease is no longer in epoch " + epoch
                            + ": another node took over, so this one writes nothing more");
                }
                connection.commit();
                metrics.journalSynced(rows.size(), bytes, System.nanoTime() - t0);
                durableSeq = seq - 1;
                durabilityListener.run();
            }
        } catch (SQLException | RuntimeException e) {
            if (e instanceof FencedException) {
                LOG.severe("journal: " + e.getMessage());
            } else {
                LOG.log(Level.SEVERE, "journal write failed; no further event will be acknowledged", e);
            }
            failure = e;
            LockSupport.unpark(renewer);
            durabilityListener.run();
        }
    }

    /** The lease has gone to another node. */
    public static final class FencedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FencedException(String message) {
            super(message);
        }
    }

    /**
     * Renews the lease a few times per lifetime. When renewing fails for a whole lifetime the lease may be
     * another node's already: this writer stops rather than acknowledge what it may not be able to commit.
     */
    private void renewLoop() {
        long interval = options.leaseTtl().toNanos() / 3;
        long lastRenewed = System.nanoTime();
        Connection c = null;
        while (failure == null && !closing) {
            LockSupport.parkNanos(interval);
            if (failure != null || closing) {
                break;
            }
            try {
                if (c == null) {
                    c = connect(options.url());
                }
                if (!PostgresLease.renew(c, epoch, options.leaseTtl())) {
                    failure = new FencedException("the journal's lease was taken over by another node (epoch " + epoch
                            + " ended)");
                    LOG.severe("journal: " + failure.getMessage());
                    LockSupport.unpark(writer);
                    durabilityListener.run();
                    break;
                }
                lastRenewed = System.nanoTime();
            } catch (SQLException e) {
                closeQuietly(c);
                c = null;
                if (System.nanoTime() - lastRenewed > options.leaseTtl().toNanos()) {
                    failure = new FencedException("the journal's lease could not be renewed for " + options.leaseTtl()
                            + " (" + e.getMessage() + "); another node may have taken over");
                    LOG.severe("journal: " + failure.getMessage());
                    durabilityListener.run();
                    break;
                }
            }
        }
        if (failure != null && !(failure instanceof FencedException) && c != null) {
            // A write failed: let a standby take over now rather than when the lease runs out.
            try {
                PostgresLease.release(c, epoch);
            } catch (SQLException ignored) {
                // the database is gone too; the lease runs out by itself
            }
        }
        closeQuietly(c);
    }

    @Override
    public long appendedSeq() {
        return appendedSeq;
    }

    @Override
    public long durableSeq() {
        return durableSeq;
    }

    @Override
    public Throwable failure() {
        return failure;
    }

    @Override
    public String notWritable() {
        Throwable f = failure;
        if (f == null) {
            return null;
        }
        return "the journal cannot be written: " + (f.getMessage() == null ? f.toString() : f.getMessage());
    }

    @Override
    public long freeBytes() {
        return -1;
    }

    /** A commit is durable as the database is configured (synchronous_commit, synchronous replicas). */
    @Override
    public boolean fsync() {
        return true;
    }

    @Override
    public void onDurable(Runnable listener) {
        this.durabilityListener = Objects.requireNonNull(listener);
    }

    @Override
    public String describe() {
        return redact(options.url());
    }

    /** Commits what was appended, stops the writer and lets the lease go so that a standby takes over at once. */
    @Override
    public void close() {
        if (writer.isAlive()) {
            try {
                handoff.put(WriterHandoff.STOP, () -> failure);
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IllegalStateException writerGone) {
                // the writer failed earlier; there is nothing left to commit
            }
        }
        closing = true;
        LockSupport.unpark(renewer);
        try {
            renewer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (failure == null) {
                connection.setAutoCommit(true);
                PostgresLease.release(connection, epoch);
            }
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "journal: releasing the lease failed; it runs out by itself", e);
        }
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing is all that is left to do with it
            }
        }
    }
}
