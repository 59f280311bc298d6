package fi.palvelurinki.app;

import fi.palvelurinki.broker.ScheduledTimerService;
import fi.palvelurinki.signaling.PalvelurinkiServer;
import fi.palvelurinki.signaling.SignalingConfig;
import fi.palvelurinki.signaling.auth.Role;
import fi.palvelurinki.signaling.config.ConfigFile;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Starts Palvelurinki: the broker with its journal in --data, the WebSocket protocol at /ws,",
                "the operator API at /api, /healthz and /metrics. Stops cleanly on Ctrl-C or SIGTERM."})
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", description = "TCP port (default: the configuration's, 8080).")
    Integer port;

    @Option(names = "--host", description = "Address to listen on (default: the configuration's, 0.0.0.0).")
    String host;

    @Mixin
    DeploymentOptions deploymentOptions;

    @Option(names = "--reapply-config", description = "Make rings and experts match the file even where operators changed them through the API.")
    boolean reapply;

    @Override
    public Integer call() throws Exception {
        ConfigFile.Deployment d = deploymentOptions.deployment();
        Path data = deploymentOptions.data;
        SignalingConfig sig = d.signaling();
        if (port != null) {
            sig = sig.withPort(port);
        }
        if (host != null) {
            sig = sig.withHost(host);
        }
        byte[] secret = deploymentOptions.tokenSecret(d);
        InstantSource clock = InstantSource.system();
        ScheduledTimerService timers = new ScheduledTimerService(clock);
        PalvelurinkiServer server = PalvelurinkiServer.start(new PalvelurinkiServer.Options(sig,
                d.broker().toBrokerConfig(data), d, secret, clock, timers, reapply, null, null));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            timers.close();
            stopped.countDown();
        }, "shutdown"));
        String base = "http://" + ("0.0.0.0".equals(sig.host()) ? "localhost" : sig.host()) + ":" + server.port();
        System.out.println("Palvelurinki is running at " + base + " (WebSocket " + base.replace("http", "ws") + "/ws)");
        System.out.println("  journal: " + data.resolve("journal").toAbsolutePath() + ", "
                + server.broker().replayedEvents() + " events recovered");
        if (deploymentOptions.demo) {
            printDemoTokens(server);
        }
        System.out.println("Stop with Ctrl-C.");
        stopped.await();
        return 0;
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
