package fi.palvelurinki.app;

import fi.palvelurinki.broker.analytics.CsvExport;
import fi.palvelurinki.broker.analytics.HtmlReport;
import fi.palvelurinki.broker.analytics.JournalAnalysis;
import fi.palvelurinki.broker.analytics.JournalAnalyzer;
import fi.palvelurinki.broker.analytics.ReportTables;
import fi.palvelurinki.broker.analytics.Table;
import fi.palvelurinki.broker.journal.JournalCorruptedException;
import fi.palvelurinki.broker.journal.JournalReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "report", mixinStandardHelpOptions = true,
        header = "HTML report and CSV tables of efficiency figures from the journal.",
        description = {"Writes a self-contained HTML report of a period from the journal: waits, service levels, handle "
                + "times, experts' idle and busy time, contacts per authority and point, staffing recommendations, with "
                + "charts. --csv exports every table. Definitions: docs/metrics.md."})
final class ReportCommand implements Callable<Integer> {
    /** Progress lines only on runs long enough to wonder about. */
    static final long PROGRESS_EVERY_NANOS = 2_000_000_000L;

    @Spec
    CommandSpec spec;

    @Mixin
    JournalOptions journal;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The HTML file to write.")
    Path out;

    @Option(names = "--csv", paramLabel = "DIR", description = "Also write each table as DIR/NAME.csv.")
    Path csv;

    @Option(names = "--target", defaultValue = "0.8", paramLabel = "SHARE",
            description = "Service-level target of the staffing recommendations (default ${DEFAULT-VALUE}).")
    double target;

    @Override
    public Integer call() throws IOException {
        long started = System.nanoTime();
        PrintWriter err = spec.commandLine().getErr();
        JournalAnalysis a;
        try {
            a = JournalAnalyzer.analyze(journal.journal(), journal.analysis(target), progress(err, "report", System::nanoTime));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        } catch (JournalCorruptedException e) {
            err.println("report: the journal cannot be read: " + e.getMessage());
            return 1;
        }
        JournalWarnings.print(err, "report", "this report", a.unread());
        if (a.empty()) {
            err.println("report: the journal has no events in the period asked (" + a.events() + " events in all)");
            return 1;
        }
        List<Table> tables = ReportTables.of(a);
        String html = HtmlReport.render(a, tables);
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(out, html, StandardCharsets.UTF_8);
        String csvNote = "";
        if (csv != null) {
            csvNote = " and " + CsvExport.write(tables, csv).size() + " CSV files in " + csv;
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "report: %,d events read; period %s; %,d requests, %,d calls%n", a.events(),
                HtmlReport.period(a.from(), a.to()), a.total().queue().offered(), a.total().handle().calls());
        o.printf(Locale.ROOT, "report: wrote %s (%,d KiB)%s in %.1f s%n", out, (html.length() + 1023) / 1024, csvNote,
                (System.nanoTime() - started) / 1e9);
        o.flush();
        return 0;
    }

    /**
     * A line on stderr every couple of seconds of a long run: how much of the journal {@code command} has
     * read. The time is looked at only every 1,024 records, which costs nothing next to decoding them.
     */
    static JournalReader.Progress progress(PrintWriter err, String command, LongSupplier nanoTime) {
        long[] next = {nanoTime.getAsLong() + PROGRESS_EVERY_NANOS};
        long[] calls = {0};
        return (done, total) -> {
            if ((++calls[0] & 1023) != 0) {
                return;
            }
            long now = nanoTime.getAsLong();
            if (now >= next[0]) {
                next[0] = now + PROGRESS_EVERY_NANOS;
                err.printf(Locale.ROOT, "%s: read %d %% of the journal (%,d of %,d MiB)%n", command,
                        total == 0 ? 100 : done * 100 / total, done >> 20, total >> 20);
                err.flush();
            }
        };
    }
}
