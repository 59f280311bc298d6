package fi.palvelurinki.app;

import fi.palvelurinki.loadtest.routing.RoutingBenchmark;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", header = "Benchmarks that run in-process.",
        subcommands = {BenchCommand.Routing.class}, mixinStandardHelpOptions = true)
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

        @Option(names = "--warm-up", defaultValue = "10s",
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

        @Override
        public Integer call() throws Exception {
            if (!fsync.equals("on") && !fsync.equals("off")) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--fsync must be on or off, got '" + fsync + "'");
            }
            RoutingBenchmark.Options o;
            try {
                o = new RoutingBenchmark.Options(duration, warmUp, rings, experts, points, rate, handle, peakWaiting,
                        declineShare, fsync.equals("on"), seed, data);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            RoutingBenchmark.Result r = new RoutingBenchmark(o).run(System.out);
            r.print(System.out);
            System.out.println(r.resultLine());
            return r.errors() == 0 ? 0 : 1;
        }
    }
}
