package fi.palvelurinki.signaling;

import fi.palvelurinki.broker.testing.ManualClock;
import fi.palvelurinki.broker.testing.ManualTimerService;
import fi.palvelurinki.signaling.auth.Role;
import fi.palvelurinki.media.PeerToPeerMedia;
import fi.palvelurinki.signaling.config.ConfigFile;
import fi.palvelurinki.signaling.tls.WebTransport;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jetty.server.Handler;

/** A real server on an ephemeral port, with a manual clock driving offers, timeouts and grace periods. */
final class ServerFixture implements AutoCloseable {
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef-test-secret".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    final ManualClock clock;
    final ManualTimerService timers;
    final Path data;
    final ConfigFile.Deployment deployment;
    PalvelurinkiServer server;

    ServerFixture(Path data) throws Exception {
        this(data, ManualClock.tuesdayMorning());
    }

    ServerFixture(Path data, ManualClock clock) throws Exception {
        this(data, clock, c -> c);
    }

    final java.util.function.UnaryOperator<SignalingConfig> tweak;

    /** The pages and the ICE servers handed out in welcome; null but in the browser tests. */
    final Handler web;
    final PeerToPeerMedia media;
    final java.util.function.LongSupplier heartbeatTicker;
    final WebTransport transport;

    ServerFixture(Path data, ManualClock clock, java.util.function.UnaryOperator<SignalingConfig> tweak) throws Exception {
        this(data, clock, tweak, null, null);
    }

    ServerFixture(Path data, ManualClock clock, java.util.function.UnaryOperator<SignalingConfig> tweak, Handler web,
            PeerToPeerMedia media) throws Exception {
        this(data, clock, tweak, web, media, System::nanoTime);
    }

    /** @param heartbeatTicker what the server's heartbeat watch measures silence with */
    ServerFixture(Path data, ManualClock clock, java.util.function.UnaryOperator<SignalingConfig> tweak, Handler web,
            PeerToPeerMedia media, java.util.function.LongSupplier heartbeatTicker) throws Exception {
        this(data, clock, tweak, web, media, heartbeatTicker, WebTransport.plain());
    }

    ServerFixture(Path data, ManualClock clock, java.util.function.UnaryOperator<SignalingConfig> tweak, Handler web,
            PeerToPeerMedia media, java.util.function.LongSupplier heartbeatTicker, WebTransport transport) throws Exception {
        this(data, clock, tweak, web, media, heartbeatTicker, transport, "");
    }

    /** @param moreYaml appended to the test deployment's file (e.g. a {@code security} section) */
    ServerFixture(Path data, ManualClock clock, java.util.function.UnaryOperator<SignalingConfig> tweak, Handler web,
            PeerToPeerMedia media, java.util.function.LongSupplier heartbeatTicker, WebTransport transport,
            String moreYaml) throws Exception {
        this(data, clock, tweak, web, media, heartbeatTicker, transport, moreYaml, "/test-deployment.yaml");
    }

    /** @param deploymentResource the deployment file on the test class path, e.g. one with an interpreter ring */
    ServerFixture(Path data, ManualClock clock, java.util.function.UnaryOperator<SignalingConfig> tweak, Handler web,
            PeerToPeerMedia media, java.util.function.LongSupplier heartbeatTicker, WebTransport transport,
            String moreYaml, String deploymentResource) throws Exception {
        this.heartbeatTicker = heartbeatTicker;
        this.tweak = tweak;
        this.web = web;
        this.media = media;
        this.transport = transport;
        this.data = data;
        this.clock = clock;
        this.timers = new ManualTimerService(clock);
        try (InputStream in = ServerFixture.class.getResourceAsStream(deploymentResource)) {
            byte[] yaml = (new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8) + "\n" + moreYaml)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            this.deployment = ConfigFile.parse(new java.io.ByteArrayInputStream(yaml), deploymentResource.substring(1));
        }
        start();
    }

    void start() throws Exception {
        start(0);
    }

    private void start(int port) throws Exception {
        server = PalvelurinkiServer.start(new PalvelurinkiServer.Options(
                tweak.apply(deployment.signaling().withPort(port).withHost("127.0.0.1")),
                deployment.broker().toBrokerConfig(data), deployment, SECRET, clock, timers, false, web, media,
                transport, heartbeatTicker));
    }

    void restart() throws Exception {
        server.close();
        start();
    }

    /** A restart that the pages, which know the server by its address, can reconnect to. */
    void restartOnSamePort() throws Exception {
        int port = server.port();
        server.close();
        start(port);
    }

    URI ws() {
        return URI.create((transport.tls() ? "wss" : "ws") + "://127.0.0.1:" + server.port() + "/ws");
    }

    URI http(String path) {
        return URI.create((transport.tls() ? "https" : "http") + "://127.0.0.1:" + server.port() + path);
    }

    String token(Role role, String user) {
        return server.tokenFor(role, user, Duration.ofHours(1));
    }

    /** Connects, says hello and waits for the welcome. */
    WsClient connect(Role role, String user) throws Exception {
        WsClient c = WsClient.open(ws(), token(role, user));
        c.hello();
        return c;
    }

    /**
     * Waits until the broker has done what was asked of it (timers that came due included) and every
     * message it made for this client has reached it: then "nothing came" means nothing was sent.
     */
    void settle(WsClient c) throws Exception {
        fi.palvelurinki.broker.testing.Settle.settle(server.broker());
        // The session sends in order: what the broker made for it arrives before the answer to a ping.
        c.request(c.msg("ping"));
    }

    /** Moves the clock and runs what came due: broker timers and resume grace periods. */
    void advance(Duration d) {
        timers.advance(d);
        server.sessions().cleanUp();
    }

    @Override
    public void close() {
        server.close();
    }
}
