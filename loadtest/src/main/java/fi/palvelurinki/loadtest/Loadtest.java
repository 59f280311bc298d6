package fi.palvelurinki.loadtest;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code bin/palvelurinki loadtest}: starts what is needed (with {@code --spawn-server}: the server as a
 * child JVM on CPU 0 with the scenario's configuration, and the bare relay beside it; this JVM on CPU 1),
 * runs the {@link LoadGenerator} and prints the summary with the RESULT line last.
 */
public final class Loadtest {
    /**
     * How to start the children: {@code server} is the command up to and including {@code serve} (the
     * server's own options are added), {@code java} the Java command line with the class path for the
     * bare relay. Either may be null to start nothing.
     */
    public record Launch(List<String> server, List<String> java) {}

    private static boolean pinnedSelf;

    private Loadtest() {}

    /**
     * @param target     the server to load, or null with {@code launch.server()} to start one
     * @param secret     the server's token secret (ignored when the server is started here)
     * @param bareRelay  whether to start and measure the bare Netty relay
     */
    public static Result run(Scenario s, URI target, byte[] secret, Launch launch, int clientThreads, boolean bareRelay,
            PrintStream out) throws Exception {
        return run(s, target, secret, launch, clientThreads, bareRelay, true, out);
    }

    /** As above; {@code pin}: pin the processes to CPUs with taskset (not in a test's JVM). */
    public static Result run(Scenario s, URI target, byte[] secret, Launch launch, int clientThreads, boolean bareRelay,
            boolean pin, PrintStream out) throws Exception {
        return run(s, target, secret, launch, clientThreads, bareRelay, pin, false, out);
    }

    /** As above; {@code tls}: start the server with a throwaway certificate and load it over https and wss. */
    public static Result run(Scenario s, URI target, byte[] secret, Launch launch, int clientThreads, boolean bareRelay,
            boolean pin, boolean tls, PrintStream out) throws Exception {
        boolean spawn = target == null;
        if (!spawn && !s.restartAfter().isZero()) {
            throw new IllegalArgumentException("scenario " + s.name() + " kills and restarts the server: run it with "
                    + "--spawn-server, not --target");
        }
        List<AutoCloseable> children = new ArrayList<>();
        Path work = Files.createTempDirectory("palvelurinki-loadtest-");
        try {
            String pinning;
            if (!pin) {
                pinning = "not applied (not asked for)";
            } else if (spawn && (pinnedSelf || ChildProcess.tasksetAvailable()
                    && Runtime.getRuntime().availableProcessors() >= 2)) {
                // A second run in the same JVM (loadtest --tls) finds itself on one CPU already: pinned by the first.
                pinnedSelf = pinnedSelf || ChildProcess.pinSelf(1);
                pinning = pinnedSelf ? "server and bare relay on CPU 0, load generator on CPU 1 (taskset)"
                        : "not applied (taskset failed)";
            } else {
                pinning = spawn ? "not applied (no taskset, or fewer than 2 CPUs)" : "not applied (external server)";
            }
            int cpu = pinning.startsWith("server") ? 0 : -1;
            SpawnedServer server = null;
            if (spawn) {
                secret = new byte[32];
                new SecureRandom().nextBytes(secret);
                Path data = work.resolve("data");
                Files.createDirectories(data);
                Files.writeString(data.resolve("token.secret"), Base64.getEncoder().encodeToString(secret) + "\n",
                        StandardCharsets.US_ASCII);
                Path config = work.resolve("loadtest.yaml");
                Files.writeString(config, new Population(s).configYaml(0), StandardCharsets.UTF_8);
                server = new SpawnedServer(launch.server(), tls ? TlsFront.serverArguments() : List.of(), config, data,
                        work, cpu);
                children.add(server);
                target = URI.create((tls ? "https" : "http") + "://127.0.0.1:" + server.port());
            }
            URI bare = null;
            if (bareRelay && launch != null && launch.java() != null) {
                List<String> cmd = new ArrayList<>(launch.java());
                cmd.addAll(List.of("-Xmx256m", "fi.palvelurinki.loadtest.relay.BareRelay", "0", "1"));
                ChildProcess relay = ChildProcess.start(cmd, cpu, Pattern.compile("bare relay listening on (\\d+)"),
                        work.resolve("bare-relay.log"), 60);
                children.add(0, relay);
                bare = URI.create("ws://127.0.0.1:" + relay.port() + "/relay");
            }
            out.println("Load test, scenario " + s.name() + ": " + s.description());
            out.printf(Locale.ROOT, "  target %s%s; %d points x %d advisors, %d rings x %d experts, %,d idle sessions, "
                    + "%,d storm clients; rate %.1f/s for %s; seed %d%n", target, spawn ? " (started here)" : "",
                    s.points(), s.advisorsPerPoint(), s.rings(), s.expertsPerRing(), s.idleSessions(), s.stormClients(),
                    s.rate(), s.duration(), s.seed());
            out.println("  CPU pinning: " + pinning + "; load average before: " + loadAverage());
            Result r = new LoadGenerator(new LoadGenerator.Options(s, new LoadGenerator.Target(target, secret, bare, server),
                    clientThreads, out)).run();
            out.println("  load average after: " + loadAverage() + (spawn ? "; server log " + server.log() : ""));
            return r;
        } finally {
            for (AutoCloseable c : children) {
                c.close();
            }
            // The logs stay for a look after the run; the server's journal is only this run's scratch.
            Directories.deleteTree(work.resolve("data"));
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
