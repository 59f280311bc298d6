package fi.palvelurinki.app;

import fi.palvelurinki.signaling.config.Durations;

import fi.palvelurinki.broker.analytics.Arrival;
import fi.palvelurinki.broker.analytics.ExpertSchedule;
import fi.palvelurinki.broker.analytics.Formats;
import fi.palvelurinki.broker.analytics.HtmlReport;
import fi.palvelurinki.broker.analytics.QueueFigures;
import fi.palvelurinki.broker.analytics.RecordedTraffic;
import fi.palvelurinki.broker.analytics.SimulationJson;
import fi.palvelurinki.broker.analytics.Simulator;
import fi.palvelurinki.broker.analytics.Workload;
import fi.palvelurinki.broker.journal.JournalCorruptedException;
import fi.palvelurinki.broker.ring.OpeningHours;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "simulate", mixinStandardHelpOptions = true,
        header = "What-if: other staffing against recorded or Poisson arrivals.",
        description = {"What-if: replays the recorded requests of one or more rings (several are pooled into one queue), "
                + "or Poisson arrivals, against another number of experts per hour, and reports the same figures as "
                + "recorded. Deterministic for a given --seed.",
                "Booked calls: the requests of started bookings (and requests an advisor marked as booked) are replayed "
                + "as booked calls, served first; --booked-slot and --booked-to-instant change only those, and the "
                + "command says so when there are none."})
final class SimulateCommand implements Callable<Integer> {
    /** Poisson runs start on a Monday at midnight, Finnish time, so that an hourly schedule reads as usual. */
    static final Instant POISSON_START = LocalDate.of(2026, 1, 5).atStartOfDay(OpeningHours.ZONE).toInstant();

    @Spec
    CommandSpec spec;

    @Option(names = "--experts", required = true, paramLabel = "SCHEDULE",
            description = "Experts signed in: a number (4), or Finnish hours with a number each (8-12=4,12-16=3; other hours none).")
    String experts;

    @Mixin
    JournalOptions journal;

    @Option(names = "--ring", split = ",", paramLabel = "RING",
            description = "With --data: the ring whose requests are replayed; several (--ring a,b) are pooled into one queue.")
    List<String> rings;

    @Option(names = "--arrivals", paramLabel = "N", description = "Without --data: Poisson arrivals per --period.")
    Double arrivals;

    @Option(names = "--period", paramLabel = "DURATION", description = "The period of --arrivals, e.g. 30m.")
    Duration period;

    @Option(names = "--aht", paramLabel = "DURATION", description = "Without --data: mean handle time, exponential.")
    Duration aht;

    @Option(names = "--length", defaultValue = "30d", paramLabel = "DURATION",
            description = "Without --data: how long to simulate (default ${DEFAULT-VALUE}).")
    Duration length;

    @Option(names = "--patience", paramLabel = "DURATION",
            description = "Mean patience, exponential (default: estimated from the journal; without --data, nobody gives up).")
    Duration patience;

    @Option(names = "--answer-delay", paramLabel = "DURATION",
            description = "Ringing before an expert answers (default: the recorded mean; without --data 0s).")
    Duration answerDelay;

    @Option(names = "--booked-slot", defaultValue = "0s", paramLabel = "DURATION",
            description = "A booked call holds its expert at least this long, the fixed booking length (default: no slot).")
    Duration bookedSlot;

    @Option(names = "--booked-to-instant", defaultValue = "0", paramLabel = "SHARE",
            description = "Share of booked calls made instant calls instead, 0-1 (default ${DEFAULT-VALUE}).")
    double bookedToInstant;

    @Option(names = "--callback-share", defaultValue = "0", paramLabel = "SHARE",
            description = "Share of the customers still waiting after --callback-after whose advisor turns the wait into a"
                    + " call-back, 0-1 (default ${DEFAULT-VALUE}); prints the points' waiting time with and without.")
    double callbackShare;

    @Option(names = "--callback-after", defaultValue = "5m", paramLabel = "DURATION",
            description = "How long a point waits before it asks for a call-back (default ${DEFAULT-VALUE}).")
    Duration callbackAfter;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print one JSON object of the simulated figures.")
    boolean json;

