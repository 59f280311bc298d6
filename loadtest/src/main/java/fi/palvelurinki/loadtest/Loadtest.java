package fi.palvelurinki.loadtest;

import fi.palvelurinki.broker.journal.ScratchPostgres;
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
        return run(s, target == null ? List.of() : List.of(target), secret, launch, clientThreads, bareRelay, pin, tls,
                out);
    }

    /**
     * As above, against {@code targets}: one server, or the two nodes of one PostgreSQL journal (the clients know
     * both and go to the other when one refuses); empty to start what the scenario needs (two nodes and a scratch
     * PostgreSQL when it has {@code nodes: 2}).
     */
    public static Result run(Scenario s, List<URI> targets, byte[] secret, Launch launch, int clientThreads,
            boolean bareRelay, boolean pin, boolean tls, PrintStream out) throws Exception {
        boolean spawn = targets.isEmpty();
        if (!spawn && !s.killAt().isZero()) {
            throw new IllegalArgumentException("scenario " + s.name() + (s.nodes() > 1 ? " kills the active node"
                    : " kills and restarts the server") + ": run it with --spawn-server, not --target");
        }
        if (spawn && s.nodes() > 1 && tls) {
            throw new IllegalArgumentException("scenario " + s.name() + " runs two nodes over plain http only (no --tls)");
        }
        List<AutoCloseable> children = new ArrayList<>();
        Path work = Files.createTempDirectory("palvelurinki-loadtest-");
        // Ctrl-C ends this JVM without the finally below: the server JVMs and PostgreSQL must not outlive it.
        Thread cleanup = new Thread(() -> closeAll(children), "loadtest-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
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
            ServerControl server = null;
            Path serverLog = null;
            int first = 0;
            if (spawn && s.nodes() > 1) {
                secret = new byte[32];
                new SecureRandom().nextBytes(secret);
                ScratchPostgres pg = ScratchPostgres.start("loadtest", 50);
                children.add(pg);
                SpawnedNodes nodes = new SpawnedNodes(launch.server(), new Population(s).configYaml(0), secret,
                        pg.createDatabase("loadtest"), work, cpu);
                // Before PostgreSQL in the list: the nodes stop first.
                children.add(children.size() - 1, nodes);
                server = nodes;
                targets = nodes.urls();
                serverLog = nodes.log(0);
                out.println("  two nodes on a scratch PostgreSQL journal: active " + targets.get(0) + ", standby "
                        + targets.get(1) + " (logs " + nodes.log(0) + ", " + nodes.log(1) + ")");
            } else if (spawn) {
                secret = new byte[32];
                new SecureRandom().nextBytes(secret);
                Path data = work.resolve("data");
                Files.createDirectories(data);
                Files.writeString(data.resolve("token.secret"), Base64.getEncoder().encodeToString(secret) + "\n",
                        StandardCharsets.US_ASCII);
                Path config = work.resolve("loadtest.yaml");
                Files.writeString(config, new Population(s).configYaml(0), StandardCharsets.UTF_8);
                SpawnedServer one = new SpawnedServer(launch.server(), tls ? TlsFront.serverArguments() : List.of(), config,
                        data, work, cpu);
                children.add(one);
                server = one;
                serverLog = one.log();
                targets = List.of(one.http());
            } else if (targets.size() > 1) {
                first = serving(targets, out);
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
            String target = targets.size() == 1 ? targets.get(0).toString() : String.join(", ", targets.stream()
                    .map(URI::toString).toList()) + " (serving first: " + targets.get(first) + ")";
            out.printf(Locale.ROOT, "  target %s%s; %d points x %d advisors, %d rings x %d experts, %,d idle sessions, "
                    + "%,d storm clients; rate %.1f/s for %s; seed %d%n", target, spawn ? " (started here)" : "",
                    s.points(), s.advisorsPerPoint(), s.rings(), s.expertsPerRing(), s.idleSessions(), s.stormClients(),
                    s.rate(), s.duration(), s.seed());
            out.println("  CPU pinning: " + pinning + "; load average before: " + loadAverage());
            Result r = new LoadGenerator(new LoadGenerator.Options(s, new LoadGenerator.Target(targets, first, secret,
                    bare, server), clientThreads, out)).run();
            if (server instanceof SpawnedServer one) {
                serverLog = one.log();
            }
            out.println("  load average after: " + loadAverage() + (spawn ? "; server log " + serverLog : ""));
            return r;
        } finally {
            closeAll(children);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // shutting down: the hook closes them
            }
            // The logs stay for a look after the run; the servers' journals are only this run's scratch.
            try (var dirs = Files.newDirectoryStream(work, "data*")) {
                for (Path d : dirs) {
                    Directories.deleteTree(d);
                }
            }
        }
    }

    private static void closeAll(List<AutoCloseable> children) {
        synchronized (children) {
            for (AutoCloseable c : children) {
                try {
                    c.close();
                } catch (Exception e) {
                    // the others are still to be closed
                }
            }
        }
    }

    /**
     * Of two nodes someone else runs, the one whose /healthz answers 200 (the active; a standby answers 503);
     * the first when none does yet (the clients find it).
     */
    private static int serving(List<URI> targets, PrintStream out) throws InterruptedException {
        ServerProbe.Health h = new ServerProbe.Health();
        for (int i = 0; i < targets.size(); i++) {
            if (h.serves(targets.get(i))) {
                return i;
            }
        }
        out.println("  none of " + targets + " answers /healthz as the active node yet; starting with the first");
        return 0;
    }

    /** {@code --target}'s value: one URL, or the nodes' URLs separated by commas; http(s) with a host. */
    public static List<URI> targets(String list) {
        List<URI> out = new ArrayList<>();
        for (String part : list.split(",", -1)) {
            String p = part.strip();
            URI u;
            try {
                u = URI.create(p);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--target: '" + p + "' is not a URL");
            }
            if (p.isEmpty() || u.getScheme() == null || !u.getScheme().matches("(?i)https?") || u.getHost() == null
                    || (u.getPath() != null && !u.getPath().isEmpty() && !u.getPath().equals("/"))) {
                throw new IllegalArgumentException("--target: '" + p + "' is not a server's base URL (http://HOST:PORT or "
                        + "https://HOST:PORT, a comma between two nodes)");
            }
            if (out.contains(u)) {
                throw new IllegalArgumentException("--target: " + u + " is named twice");
            }
            out.add(u);
        }
        if (out.size() > 2) {
            throw new IllegalArgumentException("--target: at most two nodes (an active one and a standby), got " + out.size());
        }
        return out;
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
