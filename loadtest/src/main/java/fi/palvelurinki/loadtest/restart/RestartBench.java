package fi.palvelurinki.loadtest.restart;

import fi.palvelurinki.broker.Broker;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.ScheduledTimerService;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.routing.LongestIdlePolicy;
import fi.palvelurinki.loadtest.ChildProcess;
import fi.palvelurinki.loadtest.Directories;
import fi.palvelurinki.loadtest.ServerProbe;
import fi.palvelurinki.signaling.auth.Role;
import fi.palvelurinki.signaling.auth.TokenService;
import fi.palvelurinki.signaling.config.ConfigFile;
import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * How long a server takes to come back with many requests waiting: writes a journal with
 * {@code waiting} requests spread over {@code advisors} advisors (in-process, fsync off), then starts
 * {@code serve} on it {@code runs} times (each from that same journal), each time timing process start to the
 * first {@code /healthz}
 * 200, then the first advisor's {@code hello} to its {@code welcome} (and the welcome's size), and
 * reading the slowest broker command from {@code /metrics}; each run ends with SIGKILL, as a crash would.
 */
public final class RestartBench {
    public record Options(int waiting, int advisors, int runs, List<String> serve, Path work) {
        public Options {
            if (waiting < 1 || advisors < 1 || advisors > waiting || runs < 1) {
                throw new IllegalArgumentException("need 1 <= advisors <= waiting and at least one run");
            }
        }
    }

    /**
     * @param healthzCpuMillis the server process's CPU time (all threads) until {@code /healthz} was OK: on
     *                         a machine shared with other work, a steadier figure than the wall time
     */
    public record Run(long healthzMillis, long healthzCpuMillis, long welcomeMillis, int welcomeBytes, int welcomeRequests,
            double slowestCommandMs) {}

    private final Options o;
    private final byte[] secret = new byte[32];

    public RestartBench(Options o) {
        this.o = o;
        new SecureRandom().nextBytes(secret);
    }

