package fi.palvelurinki.broker.journal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL (Debian's server binaries) for the load test's two nodes and for the tests of the
 * PostgreSQL journal: initdb in a fresh temporary directory, listening on loopback on a free port with its
 * socket in that directory, trusting local connections. {@link #close} stops it at once and deletes the
 * directory; so does a shutdown hook when the JVM ends first (the tests' shared cluster, a Ctrl-C).
 *
 * <p>initdb refuses to run as root (as CI does): then the server runs as the {@code postgres} user that
 * Debian's package creates, through {@code runuser}.
 */
public final class ScratchPostgres implements AutoCloseable {
    private static final String USER = "palvelurinki";

    private final Path dir;
    private final Path bin;
    private final int port;
    private final boolean asPostgres;
    private final Thread hook;
    private boolean closed;

    private ScratchPostgres(Path dir, Path bin, int port, boolean asPostgres) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.asPostgres = asPostgres;
        this.hook = new Thread(this::stopAndDelete, "postgres-stop");
    }

    /**
     * Initialises and starts a cluster; returns once it takes connections.
     *
     * @param purpose names its temporary directory ({@code palvelurinki-PURPOSE-pg…})
     * @param maxConnections PostgreSQL's {@code max_connections}
     */
    public static ScratchPostgres start(String purpose, int maxConnections) throws IOException {
        Path bin = binaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("palvelurinki-" + purpose + "-pg");
        // The postgres user (when we are root) must reach its directory inside.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ScratchPostgres c = new ScratchPostgres(dir, bin, port, root);
        Runtime.getRuntime().addShutdownHook(c.hook);
        try {
            Path home = dir.resolve("pg");
            Files.createDirectory(home);
            if (root) {
                run(List.of("chown", "postgres", home.toString()));
            }
            c.pg(List.of(bin.resolve("initdb").toString(), "-D", home.resolve("data").toString(), "-A", "trust", "-U", USER,
                    "-E", "UTF8", "--no-sync", "--no-instructions"));
            // fsync stays on: acknowledgements wait for commits, as they would in production.
            c.pg(List.of(bin.resolve("pg_ctl").toString(), "-D", home.resolve("data").toString(), "-l",
                    home.resolve("log").toString(), "-w", "-t", "60", "-o",
                    "-p " + port + " -k " + home + " -c listen_addresses=127.0.0.1 -c max_connections=" + maxConnections
                            + " -c shared_buffers=32MB",
                    "start"));
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw new IOException("the scratch PostgreSQL did not start: " + e.getMessage(), e);
        }
    }

    /** The directory of Debian's PostgreSQL server binaries (the newest installed). */
    static Path binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                Path newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString().replaceAll("\\D", "0"))))
                        .orElse(null);
                if (newest != null) {
                    return newest.resolve("bin");
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("PostgreSQL's server is missing (no /usr/lib/postgresql/*/bin/initdb): the "
                + "PostgreSQL journal's tests and the two-node load test need Debian's postgresql package (bin/test installs it)");
    }

    /** Creates an empty database; its JDBC URL. */
    public String createDatabase(String name) throws SQLException {
        try (Connection con = DriverManager.getConnection(url("postgres")); Statement st = con.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER;
    }

    public int port() {
        return port;
    }

    /** Where PostgreSQL logs (deleted with the cluster). */
    public Path log() {
        return dir.resolve("pg/log");
    }

    private void pg(List<String> command) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (asPostgres) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(command);
        run(cmd);
    }

    private static void run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private synchronized void stopAndDelete() {
        if (closed) {
            return;
        }
        closed = true;
        if (Files.exists(dir.resolve("pg/data/postmaster.pid"))) {
            try {
                pg(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("pg/data").toString(), "-m", "immediate",
                        "-w", "stop"));
            } catch (IOException e) {
                // not running any more
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    /** Stops the server at once (its data is thrown away) and deletes its directory. */
    @Override
    public void close() {
        stopAndDelete();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook has run or runs
        }
    }
}
