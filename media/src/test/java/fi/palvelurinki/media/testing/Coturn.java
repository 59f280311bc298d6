package fi.palvelurinki.media.testing;

import static org.awaitility.Awaitility.await;

import fi.palvelurinki.media.TurnConfig;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real coturn (Debian's {@code turnserver}) for a test: on loopback, on free ports, with a fresh shared
 * secret and a generated configuration in the settings docs/operations.md recommends (REST-API
 * credentials, fingerprints, no CLI), plus what only a test on one machine needs: peers on loopback
 * allowed. Stopped on close; its log stays in the directory for a failed test.
 */
public final class Coturn implements AutoCloseable {
    public static final Path TURNSERVER = Path.of("/usr/bin/turnserver");
    public static final String REALM = "palvelurinki.test";

    private final Process process;
    private final int port;
    private final String secret;
    private final Path log;

    private Coturn(Process process, int port, String secret, Path log) {
        this.process = process;
        this.port = port;
        this.secret = secret;
        this.log = log;
    }

    /** Starts coturn with its files (configuration, log, user database) in {@code dir}. */
    public static Coturn start(Path dir) throws IOException {
        if (!Files.isExecutable(TURNSERVER)) {
            throw new IllegalStateException(TURNSERVER + " is missing: the TURN tests need Debian's coturn (bin/test "
                    + "installs it)");
        }
        byte[] raw = new byte[24];
        new SecureRandom().nextBytes(raw);
        String secret = HexFormat.of().formatHex(raw);
        int port = freeUdpAndTcpPort();
        int relayBase = 40_000 + ThreadLocalRandom.current().nextInt(20_000);
        Path conf = dir.resolve("turnserver.conf");
        Path log = dir.resolve("turnserver.log");
        Files.writeString(conf, String.join("\n",
                "listening-ip=127.0.0.1",
                "relay-ip=127.0.0.1",
                "listening-port=" + port,
                "min-port=" + relayBase,
                "max-port=" + (relayBase + 200),
                "realm=" + REALM,
                "use-auth-secret",
                "static-auth-secret=" + secret,
                "fingerprint",
                "no-cli",
                "no-tls",
                "no-dtls",
                "no-multicast-peers",
                // Both browsers of a test sit on this machine: their relayed addresses are loopback peers.
                "allow-loopback-peers",
                "userdb=" + dir.resolve("turndb"),
                "pidfile=" + dir.resolve("turnserver.pid"),
                "log-file=" + log,
                "simple-log",
                ""), StandardCharsets.US_ASCII);
        Process p = new ProcessBuilder(TURNSERVER.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("turnserver.out").toFile()).start();
        Coturn c = new Coturn(p, port, secret, log);
        try {
            await("coturn listening on 127.0.0.1:" + port).atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50)).until(() -> {
                        if (!p.isAlive()) {
                            throw new IllegalStateException("coturn stopped at start: " + c.log());
                        }
                        try (Socket s = new Socket()) {
                            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                            return true;
                        } catch (IOException e) {
                            return false;
                        }
                    });
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** UDP and TCP port coturn listens on. */
    public int port() {
        return port;
    }

    /** The shared secret in its configuration. */
    public String secret() {
        return secret;
    }

    /** Palvelurinki's {@code media.turn} for this coturn: UDP and TCP, credentials valid for {@code lifetime}. */
    public TurnConfig config(Duration lifetime) {
        return new TurnConfig(List.of("turn:127.0.0.1:" + port + "?transport=udp",
                "turn:127.0.0.1:" + port + "?transport=tcp"), secret, lifetime);
    }

    /** What coturn logged so far (for failure messages). */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private static int freeUdpAndTcpPort() throws IOException {
        for (int i = 0; i < 50; i++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                    DatagramSocket udp = new DatagramSocket(tcp.getLocalPort(), InetAddress.getLoopbackAddress())) {
                return tcp.getLocalPort();
            } catch (IOException taken) {
                // the UDP port of that number is in use: try another
            }
        }
        throw new IOException("no port free for both UDP and TCP on loopback");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
