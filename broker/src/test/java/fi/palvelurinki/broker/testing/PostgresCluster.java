package fi.palvelurinki.broker.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL (Debian's server binaries) for the tests: one cluster per test JVM, made with
 * initdb in a fresh directory, listening on loopback on a free port with its socket in that directory,
 * trusting local connections; stopped and deleted when the JVM ends. Each test takes its own database
 * ({@link #newDatabase}), so tests share the cost of starting the server, not their data.
 *
 * <p>initdb refuses to run as root (as CI does): then the server runs as the {@code postgres} user
 * that Debian's package creates, through {@code runuser}.
 */
public final class PostgresCluster {
    private static final String USER = "palvelurinki";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresCluster shared;

    private final Path dir;
    private final Path bin;
    private final int port;
    private final boolean asPostgres;

    private PostgresCluster(Path dir, Path bin, int port, boolean asPostgres) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.asPostgres = asPostgres;
    }

    /** The cluster of this JVM, started on first use. */
    public static synchronized PostgresCluster shared() throws IOException {
        if (shared == null) {
            shared = start();
            PostgresCluster c = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(c::stop, "postgres-stop"));
        }
        return shared;
    }

    /** The directory of Debian's PostgreSQL server binaries (the newest installed). */
    public static Path binaries() {
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
                + "journal tests need Debian's postgresql package (bin/test installs it)");
    }

    private static PostgresCluster start() throws IOException {
        Path bin = binaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("palvelurinki-pg");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path home = dir.resolve("pg");
        Files.createDirectory(home);
        if (root) {
            run(List.of("chown", "postgres", home.toString()), false);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PostgresCluster c = new PostgresCluster(dir, bin, port, root);
        c.pg(List.of(bin.resolve("initdb").toString(), "-D", home.resolve("data").toString(), "-A", "trust", "-U", USER,
                "-E", "UTF8", "--no-sync", "--no-instructions"));
        c.pg(List.of(bin.resolve("pg_ctl").toString(), "-D", home.resolve("data").toString(), "-l",
                home.resolve("log").toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -k " + home + " -c listen_addresses=127.0.0.1 -c max_connections=200"
                        + " -c shared_buffers=32MB",
                "start"));
        return c;
    }

    private void pg(List<String> command) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (asPostgres) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(command);
        run(cmd, true);
    }

    private static void run(List<String> cmd, boolean quiet) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** A new empty database; its JDBC URL. */
    public String newDatabase() throws SQLException {
        String name = "t" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres")); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER;
    }

    public int port() {
        return port;
    }

    /** What the server logged (for failure messages). */
    public String log() {
        try {
            return Files.readString(dir.resolve("pg/log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops the server at once (its data is thrown away) and deletes its directory. */
    public void stop() {
        try {
            pg(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("pg/data").toString(), "-m", "immediate",
                    "-w", "stop"));
        } catch (IOException e) {
            // already stopped
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
