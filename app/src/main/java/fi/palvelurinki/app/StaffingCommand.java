package fi.palvelurinki.app;

import fi.palvelurinki.signaling.config.Durations;

import fi.palvelurinki.broker.analytics.Erlang;
import fi.palvelurinki.broker.analytics.Formats;
import fi.palvelurinki.broker.analytics.HtmlReport;
import fi.palvelurinki.broker.analytics.RecordedTraffic;
import fi.palvelurinki.broker.analytics.StaffingEstimate;
import fi.palvelurinki.broker.analytics.Workload;
import fi.palvelurinki.broker.journal.JournalCorruptedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "staffing", mixinStandardHelpOptions = true,
        header = "Experts needed for a service level (Erlang C, Erlang A).",
        description = {"How many experts a ring needs: Erlang C, or Erlang A when a mean patience is given. Without "
                + "--agents, finds the fewest experts that reach the target; with it, evaluates that many.",
                "The workload is typed (--arrivals, --period, --aht) or recorded: --data DIR --ring RING takes the ring's "
                + "arrivals over the period covered (--from, --to) and their mean handle time from the journal. For an "
                + "interpreter ring they are its interpreter needs.",
                "--json prints {\"offered_load_erlangs\":…,\"agents\":…,\"p_wait\":…,\"service_level\":…,"
                + "\"asa_seconds\":…,\"occupancy\":…,\"p_abandon\":…} (p_abandon only with --patience)."})