    public List<Run> run(PrintStream out) throws Exception {
        Path work = o.work() != null ? o.work() : Files.createTempDirectory("palvelurinki-restart");
        try {
            Path data = work.resolve("data");
            Files.createDirectories(data);
            Files.writeString(data.resolve("token.secret"), Base64.getEncoder().encodeToString(secret) + "\n",
                    StandardCharsets.US_ASCII);
            Path config = work.resolve("restart.yaml");
            Files.writeString(config, configYaml(), StandardCharsets.UTF_8);
            long t0 = System.nanoTime();
            writeJournal(config, data);
            out.printf(Locale.ROOT, "journal: %d waiting requests of %d advisors written in %.1f s%n", o.waiting(),
                    o.advisors(), (System.nanoTime() - t0) / 1e9);
            // Each run starts from this journal: a run that outlasts the resume grace journals the advisors'
            // requests as abandoned, and the next run would replay that instead.
            Path pristine = work.resolve("journal-as-written");
            copyTree(data.resolve("journal"), pristine);
            List<Run> runs = new ArrayList<>();
            for (int i = 1; i <= o.runs(); i++) {
                Directories.deleteTree(data.resolve("journal"));
                copyTree(pristine, data.resolve("journal"));
                Run r = restart(config, data, work.resolve("server-" + i + ".log"));
                out.printf(Locale.ROOT, "run %d: healthz %d ms (server CPU %d ms), welcome %d ms (%d bytes, %d requests),"
                        + " slowest command %.1f ms%n", i, r.healthzMillis(), r.healthzCpuMillis(), r.welcomeMillis(),
                        r.welcomeBytes(), r.welcomeRequests(), r.slowestCommandMs());
                runs.add(r);
            }
            return runs;
        } finally {
            if (o.work() == null) {
                Directories.deleteTree(work);
            }
        }
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    public static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private String configYaml() {
        StringBuilder y = new StringBuilder(64 * o.advisors() + 1024);
        y.append("broker:\n  fsync: false\n  maxActiveRequests: ").append(Math.max(200_000, o.waiting()))
                .append("\n  maxActiveRequestsPerPoint: ").append(o.waiting()).append('\n');
        y.append("media: { embeddedStun: false }\n");
        y.append("authorities:\n  - { id: kela, name: Kela }\n");
        y.append("rings:\n  - { id: kela, authority: kela, name: Kela, languages: [fi] }\n");
        y.append("points:\n  - { id: p1, name: Point 1, municipality: M, rooms: 20 }\n");
        y.append("advisors:\n");
        for (int a = 0; a < o.advisors(); a++) {
            y.append("  - { id: a").append(a).append(", name: Advisor ").append(a).append(", point: p1 }\n");
        }
        y.append("experts:\n  - { id: e1, name: Expert 1, rings: [kela], languages: [fi] }\n");
        y.append("operators:\n  - { id: op, name: Operator }\n");
        return y.toString();
    }

    private void writeJournal(Path config, Path data) throws Exception {
        ConfigFile.Deployment d = ConfigFile.parse(new ByteArrayInputStream(Files.readAllBytes(config)), config.toString());
        InstantSource clock = InstantSource.system();
        try (Broker b = Broker.start(d.broker().toBrokerConfig(data), clock, new ScheduledTimerService(clock),
                new LongestIdlePolicy(), n -> { }, null)) {
            for (Command c : d.seed()) {
                b.submit(c).get(30, TimeUnit.SECONDS);
            }
            List<CompletableFuture<Reply>> inFlight = new ArrayList<>();
            for (int i = 0; i < o.waiting(); i++) {
                inFlight.add(b.submit(Command.RequestCall.instant("a" + (i % o.advisors()), "kela", "general",
                        Language.FI, "waiting " + i)));
                if (inFlight.size() == 10_000) {
                    for (CompletableFuture<Reply> f : inFlight) {
                        f.get(60, TimeUnit.SECONDS);
                    }
                    inFlight.clear();
                }
            }
            for (CompletableFuture<Reply> f : inFlight) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
    }

    private Run restart(Path config, Path data, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(o.serve());
        cmd.addAll(List.of("--config", config.toString(), "--data", data.toString(), "--port", "0", "--host", "127.0.0.1"));
        long start = System.nanoTime();
        ChildProcess server = ChildProcess.start(cmd, -1, Pattern.compile("Palvelurinki is running at http://[^:]+:(\\d+)"),
                log, 300);
        try {
            URI base = URI.create("http://127.0.0.1:" + server.port());
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            while (true) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/healthz"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    break;
                }
                Thread.sleep(10);
            }
            long healthz = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            long cpu = ProcessHandle.of(server.pid()).flatMap(h -> h.info().totalCpuDuration()).map(Duration::toMillis)
                    .orElse(-1L);
            String token = new TokenService(secret, InstantSource.system()).issue("a0", Role.ADVISOR, "p1", List.of(),
                    Duration.ofMinutes(10));
            long helloAt = System.nanoTime();
            String welcome = welcome(http, URI.create("ws://127.0.0.1:" + server.port() + "/ws"), token);
            long welcomeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - helloAt);
            int requests = welcome.split("\"requestId\"", -1).length - 1;
            double slowest = new ServerProbe(base).sum("palvelurinki_broker_command_seconds_max", "") * 1000;
            return new Run(healthz, cpu, welcomeMs, welcome.getBytes(StandardCharsets.UTF_8).length, requests, slowest);
        } finally {
            // As a crash would: the next start recovers from the journal as it is.
            ProcessHandle.of(server.pid()).ifPresent(ProcessHandle::destroyForcibly);
            server.close();
        }
    }

    private static String welcome(HttpClient http, URI ws, String token) throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .buildAsync(ws, new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            first.complete(text.toString());
                        }
                        w.request(1);
                        return null;
                    }
                }).get(30, TimeUnit.SECONDS);
        socket.sendText("{\"type\":\"hello\",\"id\":\"h1\"}", true);
        try {
            return first.get(120, TimeUnit.SECONDS);
        } finally {
            socket.abort();
        }
    }
}
