package fi.palvelurinki.app;

import fi.palvelurinki.loadtest.Loadtest;
import fi.palvelurinki.loadtest.Population;
import fi.palvelurinki.loadtest.Result;
import fi.palvelurinki.loadtest.TlsFront;
import fi.palvelurinki.loadtest.Scenario;
import fi.palvelurinki.signaling.auth.TokenSecret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "loadtest", mixinStandardHelpOptions = true,
        header = "Load test: a scenario's users against a server, with baselines.",
        description = {"Plays a scenario's service points, advisors and experts against a server over the WebSocket",
                "protocol (Netty clients) and measures what users feel, against baselines measured in the same run",
                "(the server's plain relay, enabled by --bench-relay, and a bare Netty relay). Scenarios: national-day,",
                "peak, reconnect-storm, soak, hold, restart (kills the server with SIGKILL mid-run and restarts it; needs",
                "--spawn-server), failover (two nodes on a scratch PostgreSQL, the active one killed with SIGKILL mid-run;",
                "needs --spawn-server) (docs/performance.md). The last line is machine-readable:",
                "RESULT scenario=… click_to_ring_p50_ms=… click_to_ring_p99_ms=… relay_p99_ms=… baseline_relay_p99_ms=…",
                "relay_ratio_p99=… sessions=… heap_per_session_kb=… errors=… (then further figures; - where not measured)"})
final class LoadtestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--target", paramLabel = "URL[,URL]", description = {"The server to load, e.g. http://127.0.0.1:8080 (started "
            + "with --bench-relay and the scenario's configuration, see --write-config); or two nodes on one PostgreSQL",
            "journal, e.g. http://a:8080,http://b:8081: the clients know both and go to the other when one refuses."})
    String target;

    @Option(names = "--spawn-server", description = "Start the server as a child JVM with the scenario's configuration "
            + "(pinned to CPU 0 with taskset where available; the load generator on CPU 1).")
    boolean spawnServer;

    @Option(names = "--scenario", defaultValue = "national-day", description = "Scenario (default ${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--duration", description = "Measured call traffic time (default: the scenario's).")
    Duration duration;

    @Option(names = "--rate", description = "Calls per second (default: the scenario's).")
    Double rate;

    @Option(names = "--secret-file", description = "With --target: the server's token secret file, both nodes' with two (default DATA/token.secret).")
    Path secretFile;

    @Option(names = "--data", defaultValue = "data", description = "With --target: the server's data directory (default ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--write-config", description = "Write the scenario's server configuration to this file and exit "
            + "(to start a server for --target with it).")
    Path writeConfig;

    @Option(names = "--client-threads", defaultValue = "2", description = "Netty event loops of the clients (default ${DEFAULT-VALUE}).")
    int clientThreads;

    @Option(names = "--no-bare-relay", description = "Do not start and measure the bare Netty relay.")
    boolean noBareRelay;

    @Option(names = "--tls", description = {"With --spawn-server: run the scenario over plain ws, then again over https and",
            "wss (the server with a throwaway self-signed certificate), and close with what TLS costs on click-to-ring",
            "and the relay ceiling. A --target https://… URL is loaded over wss without this flag."})
    boolean tls;

    @Option(names = "--server-heap", defaultValue = "1g", description = "-Xmx of the spawned server (default ${DEFAULT-VALUE}).")
    String serverHeap;

    @Override
    public Integer call() throws Exception {
        Scenario s;
        try {
            s = Scenario.load(scenario);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (duration != null) {
            s = s.withDuration(duration);
        }
        if (rate != null) {
            s = s.withRate(rate);
        }
        if (writeConfig != null) {
            Files.writeString(writeConfig, new Population(s).configYaml(8080), StandardCharsets.UTF_8);
            System.out.println("wrote " + writeConfig + "; start the server with: bin/palvelurinki serve --config "
                    + writeConfig + " --bench-relay");
            return 0;
        }
        if ((target == null) == !spawnServer) {
            throw new ParameterException(spec.commandLine(), "give either --target URL or --spawn-server");
        }
        if (tls && !spawnServer) {
            throw new ParameterException(spec.commandLine(), "--tls compares ws and wss with --spawn-server; to load a "
                    + "server of your own over wss give --target https://…");
        }
        List<URI> targets = List.of();
        if (target != null) {
            try {
                targets = Loadtest.targets(target);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            if (!s.killAt().isZero()) {
                throw new ParameterException(spec.commandLine(), "scenario " + s.name() + " kills "
                        + (s.nodes() > 1 ? "the active node" : "and restarts the server") + ": run it with --spawn-server");
            }
        }
        if (tls && s.nodes() > 1) {
            throw new ParameterException(spec.commandLine(), "scenario " + s.name() + " runs two nodes over plain http only; "
                    + "--tls is for one server");
        }
        byte[] secret = null;
        if (target != null) {
            secret = TokenSecret.read(secretFile != null ? secretFile : TokenSecret.defaultFile(data));
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = System.getProperty("java.class.path");
        List<String> javaCp = List.of(java, "-cp", classPath);
        List<String> server = new ArrayList<>(List.of(java, "-Xms" + serverHeap, "-Xmx" + serverHeap, "-cp", classPath,
                Main.class.getName(), "serve"));
        Loadtest.Launch launch = new Loadtest.Launch(spawnServer ? server : null, javaCp);
        Result r = Loadtest.run(s, targets, secret, launch, clientThreads, !noBareRelay, true, false, System.out);
        if (tls && spawnServer) {
            System.out.println(r.line().replaceFirst("^RESULT", "RESULT-WS"));
            System.out.println();
            Result overTls = Loadtest.run(s, (URI) null, null, launch, clientThreads, !noBareRelay, true, true, System.out);
            r = TlsFront.compare(r, overTls, System.out);
        }
        System.out.println(r.line());
        return r.errors() == 0 ? 0 : 1;
    }
}