final class StaffingCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--arrivals", paramLabel = "N", description = "Arrivals per period.")
    Double arrivals;

    @Option(names = "--period", paramLabel = "DURATION", description = "The period of the arrivals, e.g. 30m or 1h.")
    Duration period;

    @Option(names = "--aht", paramLabel = "DURATION", description = "Mean handle time (talk + wrap-up), e.g. 180s.")
    Duration aht;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Instead of --arrivals, --period and --aht: the recorded traffic of --ring in the broker's data directory DIR (read only).")
    Path data;

    @Option(names = "--journal-url", paramLabel = "URL", description = "Instead of --data: the journal in PostgreSQL, read only.")
    String journalUrl;

    @Option(names = "--ring", split = ",", paramLabel = "RING",
            description = "With --data: the ring whose recorded traffic is staffed; several (--ring a,b) are pooled.")
    List<String> rings;

    @Option(names = "--from", paramLabel = "TIME", description = "With --data: start of the period, as for report (default: the journal's start).")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "With --data: end of the period, exclusive (default: the journal's end).")
    String to;

    @Option(names = "--target", defaultValue = "0.8", paramLabel = "SHARE",
            description = "Service-level target, the share answered within the threshold (default ${DEFAULT-VALUE}).")
    double target;

    @Option(names = "--threshold", defaultValue = "20s", paramLabel = "DURATION",
            description = "Service-level threshold (default ${DEFAULT-VALUE}).")
    Duration threshold;

    @Option(names = "--patience", paramLabel = "DURATION",
            description = "Mean time customers wait before giving up: switches to Erlang A.")
    Duration patience;

    @Option(names = "--agents", paramLabel = "N", description = "Evaluate this many experts instead of finding the fewest.")
    Integer agents;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        Workload w;
        StaffingEstimate chosen;
        String recorded = null;
        try {
            if (data != null || journalUrl != null || rings != null) {
                recorded = recorded();
            } else {
                requireTyped();
            }
            w = workload(arrivals, period, aht, patience);
            if (!(target > 0 && target < 1)) {
                throw new IllegalArgumentException("--target must be between 0 and 1 (e.g. 0.8), got " + target);
            }
            chosen = agents != null ? Erlang.evaluate(w, agents, seconds(threshold))
                    : Erlang.minimumAgents(w, seconds(threshold), target);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        } catch (JournalCorruptedException e) {
            spec.commandLine().getErr().println("staffing: the journal cannot be read: " + e.getMessage());
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(json(chosen));
        } else {
            if (recorded != null) {
                out.println(recorded);
            }
            table(out, w, chosen);
        }
        out.flush();
        return 0;
    }

    /** Without a journal the workload is typed: picocli's own words for what is missing. */
    private void requireTyped() {
        List<String> missing = new ArrayList<>();
        if (arrivals == null) {
            missing.add("'--arrivals=N'");
        }
        if (period == null) {
            missing.add("'--period=DURATION'");
        }
        if (aht == null) {
            missing.add("'--aht=DURATION'");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("Missing required option" + (missing.size() > 1 ? "s" : "") + ": "
                    + String.join(", ", missing) + " (or --data DIR --ring RING for the recorded traffic)");
        }
    }

    /**
     * Sets the workload from the journal: the ring's arrivals over the period covered and their mean recorded
     * handle time (the ring's configured expected handle time when none was recorded). Returns the line that
     * says so.
     */
    private String recorded() throws IOException {
        if (arrivals != null || period != null || aht != null) {
            throw new IllegalArgumentException("--arrivals, --period and --aht are for a workload typed in; with --data"
                    + " the ring's recorded traffic is staffed");
        }
        if (rings == null || rings.isEmpty()) {
            throw new IllegalArgumentException("with --data, name the ring(s) to staff with --ring");
        }
        JournalOptions journal = new JournalOptions();
        journal.data = data;
        journal.journalUrl = journalUrl;
        journal.from = from;
        journal.to = to;
        journal.grace = Duration.ofSeconds(10);
        journal.thresholds = List.of(threshold);
        RecordedTraffic t = RecordedTraffic.read(journal.journal(), new LinkedHashSet<>(rings), journal.analysis(0.8),
                null, 1, ReportCommand.progress(spec.commandLine().getErr(), "staffing", System::nanoTime));
        JournalWarnings.print(spec.commandLine().getErr(), "staffing", "these figures", t.unread());
        String what = t.interpreting() ? "interpreter needs" : "requests";
        String named = String.join(", ", rings);
        if (t.arrivals().isEmpty()) {
            throw new IllegalArgumentException("ring" + (rings.size() > 1 ? "s " : " ") + named + " had no " + what
                    + " in the period");
        }
        long spanMillis = Math.round((t.toSeconds() - t.fromSeconds()) * 1000);
        if (spanMillis <= 0) {
            throw new IllegalArgumentException("the period covered is an instant: give a longer --from/--to");
        }
        arrivals = (double) t.arrivals().size();
        period = Duration.ofMillis(spanMillis);
        aht = Duration.ofMillis(Math.round(t.meanHandleSeconds() * 1000));
        return String.format(Locale.ROOT, "staffing: %s, %s: %,d %s recorded, AHT %s s (%s)", named,
                HtmlReport.period(Instant.ofEpochMilli(Math.round(t.fromSeconds() * 1000)),
                        Instant.ofEpochMilli(Math.round(t.toSeconds() * 1000))), t.arrivals().size(), what,
                Formats.seconds(aht), t.handled() == 0 ? "configured; none recorded"
                        : "mean of " + t.handled() + " recorded");
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    /**
     * The workload of {@code --arrivals} per {@code --period} with {@code --aht} and {@code --patience},
     * refused in the options' own terms: the model's per-second rate is not what anyone typed.
     */
    static Workload workload(double arrivals, Duration period, Duration aht, Duration patience) {
        if (!(arrivals > 0) || Double.isInfinite(arrivals)) {
            throw new IllegalArgumentException("--arrivals must be a positive number, got " + Formats.decimal(arrivals, 6));
        }
        positive("--period", period);
        positive("--aht", aht);
        if (patience != null) {
            positive("--patience", patience);
        }
        return new Workload(arrivals / seconds(period), seconds(aht),
                patience == null ? Double.POSITIVE_INFINITY : seconds(patience));
    }

    private static void positive(String option, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(option + " must be positive, got " + Durations.format(d));
        }
    }

    static String json(StaffingEstimate e) {
        StringBuilder b = new StringBuilder("{");
        b.append("\"offered_load_erlangs\":").append(Formats.decimal(e.offeredLoadErlangs(), 6));
        b.append(",\"agents\":").append(e.agents());
        b.append(",\"p_wait\":").append(Formats.decimal(e.pWait(), 6));
        b.append(",\"service_level\":").append(Formats.decimal(e.serviceLevel(), 6));
        b.append(",\"asa_seconds\":").append(e.unstable() ? "null" : Formats.decimal(e.asaSeconds(), 6));
        b.append(",\"occupancy\":").append(Formats.decimal(e.occupancy(), 6));
        e.pAbandon().ifPresent(p -> b.append(",\"p_abandon\":").append(Formats.decimal(p, 6)));
        return b.append('}').toString();
    }

    private void table(PrintWriter out, Workload w, StaffingEstimate chosen) {
        boolean erlangA = !w.patient();
        String t = Formats.seconds(threshold);
        out.printf(Locale.ROOT, "%s: %s arrivals per %s, AHT %s s%s: %s erlangs offered%n", erlangA ? "Erlang A" : "Erlang C",
                Formats.decimal(arrivals, 3), Durations.format(period), Formats.seconds(aht),
                erlangA ? ", mean patience " + Formats.seconds(patience) + " s" : "", Formats.decimal(w.offeredLoad(), 4));
        out.printf(Locale.ROOT, "  experts  P(wait)  %9s  ASA s  occupancy%s%n", "SL(" + t + " s)", erlangA ? "  P(abandon)" : "");
        int first = agents != null ? chosen.agents() : Math.max(1, chosen.agents() - 2);
        int last = agents != null ? chosen.agents() : chosen.agents() + 2;
        for (int n = first; n <= last; n++) {
            StaffingEstimate e = n == chosen.agents() ? chosen : Erlang.evaluate(w, n, seconds(threshold));
            String mark = agents == null && n == chosen.agents() ? ">" : " ";
            out.printf(Locale.ROOT, "%s %7d  %7.4f  %9.4f  %5s  %9.4f%s%n", mark, n, e.pWait(), e.serviceLevel(),
                    e.unstable() ? "inf" : String.format(Locale.ROOT, "%.1f", e.asaSeconds()), e.occupancy(),
                    e.pAbandon().isPresent() ? String.format(Locale.ROOT, "  %10.4f", e.pAbandon().getAsDouble()) : "");
        }
        String goal = Math.round(target * 100) + " % within " + t + " s";
        if (agents == null) {
            out.printf(Locale.ROOT, "%d experts are the fewest that answer %s.%n", chosen.agents(), goal);
        } else if (chosen.unstable()) {
            out.printf(Locale.ROOT, "%d experts cannot carry %s erlangs: the queue grows without bound.%n", chosen.agents(),
                    Formats.decimal(w.offeredLoad(), 4));
        } else {
            out.printf(Locale.ROOT, "%d experts answer %s within %s s: the target of %d %% is %s.%n", chosen.agents(),
                    Formats.percent(chosen.serviceLevel()), t, Math.round(target * 100),
                    chosen.serviceLevel() >= target ? "met" : "not met");
        }
    }
}
