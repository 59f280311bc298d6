package fi.palvelurinki.app;

import fi.palvelurinki.broker.Broker;
import fi.palvelurinki.broker.BrokerConfig;
import fi.palvelurinki.broker.ScheduledTimerService;
import fi.palvelurinki.broker.journal.JournalLock;
import fi.palvelurinki.media.MediaConfig;
import fi.palvelurinki.media.PeerToPeerMedia;
import fi.palvelurinki.signaling.PalvelurinkiServer;
import fi.palvelurinki.signaling.SignalingConfig;
import fi.palvelurinki.signaling.auth.Role;
import fi.palvelurinki.signaling.config.ConfigFile;
import fi.palvelurinki.signaling.http.DemoLoginHandler;
import fi.palvelurinki.signaling.http.PagesHandler;
import fi.palvelurinki.signaling.node.PalvelurinkiNode;
import fi.palvelurinki.signaling.tls.WebTransport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.server.Handler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "serve", mixinStandardHelpOptions = true,
        header = "Runs the server: pages, WebSocket protocol, operator API, metrics.",
        description = {"Starts Palvelurinki: the broker with its journal in --data, the WebSocket protocol at /ws,",
                "the pages (/advisor, /expert, /operator), the operator API at /api, /healthz and /metrics,",
                "and the STUN service for video calls; https and wss with --tls-cert/--tls-key (docs/operations.md).",
                "Stops cleanly on Ctrl-C or SIGTERM."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", description = "TCP port (default: the configuration's, 8080).")
    Integer port;

    @Option(names = "--host", description = "Address to listen on (default: the configuration's, 0.0.0.0).")
    String host;

    @Option(names = "--stun-port", description = "UDP port of the embedded STUN service (default: the configuration's, 3478; 0: any free port).")
    Integer stunPort;

    @Mixin
    DeploymentOptions deploymentOptions;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = {"Serve https and wss with this certificate chain (PEM,",
            "e.g. certbot's fullchain.pem); with --tls-key. Overrides server.tls of the configuration."})
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "The certificate's private key (PEM, e.g. certbot's privkey.pem).")
    Path tlsKey;

    @Option(names = "--reapply-config", description = "Make rings and experts match the file even where operators changed them through the API.")
    boolean reapply;

    @Option(names = "--bench-relay", description = {"Benchmarks only: also serve the plain relay at /bench/relay and POST /bench/gc",
            "(the load generator's baseline; docs/performance.md). Never in production."})
    boolean benchRelay;

    /**
     * The running node (the server, or a standby on the PostgreSQL journal) with its STUN service and
     * timers; closing it stops all three.
     */
    record Running(PalvelurinkiNode node, PeerToPeerMedia media, ScheduledTimerService timers) implements AutoCloseable {
        /** The server; null while the node stands by. */
        PalvelurinkiServer server() {
            return node.server();
        }

        @Override
        public void close() {
            node.close();
            media.close();
            timers.close();
        }
    }

    /** Print what is running when the node becomes active (the command does; tests that start it do not). */
    private boolean announce;

    @Override
    public Integer call() throws Exception {
        Running running;
        announce = true;
        try {
            running = start();
        } catch (IOException e) {
            System.err.println("serve: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "shutdown"));
        if (!running.node().active()) {
            System.out.println("Palvelurinki stands by on port " + running.node().port() + ": another node holds the"
                    + " journal's lease; this one follows the journal and takes over when that lease expires."
                    + " Stop with Ctrl-C.");
        }
        stopped.await();
        return 0;
    }

    /** What a node prints each time it becomes the active one (at start, or on taking over). */
    private void announce(PalvelurinkiServer server, PeerToPeerMedia media) {
        String host = server.options().signaling().host();
        boolean tls = server.options().transport().tls();
        String base = (tls ? "https" : "http") + "://" + ("0.0.0.0".equals(host) ? "localhost" : host) + ":" + server.port();
        System.out.println("Palvelurinki is running at " + base + " (WebSocket " + base.replaceFirst("^http", "ws") + "/ws)");
        System.out.println("  journal: " + Broker.journalSource(server.options().broker()).describe() + ", "
                + server.broker().replayedEvents() + " events recovered");
        System.out.println("  pages: " + base + "/advisor, " + base + "/expert, " + base + "/operator");
        // The TURN credentials are each user's own; their URLs are the same for all.
        System.out.println("  ICE servers for the browsers: "
                + media.iceServersFor("-").stream().flatMap(i -> i.urls().stream()).toList()
                + (media.config().relayOnly() ? " (relay only)" : ""));
        if (deploymentOptions.demo) {
            printDemoLinks(base);
            printDemoTokens(server);
        }
        System.out.println("Stop with Ctrl-C.");
    }

    /** Starts the STUN service, then the server with the pages, and, for --demo only, the demo sign-in. */
    Running start() throws Exception {
        port("--port", port);
        port("--stun-port", stunPort);
        ConfigFile.Deployment d = deploymentOptions.deployment();
        SignalingConfig sig = d.signaling();
        if (port != null) {
            sig = sig.withPort(port);
        }
        if (host != null) {
            sig = sig.withHost(host);
        }
        if (benchRelay) {
            sig = sig.withBenchRelay(true);
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new ParameterException(spec.commandLine(), "give both --tls-cert and --tls-key");
        }
        WebTransport transport = d.transport();
        if (tlsCert != null) {
            try {
                transport = transport.withTls(tlsCert, tlsKey);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        byte[] secret = deploymentOptions.tokenSecret(d);
        BrokerConfig brokerConfig = d.broker().toBrokerConfig(deploymentOptions.data);
        if (brokerConfig.postgres() == null) {
            // A second server on the same data directory is refused before it takes any port (the broker takes
            // the lock for good when it opens the journal). On PostgreSQL a second node stands by instead.
            JournalLock.acquire(deploymentOptions.data.resolve("journal"), InstantSource.system()).close();
        }
        MediaConfig mediaConfig = stunPort == null ? d.media() : d.media().withStun(d.media().stunHost(), stunPort);
        InstantSource clock = InstantSource.system();
        PeerToPeerMedia media;
        try {
            media = PeerToPeerMedia.start(mediaConfig, clock);
        } catch (IOException e) {
            throw new IOException(e.getMessage() + " (choose another port with --stun-port, or media.stunPort in the "
                    + "configuration)", e);
        }
        ScheduledTimerService timers = new ScheduledTimerService(clock);
        // The demo sign-in needs the running server to issue tokens: it joins the pages once the server is up.
        Handler.Sequence web = new Handler.Sequence(new PagesHandler());
        PalvelurinkiNode node;
        try {
            node = PalvelurinkiNode.start(new PalvelurinkiServer.Options(sig, brokerConfig, d, secret, clock, timers,
                    reapply, web, media, transport, System::nanoTime), server -> {
                        if (deploymentOptions.demo) {
                            web.setHandlers(new PagesHandler(), new DemoLoginHandler(server));
                        }
                        if (announce) {
                            announce(server, media);
                        }
                    });
        } catch (Exception | Error e) {
            media.close();
            timers.close();
            throw e;
        }
        return new Running(node, media, timers);
    }

    private void port(String option, Integer p) {
        if (p != null && (p < 0 || p > 65535)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), option + " must be 0-65535 (0: any free"
                    + " port), got " + p);
        }
    }

    private static void printDemoLinks(String base) {
        System.out.println();
        System.out.println("Try a video call: open these two in two browser windows, click \"Call now\" in the first");
        System.out.println("and \"Accept\" in the second (demo sign-in; " + base + "/ lists everyone):");
        System.out.println("  advisor anna (Mikkeli): " + base + "/advisor?demo=anna");
        System.out.println("  expert eeva (Kela):     " + base + "/expert?demo=eeva");
        System.out.println("  operator olli:          " + base + "/operator?demo=olli");
        System.out.println("With an interpreter: choose one next to Call now, and open the interpreter's page too:");
        System.out.println("  interpreter tuulikki:   " + base + "/expert?demo=tuulikki");
    }

    private static void printDemoTokens(PalvelurinkiServer server) {
        java.time.Duration ttl = server.options().signaling().tokenTtl();
        System.out.println();
        System.out.println("Demo tokens (valid " + ttl.toHours() + " h; more with bin/palvelurinki token --demo …):");
        System.out.println("  advisor anna (Mikkeli):    " + server.tokenFor(Role.ADVISOR, "anna", ttl));
        System.out.println("  advisor bo (Parainen, sv): " + server.tokenFor(Role.ADVISOR, "bo", ttl));
        System.out.println("  expert eeva (Kela, fi/sv): " + server.tokenFor(Role.EXPERT, "eeva", ttl));
        System.out.println("  expert kalle (Kela, fi):   " + server.tokenFor(Role.EXPERT, "kalle", ttl));
        System.out.println("  operator olli:             " + server.tokenFor(Role.OPERATOR, "olli", ttl));
        System.out.println();
    }
}
