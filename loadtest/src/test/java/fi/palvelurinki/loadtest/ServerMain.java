package fi.palvelurinki.loadtest;

import fi.palvelurinki.broker.ScheduledTimerService;
import fi.palvelurinki.signaling.PalvelurinkiServer;
import fi.palvelurinki.signaling.SignalingConfig;
import fi.palvelurinki.signaling.auth.TokenSecret;
import fi.palvelurinki.signaling.config.ConfigFile;
import fi.palvelurinki.signaling.node.PalvelurinkiNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.CountDownLatch;

/**
 * The server as {@code bin/palvelurinki serve} starts it, for tests that need it in a process of its own (to kill
 * it): {@code --config F --data D --port P --host H [--bench-relay]}, the same ready lines (serving, or standing
 * by when the configuration's PostgreSQL journal is leased by another node), stops on SIGTERM. (The app module,
 * which has the real command, depends on this one.)
 */
public final class ServerMain {
    private ServerMain() {}

    public static void main(String[] args) throws Exception {
        Path config = null;
        Path data = null;
        int port = 0;
        String host = "127.0.0.1";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> config = Path.of(args[++i]);
                case "--data" -> data = Path.of(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--host" -> host = args[++i];
                case "--bench-relay" -> { }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        ConfigFile.Deployment d;
        try (InputStream in = Files.newInputStream(config)) {
            d = ConfigFile.parse(in, config.toString());
        }
        SignalingConfig sig = d.signaling().withPort(port).withHost(host).withBenchRelay(true);
        InstantSource clock = InstantSource.system();
        ScheduledTimerService timers = new ScheduledTimerService(clock);
        String shownHost = host;
        PalvelurinkiNode node = PalvelurinkiNode.start(new PalvelurinkiServer.Options(sig,
                d.broker().toBrokerConfig(data), d, TokenSecret.read(TokenSecret.defaultFile(data)), clock, timers, false,
                null, null), server -> System.out.println("Palvelurinki is running at http://" + shownHost + ":"
                        + server.port()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            timers.close();
            stopped.countDown();
        }, "shutdown"));
        if (!node.active()) {
            System.out.println("Palvelurinki stands by on port " + node.port());
        }
        stopped.await();
    }
}
