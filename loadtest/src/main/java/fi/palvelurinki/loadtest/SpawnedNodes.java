package fi.palvelurinki.loadtest;

import fi.palvelurinki.broker.journal.JournalSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * The failover scenario's two {@code serve} nodes (docs/operations.md, "Two nodes on PostgreSQL"), each a child
 * JVM with its own port, data directory and {@code advertisedUrl}, the same token secret, and the journal in the
 * run's {@link fi.palvelurinki.broker.journal.ScratchPostgres}. The first started takes the lease and serves;
 * the second stands by. {@link #kill} kills the active one with SIGKILL; {@link #restart} waits until the other
 * has taken over and serves.
 */
final class SpawnedNodes implements ServerControl, AutoCloseable {
    private static final long TAKEOVER_WAIT_NANOS = 60_000_000_000L;

    private final String journalUrl;
    private final SpawnedServer[] nodes = new SpawnedServer[2];
    private final URI[] urls = new URI[2];
    private final ServerProbe.Health health = new ServerProbe.Health();
    private volatile int active;

    /**
     * @param command   the command up to and including {@code serve}
     * @param configYaml the scenario's configuration, without a {@code journal} section (each node's is added)
     * @param cpu       the CPU to pin both to, or -1
     */
    SpawnedNodes(List<String> command, String configYaml, byte[] secret, String journalUrl, Path work, int cpu)
            throws IOException, InterruptedException {
        this.journalUrl = journalUrl;
        int[] ports = {freePort(), freePort()};
        try {
            for (int i = 0; i < 2; i++) {
                urls[i] = URI.create("http://127.0.0.1:" + ports[i]);
                Path data = work.resolve("data-node-" + (i + 1));
                Files.createDirectories(data);
                Files.writeString(data.resolve("token.secret"), Base64.getEncoder().encodeToString(secret) + "\n",
                        StandardCharsets.US_ASCII);
                Path config = work.resolve("loadtest-node-" + (i + 1) + ".yaml");
                Files.writeString(config, configYaml + journalSection(journalUrl, urls[i]), StandardCharsets.UTF_8);
                // The first is up and holds the lease before the second starts: that one stands by.
                nodes[i] = new SpawnedServer(command, List.of(), config, data, work, cpu, ports[i], "node-" + (i + 1));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    static String journalSection(String url, URI advertised) {
        return "journal:\n  backend: postgresql\n  url: \"" + url + "\"\n  advertisedUrl: \"" + advertised + "\"\n";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Both nodes' base URLs, the active one first. */
    List<URI> urls() {
        return List.of(urls[0], urls[1]);
    }

    @Override
    public void kill() throws InterruptedException {
        nodes[active].kill();
    }

    @Override
    public void restart() throws IOException, InterruptedException {
        int standby = 1 - active;
        long start = System.nanoTime();
        while (System.nanoTime() - start < TAKEOVER_WAIT_NANOS) {
            if (health.serves(urls[standby])) {
                active = standby;
                return;
            }
            Thread.sleep(20);
        }
        throw new IOException("the standby " + urls[standby] + " did not take over within 60 s; see "
                + nodes[standby].log());
    }

    @Override
    public void stop() {
        close();
    }

    @Override
    public JournalSource journal() {
        return new JournalSource.Postgres(journalUrl);
    }

    @Override
    public URI http() {
        return urls[active];
    }

    /** The log of node {@code i} (0 or 1). */
    Path log(int i) {
        return nodes[i] == null ? null : nodes[i].log();
    }

    @Override
    public void close() {
        for (SpawnedServer n : nodes) {
            if (n != null) {
                n.close();
            }
        }
    }
}
