package fi.palvelurinki.app;

import fi.palvelurinki.loadtest.restart.RestartBench;
import fi.palvelurinki.loadtest.routing.RoutingBenchmark;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", header = "Benchmarks that run in-process.",
        subcommands = {BenchCommand.Routing.class, BenchCommand.Restart.class, BenchCommand.Jmh.class}, mixinStandardHelpOptions = true)
final class BenchCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "routing", mixinStandardHelpOptions = true,
            header = "Routing decisions per second and their latency, in-process.",
            description = {"Drives the broker in-process with Poisson arrivals over several rings and prints routing",
                    "decisions per second and decision latency. The last line is machine-readable:",
                    "RESULT routing_decisions_per_s=… decision_p50_us=… decision_p99_us=… journal_fsync=on|off"})
    static final class Routing implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--duration", defaultValue = "20s", description = "Measured run time (default ${DEFAULT-VALUE}).")
        Duration duration;

        // As long as the measured run: the warm-up then goes through each phase as long as the measured run
        // will, so the JIT has profiled every path at the lengths it will see. After 10 s, it was still
        // compiling (and throwing away code compiled for the shorter phases) for 0.7-3.6 s of the measured 20.
        @Option(names = "--warm-up", defaultValue = "20s",
                description = "Unmeasured run before, with the same phases, so the JIT has compiled the hot paths (default ${DEFAULT-VALUE}).")
        Duration warmUp;

        @Option(names = "--rings", defaultValue = "5", description = "Service rings, 1-8 (default ${DEFAULT-VALUE}).")
        int rings;

        @Option(names = "--experts", defaultValue = "300", description = "Experts, all signed in (default ${DEFAULT-VALUE}).")
        int experts;

        @Option(names = "--points", defaultValue = "150", description = "Service points, two advisors each (default ${DEFAULT-VALUE}).")
        int points;

        @Option(names = "--rate", defaultValue = "20000",
                description = "Calls per second; the last 40 %% of the run (the drain) at 0.7 × (default ${DEFAULT-VALUE}).")
        double rate;

        @Option(names = "--handle", defaultValue = "1ms",
                description = "Mean simulated handle time of a call (default ${DEFAULT-VALUE}).")
        Duration handle;

        @Option(names = "--peak-waiting", defaultValue = "2000",
                description = "Requests waiting at the peak: most experts take a break until this many wait (default ${DEFAULT-VALUE}).")
        int peakWaiting;

        @Option(names = "--decline-share", defaultValue = "0.05", description = "Share of offers declined (default ${DEFAULT-VALUE}).")
        double declineShare;

        @Option(names = "--fsync", defaultValue = "on", description = "Journal fsync: on or off (default ${DEFAULT-VALUE}).")
        String fsync;

        @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--data", description = "Journal directory to keep (default: a temporary one, deleted after).")
        Path data;

        @Option(names = "--journal", defaultValue = "file", description = {"file, or postgresql: the same run first on "
                + "the file journal, then on the PostgreSQL journal at --journal-url, compared (default ${DEFAULT-VALUE})."})
        String journal;

        @Option(names = "--journal-url", paramLabel = "URL",
                description = "With --journal postgresql: an empty PostgreSQL journal, jdbc:postgresql://…")
        String journalUrl;

        @Override
        public Integer call() throws Exception {
            if (!fsync.equals("on") && !fsync.equals("off")) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--fsync must be on or off, got '" + fsync + "'");
            }
            if (!journal.equals("file") && !journal.equals("postgresql")) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--journal must be file or postgresql, got '" + journal + "'");
            }
            if (journal.equals("postgresql") != (journalUrl != null)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--journal postgresql and --journal-url go together");
            }
            RoutingBenchmark.Options o;
            try {
                o = new RoutingBenchmark.Options(duration, warmUp, rings, experts, points, rate, handle, peakWaiting,
                        declineShare, fsync.equals("on"), seed, data, null);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            RoutingBenchmark.Result r = new RoutingBenchmark(o).run(System.out);
            r.print(System.out);
            if (journalUrl == null) {
                System.out.println(r.resultLine());
                return r.errors() == 0 ? 0 : 1;
            }
            // The baseline first, in the same run: the file journal on this machine's disk.
            System.out.println("file journal: " + r.resultLine().substring("RESULT ".length()));
            RoutingBenchmark.Result pg;
            try {
                System.out.println("the same on the PostgreSQL journal:");
                pg = new RoutingBenchmark(o.withJournalUrl(journalUrl)).run(System.out);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            pg.print(System.out);
            System.out.println(pg.resultLine() + String.format(java.util.Locale.ROOT,
                    " journal=postgresql file_routing_decisions_per_s=%d file_decision_p99_us=%d postgresql_to_file_ratio=%.3f",
                    r.decisionsPerSecond(), r.decisionP99Micros(),
                    r.decisionsPerSecond() == 0 ? 0.0 : (double) pg.decisionsPerSecond() / r.decisionsPerSecond()));
            return r.errors() == 0 && pg.errors() == 0 ? 0 : 1;
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true,
            header = "How long the server takes to come back with many requests waiting.",
            description = {"Writes a journal with many waiting requests, then starts the server on it several times",
                    "(each ended with SIGKILL) and times start to /healthz OK and an advisor's hello to welcome.",
                    "The last line is machine-readable:",
                    "RESULT restart_waiting=… healthz_ms_median=… healthz_cpu_ms_median=… welcome_ms_median=… welcome_bytes=…",
                    "slowest_command_ms_max=… (CPU: the server's CPU time until healthz, steadier on a shared machine)"})
    static final class Restart implements java.util.concurrent.Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--waiting", defaultValue = "100000", description = "Waiting requests in the journal (default ${DEFAULT-VALUE}).")
        int waiting;

        @Option(names = "--advisors", defaultValue = "1000",
                description = "Advisors the requests are spread over, round robin (default ${DEFAULT-VALUE}).")
        int advisors;

        @Option(names = "--runs", defaultValue = "3", description = "Starts to time (default ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--server-heap", defaultValue = "1g", description = "The server's -Xmx (default ${DEFAULT-VALUE}).")
        String serverHeap;

        @Option(names = "--work", description = "Directory for the journal, configuration and logs (default: a temporary one, deleted after).")
        Path work;

        @Option(names = "--server-jar", description = "Start the server from this jar instead of this build (to compare builds).")
        Path serverJar;

        @Override
        public Integer call() throws Exception {
            if (waiting < 1 || advisors < 1 || advisors > waiting || runs < 1) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "need --waiting ≥ 1, --advisors between 1 and --waiting, and --runs ≥ 1");
            }
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> serve = serverJar != null ? List.of(java, "-Xmx" + serverHeap, "-jar", serverJar.toString(), "serve")
                    : List.of(java, "-Xmx" + serverHeap, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                            "serve");
            List<RestartBench.Run> done = new RestartBench(new RestartBench.Options(waiting, advisors, runs, serve, work))
                    .run(System.out);
            List<Long> healthz = new ArrayList<>();
            List<Long> cpu = new ArrayList<>();
            List<Long> welcome = new ArrayList<>();
            double slowest = 0;
            for (RestartBench.Run r : done) {
                healthz.add(r.healthzMillis());
                cpu.add(r.healthzCpuMillis());
                welcome.add(r.welcomeMillis());
                slowest = Math.max(slowest, r.slowestCommandMs());
            }
            System.out.printf(Locale.ROOT, "RESULT restart_waiting=%d healthz_ms_median=%d healthz_cpu_ms_median=%d"
                    + " welcome_ms_median=%d welcome_bytes=%d slowest_command_ms_max=%.1f%n", waiting,
                    RestartBench.median(healthz), RestartBench.median(cpu), RestartBench.median(welcome),
                    done.get(0).welcomeBytes(), slowest);
            return 0;
        }
    }

    @Command(name = "jmh", header = "Microbenchmarks (JMH) of the hot paths.",
            description = {"Runs the JMH benchmarks built into this jar (loadtest/src/main/java/.../jmh). Every argument",
                    "is JMH's own: a regular expression selecting benchmarks, then JMH options, e.g.",
                    "  bench jmh -l                            list the benchmarks",
                    "  bench jmh Decision -p waiting=2000      one benchmark, one parameter value",
                    "  bench jmh Decision -prof gc -f 1 -wi 3  with allocation per operation",
                    "  bench jmh -h                            JMH's options"})
    static final class Jmh implements Callable<Integer> {
        @picocli.CommandLine.Unmatched
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            org.openjdk.jmh.runner.options.CommandLineOptions options;
            try {
                options = new org.openjdk.jmh.runner.options.CommandLineOptions(args.toArray(String[]::new));
            } catch (org.openjdk.jmh.runner.options.CommandLineOptionException e) {
                System.err.println("bench jmh: " + e.getMessage());
                return 2;
            }
            org.openjdk.jmh.runner.Runner runner = new org.openjdk.jmh.runner.Runner(options);
            if (options.shouldHelp()) {
                options.showHelp();
            } else if (options.shouldList()) {
                runner.list();
            } else if (options.shouldListWithParams()) {
                runner.listWithParams(options);
            } else if (options.shouldListProfilers()) {
                options.listProfilers();
            } else if (options.shouldListResultFormats()) {
                options.listResultFormats();
            } else {
                try {
                    runner.run();
                } catch (org.openjdk.jmh.runner.NoBenchmarksException e) {
                    System.err.println("bench jmh: no benchmark matches " + args + "; `bench jmh -l` lists them");
                    return 1;
                } catch (org.openjdk.jmh.runner.RunnerException e) {
                    System.err.println("bench jmh: " + e.getMessage());
                    return 1;
                }
            }
            return 0;
        }
    }
}