    private record Row(String name, Function<Figures, String> value) {}

    /** Recorded figures have no P(wait), occupancy or expert hours: the journal's experts were not the simulated ones. */
    private record Figures(QueueFigures queue, Simulator.Result simulated) {}

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try {
            ExpertSchedule schedule = ExpertSchedule.parse(experts);
            if (journal.given()) {
                return replay(out, schedule);
            }
            return poisson(out, schedule);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        } catch (JournalCorruptedException e) {
            spec.commandLine().getErr().println("simulate: the journal cannot be read: " + e.getMessage());
            return 1;
        }
    }

    private int replay(PrintWriter out, ExpertSchedule schedule) throws IOException {
        if (arrivals != null || aht != null || period != null) {
            throw new IllegalArgumentException("--arrivals, --period and --aht are for Poisson arrivals; with --data the"
                    + " recorded requests are replayed");
        }
        if (rings == null || rings.isEmpty()) {
            throw new IllegalArgumentException("with --data, name the ring(s) to replay with --ring");
        }
        RecordedTraffic t = RecordedTraffic.read(journal.journal(), new LinkedHashSet<>(rings),
                journal.analysis(0.8), patience == null ? null : seconds(patience), seed,
                ReportCommand.progress(spec.commandLine().getErr(), "simulate", System::nanoTime));
        JournalWarnings.print(spec.commandLine().getErr(), "simulate", "this simulation", t.unread());
        if (t.arrivals().isEmpty()) {
            throw new IllegalArgumentException("ring" + (rings.size() > 1 ? "s " : " ") + String.join(", ", rings)
                    + " had no " + (t.interpreting() ? "interpreter needs" : "requests") + " in the period");
        }
        double delay = answerDelay == null ? t.answerDelaySeconds() : seconds(answerDelay);
        Simulator.Result r = Simulator.run(t.arrivals().iterator(), config(schedule, delay));
        Simulator.Result without = callbackShare > 0
                ? Simulator.run(t.arrivals().iterator(), config(schedule, delay, 0)) : null;
        if (json) {
            out.println(SimulationJson.figures(r.queue(), r, journal.thresholds));
        } else {
            Arrival last = t.arrivals().get(t.arrivals().size() - 1);
            String what = t.interpreting() ? "interpreter needs" : "requests";
            out.printf(Locale.ROOT, "simulate: recorded %s of %s%s, %s: %,d %s, %,d booked%n", what,
                    String.join(", ", rings), rings.size() > 1 ? " pooled into one queue" : "",
                    HtmlReport.period(t.firstArrival(), Instant.ofEpochMilli(Math.round(last.at() * 1000))),
                    t.arrivals().size(), what, t.booked());
            out.printf(Locale.ROOT, "experts %s · seed %d · mean patience %s · ringing %s s (%s)%n", schedule, seed,
                    patienceText(t), Formats.number(delay), answerDelay == null ? "recorded mean" : "given");
            table(out, List.of("recorded", "simulated"), List.of(new Figures(t.recorded(), null), new Figures(r.queue(), r)));
            bookedNote(out, r);
            callbackNote(out, r, without);
        }
        recordedCapacityWarning(t, schedule);
        out.flush();
        return 0;
    }

    /** The recorded requests' load over their span, for {@link #capacityWarning}. */
    private void recordedCapacityWarning(RecordedTraffic t, ExpertSchedule schedule) {
        List<Arrival> a = t.arrivals();
        double span = a.get(a.size() - 1).at() - a.get(0).at();
        if (span <= 0) {
            return;
        }
        double handled = a.stream().mapToDouble(Arrival::handleSeconds).sum();
        boolean patient = a.stream().allMatch(x -> Double.isInfinite(x.patienceSeconds()));
        capacityWarning(spec.commandLine().getErr(), schedule, handled / span, patient, false);
    }

    private String patienceText(RecordedTraffic t) {
        if (patience != null) {
            return Formats.seconds(patience) + " s (given)";
        }
        return Double.isInfinite(t.meanPatienceSeconds()) ? "unlimited (nobody gave up)"
                : Math.round(t.meanPatienceSeconds()) + " s (estimated from the journal)";
    }

    private int poisson(PrintWriter out, ExpertSchedule schedule) {
        if (arrivals == null || period == null || aht == null) {
            throw new IllegalArgumentException("give either --data DIR --ring RING (replay) or --arrivals N --period"
                    + " DURATION --aht DURATION (Poisson)");
        }
        if (rings != null || journal.from != null || journal.to != null) {
            throw new IllegalArgumentException("--ring, --from and --to need recorded requests (--data)");
        }
        if (bookedToInstant > 0 || !bookedSlot.isZero()) {
            throw new IllegalArgumentException("Poisson arrivals are all instant calls: --booked-slot and --booked-to-instant"
                    + " need recorded requests (--data)");
        }
        if (length.isZero() || length.isNegative()) {
            throw new IllegalArgumentException("--length must be positive, got " + Durations.format(length));
        }
        Workload w = StaffingCommand.workload(arrivals, period, aht, patience);
        double delay = answerDelay == null ? 0 : seconds(answerDelay);
        Iterator<Arrival> source = Simulator.poisson(w, POISSON_START.getEpochSecond(), seconds(length), seed);
        if (!source.hasNext()) {
            throw new IllegalArgumentException("no arrival in " + Durations.format(length) + " at this rate; simulate longer");
        }
        Simulator.Result r = Simulator.run(source, config(schedule, delay));
        Simulator.Result without = callbackShare > 0 ? Simulator.run(Simulator.poisson(w, POISSON_START.getEpochSecond(),
                seconds(length), seed), config(schedule, delay, 0)) : null;
        if (json) {
            out.println(SimulationJson.figures(r.queue(), r, journal.thresholds));
        } else {
            out.printf(Locale.ROOT, "simulate: Poisson arrivals, %s per %s, AHT %s s (exponential), for %s: %,d customers%n",
                    Formats.decimal(arrivals, 3), Durations.format(period), Formats.seconds(aht), Durations.format(length),
                    r.queue().offered());
            out.printf(Locale.ROOT, "experts %s · seed %d · mean patience %s · ringing %s s%n", schedule, seed,
                    patience == null ? "unlimited" : Formats.seconds(patience) + " s", Formats.number(delay));
            table(out, List.of("simulated"), List.of(new Figures(r.queue(), r)));
            callbackNote(out, r, without);
        }
        capacityWarning(spec.commandLine().getErr(), schedule, w.offeredLoad(), w.patient(), true);
        out.flush();
        return 0;
    }

    /**
     * What {@code staffing} says of experts who cannot carry the load, said here too: the simulated waits
     * then measure how long the run was, not the staffing. Offered load is erlangs (arrivals per second ×
     * mean handle time) averaged over the run; the schedule's experts are averaged over the day. Customers
     * who give up keep a queue bounded, so this is said only when nobody does. {@code allDay}: arrivals
     * come evenly at every hour (Poisson), so hours short of the load can be named too.
     */
    static void capacityWarning(PrintWriter err, ExpertSchedule schedule, double offeredErlangs, boolean patient,
            boolean allDay) {
        if (!patient) {
            return;
        }
        double experts = java.util.stream.IntStream.range(0, 24).map(schedule::at).average().orElse(0);
        if (experts <= offeredErlangs) {
            String given = schedule.toString();
            err.printf(Locale.ROOT, "warning: %s experts%s cannot carry %s erlangs: the queue grows without bound, so "
                    + "the waits above grow with the length of the run%n", Formats.decimal(experts, 2),
                    given.matches("\\d+") ? "" : " on average (" + given + ")", Formats.decimal(offeredErlangs, 4));
        } else if (allDay) {
            StringBuilder hours = new StringBuilder();
            for (int h = 0; h < 24; h++) {
                int from = h;
                while (h < 24 && schedule.at(h) <= offeredErlangs) {
                    h++;
                }
                if (h > from) {
                    hours.append(hours.length() == 0 ? "" : ",").append(from).append('-').append(h);
                }
            }
            if (hours.length() > 0) {
                err.printf(Locale.ROOT, "note: at %s no more experts are signed in than the %s erlangs offered: the queue"
                        + " grows then and is worked off in the other hours%n", hours, Formats.decimal(offeredErlangs, 4));
            }
        }
        err.flush();
    }

    private Simulator.Config config(ExpertSchedule schedule, double delay) {
        return config(schedule, delay, callbackShare);
    }

    private Simulator.Config config(ExpertSchedule schedule, double delay, double callbacks) {
        return new Simulator.Config(schedule, delay, seconds(bookedSlot), bookedToInstant, seed, journal.grace,
                journal.thresholds, callbacks, seconds(callbackAfter));
    }

    /** What call-backs give the points: the time their advisors and customers no longer sit waiting. */
    private void callbackNote(PrintWriter out, Simulator.Result with, Simulator.Result without) {
        if (without == null) {
            return;
        }
        double h = with.pointWaiting().toMillis() / 3_600_000.0;
        double h0 = without.pointWaiting().toMillis() / 3_600_000.0;
        out.printf(Locale.ROOT, "call-backs: %,d waits (share %s of those longer than %s); points waited %s h instead"
                + " of %s h (%s h freed); ASA %s instead of %s%n", with.callbacks(), Formats.decimal(callbackShare, 3),
                Durations.format(callbackAfter), Formats.decimal(h, 1), Formats.decimal(h0, 1),
                Formats.decimal(h0 - h, 1), Formats.clock(with.queue().asa()), Formats.clock(without.queue().asa()));
    }

    private void bookedNote(PrintWriter out, Simulator.Result r) {
        if (r.booked() == 0 && (bookedToInstant > 0 || !bookedSlot.isZero())) {
            out.println("note: these requests have no booked calls, so --booked-slot and"
                    + " --booked-to-instant changed nothing");
        } else if (r.booked() > 0) {
            out.printf(Locale.ROOT, "booked calls: %,d, of which %,d made instant; booked slot %s%n", r.booked(),
                    r.movedToInstant(), bookedSlot.isZero() ? "none" : Durations.format(bookedSlot));
        }
    }

    private void table(PrintWriter out, List<String> headings, List<Figures> columns) {
        List<Row> rows = new ArrayList<>(List.of(
                new Row("offered", f -> count(f.queue().offered())),
                new Row("answered", f -> count(f.queue().answered())),
                new Row("abandoned", f -> count(f.queue().abandoned())),
                new Row("short abandons", f -> count(f.queue().shortAbandoned())),
                new Row("still waiting", f -> count(f.queue().stillWaiting())),
                new Row("abandon rate", f -> Formats.percent(f.queue().abandonmentRate())),
                new Row("ASA", f -> Formats.clock(f.queue().asa())),
                new Row("wait p50", f -> Formats.clock(f.queue().waitP50())),
                new Row("wait p90", f -> Formats.clock(f.queue().waitP90())),
                new Row("wait p99", f -> Formats.clock(f.queue().waitP99())),
                new Row("wait max", f -> Formats.clock(f.queue().waitMax()))));
        for (int i = 0; i < journal.thresholds.size(); i++) {
            int index = i;
            rows.add(new Row("SL(" + Formats.seconds(journal.thresholds.get(i)) + " s)",
                    f -> Formats.percent(f.queue().serviceLevels().get(index))));
        }
        rows.add(new Row("P(wait)", f -> f.simulated() == null ? "–" : Formats.percent(f.simulated().pWait())));
        rows.add(new Row("occupancy", f -> f.simulated() == null ? "–" : Formats.percent(f.simulated().occupancy())));
        rows.add(new Row("expert hours", f -> f.simulated() == null ? "–" : Formats.hours(f.simulated().expertHours())));
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-16s", ""));
        headings.forEach(h -> head.append(String.format(Locale.ROOT, "%11s", h)));
        out.println(head.toString().stripTrailing());
        for (Row row : rows) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-16s", row.name()));
            columns.forEach(f -> line.append(String.format(Locale.ROOT, "%11s", row.value().apply(f))));
            out.println(line);
        }
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
