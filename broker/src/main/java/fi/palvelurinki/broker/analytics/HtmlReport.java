package fi.palvelurinki.broker.analytics;

import fi.palvelurinki.broker.analytics.SvgCharts.Series;
import fi.palvelurinki.broker.analytics.SvgCharts.Unit;
import fi.palvelurinki.broker.ring.OpeningHours;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The report as one self-contained HTML page: inline CSS, inline SVG charts, and a few lines of script
 * that sort a table by the column clicked. Nothing is fetched, so it opens from a file, offline, and can
 * be mailed. The same input gives the same bytes (no "generated at").
 */
public final class HtmlReport {
    /** Recommendations shown as sentences: those where the ring's staffing differs most from the need. */
    static final int SENTENCES = 15;
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(OpeningHours.ZONE);

    private HtmlReport() {}

    public static String render(JournalAnalysis a, List<Table> tables) {
        StringBuilder b = new StringBuilder(64 * 1024);
        String period = a.empty() ? "no events in the period" : period(a.from(), a.to());
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>Palvelurinki report ").append(Html.escape(period)).append("</title><style>")
                .append(CSS).append("</style></head><body>\n");
        b.append("<header><h1>Remote service efficiency</h1><p>").append(Html.escape(period))
                .append(" (Finnish time) · ").append(String.format(Locale.ROOT, "%,d", a.events()))
                .append(" journal events read · short-abandon grace ")
                .append(Formats.seconds(a.options().shortAbandonGrace())).append(" s</p></header>\n");
        damage(b, a);
        if (!a.empty()) {
            summary(b, a);
            charts(b, a);
            staffing(b, a);
        }
        b.append("<section id=\"tables\"><h2>Tables</h2><p class=\"note\">Click a column heading to sort. "
                + "<code>--csv DIR</code> exports each table as the CSV file named under it.</p>\n");
        for (Table t : tables) {
            table(b, t);
        }
        b.append("</section>\n");
        definitions(b, a);
        b.append("<script>").append(SCRIPT).append("</script>\n</body></html>\n");
        return b.toString();
    }

    /** Damage is said first: every figure below leaves its events out. */
    private static void damage(StringBuilder b, JournalAnalysis a) {
        if (a.damage().isEmpty()) {
            return;
        }
        b.append("<section id=\"damage\" class=\"warning\" role=\"alert\"><h2>The journal is damaged</h2>")
                .append("<p>This report leaves out what could not be read:</p><ul>");
        for (var d : a.damage()) {
            b.append("<li>").append(Html.escape(d.seqs())).append(" — ").append(Html.escape(d.where())).append("</li>");
        }
        b.append("</ul><p class=\"note\"><code>palvelurinki journal check</code> says more; <code>journal repair</code>")
                .append(" moves the damaged part aside (docs/journal.md).</p></section>\n");
    }

    private static void summary(StringBuilder b, JournalAnalysis a) {
        FigureRow t = a.total();
        QueueFigures q = t.queue();
        String sl = "SL(" + Formats.seconds(a.options().thresholds().get(0)) + " s)";
        b.append("<section id=\"summary\">");
        tile(b, "offered", String.format(Locale.ROOT, "%,d", q.offered()));
        tile(b, "answered", String.format(Locale.ROOT, "%,d", q.answered()));
        tile(b, "abandon rate", Formats.percent(q.abandonmentRate()));
        tile(b, "ASA", Formats.clock(q.asa()));
        tile(b, "wait p90", Formats.clock(q.waitP90()));
        tile(b, sl, Formats.percent(q.serviceLevels().get(0)));
        tile(b, "AHT", Formats.clock(t.handle().aht()));
        tile(b, "occupancy", Formats.percent(t.time().occupancy()));
        b.append("</section>\n");
    }

    private static void tile(StringBuilder b, String label, String value) {
        b.append("<div class=\"tile\"><div class=\"value\">").append(Html.escape(value)).append("</div><div class=\"label\">")
                .append(Html.escape(label)).append("</div></div>");
    }

    /**
     * The report's chart section on its own (a {@code <section id="charts">} of figures with SVG charts), for
     * pages that show the charts inside their own layout, such as the operator page's History view.
     */
    public static String charts(JournalAnalysis a) {
        StringBuilder b = new StringBuilder(32 * 1024);
        charts(b, a);
        return b.toString();
    }

    private static void charts(StringBuilder b, JournalAnalysis a) {
        b.append("<section id=\"charts\"><h2>Charts</h2>\n");

        List<String> waitLabels = new ArrayList<>();
        double[] answered = new double[a.waits().size()];
        double[] abandoned = new double[a.waits().size()];
        for (int i = 0; i < a.waits().size(); i++) {
            WaitBucket w = a.waits().get(i);
            waitLabels.add(waitLabel(w.from(), w.to()));
            answered[i] = w.answered();
            abandoned[i] = w.abandoned();
        }
        figure(b, SvgCharts.columns("chart-waits", "Wait-time distribution", waitLabels,
                List.of(new Series("answered", "s0", answered, Unit.COUNT), new Series("abandoned", "s1", abandoned, Unit.COUNT)),
                null, null));

        List<FigureRow> hours = a.rows(Dimension.HOUR_OF_DAY);
        double[] perHour = new double[hours.size()];
        double[] staffed = new double[hours.size()];
        List<String> hourLabels = new ArrayList<>();
        for (int i = 0; i < hours.size(); i++) {
            FigureRow r = hours.get(i);
            hourLabels.add(r.key());
            double coveredHours = r.time().covered().toMillis() / 3_600_000.0;
            perHour[i] = coveredHours == 0 ? 0 : r.queue().offered() / coveredHours;
            staffed[i] = Double.isNaN(r.time().meanSignedIn()) ? 0 : r.time().meanSignedIn();
        }
        figure(b, SvgCharts.columns("chart-hours", "Arrivals per hour and experts signed in, by hour of the day", hourLabels,
                List.of(new Series("arrivals per hour", "s0", perHour, Unit.NUMBER)),
                new Series("experts signed in", "s2", staffed, Unit.NUMBER), null));

        List<FigureRow> experts = new ArrayList<>(a.rows(Dimension.EXPERT).stream()
                .filter(r -> !r.time().signedIn().isZero()).toList());
        experts.sort(Comparator.comparingDouble((FigureRow r) -> nanLast(r.time().occupancy())).reversed()
                .thenComparing(FigureRow::key));
        double[] occupancy = new double[experts.size()];
        for (int i = 0; i < experts.size(); i++) {
            occupancy[i] = experts.get(i).time().occupancy();
        }
        figure(b, SvgCharts.horizontalBars("chart-occupancy", "Occupancy by expert (handle / (handle + idle))",
                experts.stream().map(r -> r.label() + " (" + r.key() + ")").toList(), occupancy, "s0"));

        List<FigureRow> days = a.rows(Dimension.DAY);
        double[] sl = new double[days.size()];
        for (int i = 0; i < days.size(); i++) {
            double v = days.get(i).queue().serviceLevels().get(0);
            sl[i] = Double.isNaN(v) ? 0 : v;
        }
        String t = Formats.seconds(a.options().thresholds().get(0));
        figure(b, SvgCharts.columns("chart-sl", "Service level SL(" + t + " s) by day", days.stream().map(FigureRow::label).toList(),
                List.of(new Series("SL(" + t + " s)", "s0", sl, Unit.FRACTION)), null, a.options().target()));

        bookingWaste(b, a);
        b.append("</section>\n");
    }

    /**
     * Booked minutes per day of the slots' start, stacked: used, backfilled, and the rest of the waste.
     * Waste is floored per booking and backfill can only come from freed time, so the stack is the booked
     * minutes except where a call started before its slot (then it is taller by that much).
     */
    private static void bookingWaste(StringBuilder b, JournalAnalysis a) {
        if (!a.hasBookings()) {
            b.append("<figure class=\"no-data\" id=\"booking-waste\"><figcaption>Booking waste</figcaption>"
                    + "<p>No bookings in this period.</p></figure>\n");
            return;
        }
        List<BookingRow> days = a.bookings(Dimension.DAY);
        double[] used = new double[days.size()];
        double[] backfilled = new double[days.size()];
        double[] wasted = new double[days.size()];
        for (int i = 0; i < days.size(); i++) {
            BookingRow r = days.get(i);
            used[i] = r.usedMinutes();
            backfilled[i] = r.backfilledMinutes();
            wasted[i] = Math.max(0, r.wasteMinutes() - r.backfilledMinutes());
        }
        BookingRow t = a.bookings(Dimension.TOTAL).get(0);
        b.append("<figure id=\"booking-waste\">").append(SvgCharts.columns("chart-booking-waste",
                "Booking waste: booked minutes by day, used, backfilled and wasted", days.stream().map(BookingRow::label).toList(),
                List.of(new Series("used min", "s0", used, Unit.NUMBER), new Series("backfilled min", "s2", backfilled, Unit.NUMBER),
                        new Series("wasted min, not backfilled", "s1", wasted, Unit.NUMBER)), null, null))
                .append("<p class=\"note\">").append(Html.escape(String.format(Locale.ROOT,
                        "%s booked min, %s used, %s wasted; %s of %s freed min backfilled (%s). No-shows: %d of the point, "
                                + "%d of the expert (%s). Late starts beyond %d min: %d of the point, %d of the expert. "
                                + "Cancelled: %d (%d with under %d h notice); reschedules: %d. From home: %d of %d bookings; "
                                + "%d customer no-shows, %d late joins; failed device checks: %d camera, %d microphone.",
                        minutes(t.bookedMinutes()), minutes(t.usedMinutes()), minutes(t.wasteMinutes()),
                        minutes(t.backfilledMinutes()), minutes(t.freedMinutes()), Formats.percent(t.backfillRate()),
                        t.noShowsPoint(), t.noShowsExpert(), Formats.percent(t.noShowRate()),
                        JournalAnalyzer.LATE_TOLERANCE.toMinutes(), t.advisorLate(), t.expertLate(), t.cancelled(),
                        t.lateCancelled(), JournalAnalyzer.LATE_CANCEL_NOTICE.toHours(), t.rescheduled(), t.fromHome(),
                        t.bookings(), t.noShowsCustomer(), t.customerLate(), t.cameraFailures(), t.microphoneFailures())))
                .append("</p></figure>\n");
    }

    private static String minutes(double m) {
        return String.format(Locale.ROOT, "%,.0f", m);
    }

    private static double nanLast(double v) {
        return Double.isNaN(v) ? -1 : v;
    }

    private static void figure(StringBuilder b, String svg) {
        b.append("<figure>").append(svg).append("</figure>\n");
    }

    /** 0–10 s, 30–60 s, 1–2 min, ≥ 30 min. */
    static String waitLabel(Duration from, Duration to) {
        long a = from.toSeconds();
        if (to == null) {
            return "≥ " + (a >= 60 ? a / 60 + " min" : a + " s");
        }
        long b = to.toSeconds();
        return b <= 60 ? a + "–" + b + " s" : a >= 60 ? a / 60 + "–" + b / 60 + " min" : a + " s–" + b / 60 + " min";
    }

    private static void staffing(StringBuilder b, JournalAnalysis a) {
        b.append("<section id=\"staffing\"><h2>Staffing</h2><p class=\"note\">Experts needed per ring and hour of the week "
                + "for ").append(Math.round(a.options().target() * 100)).append(" % answered within the ring's threshold, by "
                + "Erlang C from the arrivals and handle times recorded in that hour; where they differ most from what the "
                + "ring had:</p><ul class=\"sentences\">");
        List<Recommendation> rs = ranked(a.staffing());
        for (Recommendation r : rs.subList(0, Math.min(SENTENCES, rs.size()))) {
            b.append("<li>").append(Html.escape(r.sentence())).append("</li>");
        }
        if (rs.isEmpty()) {
            b.append("<li>No requests in the period.</li>");
        }
        b.append("</ul><p class=\"note\">Every hour is in the table <a href=\"#t-staffing\">staffing</a>.</p></section>\n");
    }

    /** The recommendations, those where the ring's staffing differs most from the need first. */
    public static List<Recommendation> ranked(List<Recommendation> staffing) {
        List<Recommendation> rs = new ArrayList<>(staffing);
        rs.sort(Comparator.comparingDouble((Recommendation r) -> -Math.abs(r.recommended() - r.meanSignedIn()))
                .thenComparing(Recommendation::ringId).thenComparing(Recommendation::day).thenComparingInt(Recommendation::hour));
        return rs;
    }

    private static void table(StringBuilder b, Table t) {
        b.append("<h3 id=\"h-").append(t.name()).append("\">").append(Html.escape(t.title()))
                .append(" <span class=\"file\">").append(t.name()).append(".csv</span></h3><div class=\"scroll\">")
                .append("<table class=\"sortable\" id=\"t-").append(t.name()).append("\"><thead><tr>");
        for (Table.Column c : t.columns()) {
            b.append("<th data-kind=\"").append(c.kind() == Table.Kind.TEXT ? "text" : "num").append("\" title=\"")
                    .append(Html.escape(c.name())).append("\">").append(Html.escape(c.heading().isEmpty() ? c.name() : c.heading()))
                    .append("</th>");
        }
        b.append("</tr></thead><tbody>");
        for (List<Object> row : t.rows()) {
            b.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                Table.Kind kind = t.columns().get(i).kind();
                b.append("<td data-v=\"").append(Html.escape(Table.sortKey(kind, row.get(i)))).append("\"")
                        .append(kind == Table.Kind.TEXT ? "" : " class=\"n\"").append(">")
                        .append(Html.escape(Table.display(kind, row.get(i)))).append("</td>");
            }
            b.append("</tr>");
        }
        b.append("</tbody></table></div>\n");
    }

    private static void definitions(StringBuilder b, JournalAnalysis a) {
        b.append("<section id=\"definitions\"><h2>Definitions</h2><dl>")
                .append("<dt>wait</dt><dd>offer accepted − request queued (includes ringing); percentiles by nearest rank over "
                        + "answered requests</dd>")
                .append("<dt>SL(t)</dt><dd>answered within t / (answered + abandoned after the grace); requests given up "
                        + "within ").append(Formats.seconds(a.options().shortAbandonGrace())).append(" s are short abandons and "
                        + "count in neither</dd>")
                .append("<dt>abandon rate</dt><dd>abandoned / (offered − short abandons)</dd>")
                .append("<dt>ASA</dt><dd>mean wait of answered requests</dd>")
                .append("<dt>AHT</dt><dd>talk + wrap-up per call</dd>")
                .append("<dt>occupancy</dt><dd>handle / (handle + idle); ringing counts in neither</dd>")
                .append("<dt>utilization</dt><dd>handle / signed-in time (idle + ringing + talk + wrap-up)</dd>")
                .append("<dt>booking waste</dt><dd>per booking that came due (completed or no-show), slot length − talk "
                        + "time of its call when positive; a no-show wastes its whole slot</dd>")
                .append("<dt>late start</dt><dd>of the point: it started the booked call more than ")
                .append(JournalAnalyzer.LATE_TOLERANCE.toMinutes()).append(" min after the slot's start; of the expert: they "
                        + "answered more than that after the point was ready and the slot had begun</dd>")
                .append("<dt>no-show rate</dt><dd>no-shows / (completed + no-shows)</dd>")
                .append("<dt>backfill rate</dt><dd>backfilled / freed minutes: freed is the slot's rest after an early end or a "
                        + "no-show; backfilled is the part of it the booking's expert (for a pooled booking nobody answered, the "
                        + "ring's experts) spent on instant calls, talk + wrap-up</dd>")
                .append("<dt>late cancellation</dt><dd>less than ").append(JournalAnalyzer.LATE_CANCEL_NOTICE.toHours())
                .append(" h before the slot's start</dd>")
                .append("<dt>interpreter wait</dt><dd>InterpreterNeeded → the interpreter's PartyJoined, per language pair "
                        + "(the need's service language – the language interpreted); percentiles by nearest rank over the met "
                        + "needs. Unmet: the need ended first (InterpreterNeedEnded, its request abandoned, its call ended)</dd>")
                .append("<dt>joint-decision wait</dt><dd>time an accepted party was held for the second resource: an expert "
                        + "from OfferHeld to the call's start (ended in a call) or to their offer's end (released); an "
                        + "interpreter of a request's need from accepting to joining the call, or to being released or "
                        + "withdrawn. An interpreter who joined the instant they accepted was not held</dd>")
                .append("<dt>interpreter utilization</dt><dd>(offered + in call + wrap-up) / signed in, from the presence of "
                        + "the members of interpreter rings, in every language pair they interpret</dd>")
                .append("<dt>three / four parties</dt><dd>the most parties a call had at once: the two who started it plus "
                        + "those joined (PartyJoined) and not yet left (PartyLeft)</dd>")
                .append("<dt>attribution</dt><dd>requests by when they were queued, in their own ring; calls by when they "
                        + "started, in the ring the expert answered for; experts' time in every ring they belong to; bookings by their "
                        + "slot's start; interpreter needs by when they were raised, holds by when they began</dd>")
                .append("</dl></section>\n");
    }

    private static final String CSS = """
            body{font:14px/1.4 system-ui,sans-serif;margin:0 24px 40px;color:#1d2733;background:#fff}
            h1{margin:18px 0 4px;font-size:24px}h2{margin:28px 0 8px;font-size:19px;border-bottom:1px solid #d8dee6}
            h3{font-size:15px;margin:18px 0 6px}.file{font:12px monospace;color:#6b7785;margin-left:8px}
            header p,.note{color:#4b5866}
            .warning{border-left:4px solid #b3261e;background:#fdf3f2;padding:2px 14px;margin-top:14px}
            #summary{display:flex;flex-wrap:wrap;gap:10px;margin-top:14px}
            .tile{border:1px solid #d8dee6;border-radius:6px;padding:8px 14px;min-width:110px}
            .tile .value{font-size:22px;font-weight:600}.tile .label{color:#4b5866;font-size:12px}
            #charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:12px}
            #charts h2{grid-column:1/-1}
            figure{margin:0;border:1px solid #d8dee6;border-radius:6px;padding:6px}
            svg.chart{width:100%;height:auto;display:block}
            .chart-title{font-size:14px;font-weight:600;fill:#1d2733}.tick{font-size:11px;fill:#4b5866}
            .empty{font-size:14px;fill:#6b7785}.grid{stroke:#e6eaef}
            .bar.s0,.key.s0{fill:#2f6fb3}.bar.s1,.key.s1{fill:#e0812b}.key.s2,.dot.s2{fill:#2a9d5b}
            .line.s2{fill:none;stroke:#2a9d5b;stroke-width:2}.target{stroke:#c0392b;stroke-dasharray:5 4}
            .bar:hover{opacity:.75}
            .bar.s2{fill:#2a9d5b}
            figure.no-data{display:flex;flex-direction:column;justify-content:center;color:#4b5866}
            figure.no-data figcaption{font-weight:600;color:#1d2733}
            .scroll{overflow-x:auto;max-height:480px;overflow-y:auto;border:1px solid #d8dee6;border-radius:4px}
            table{border-collapse:collapse;font-size:12px;white-space:nowrap}
            th{position:sticky;top:0;background:#f3f5f8;cursor:pointer;text-align:left;padding:4px 8px;border-bottom:1px solid #d8dee6}
            th.asc::after{content:" ▲"}th.desc::after{content:" ▼"}
            td{padding:3px 8px;border-bottom:1px solid #eef1f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
            dt{font-weight:600}dd{margin:0 0 6px 16px}
            """;

    /** Sorts a table by the clicked column: numbers numerically, text alphabetically; a second click reverses. */
    private static final String SCRIPT = """
            document.querySelectorAll('table.sortable th').forEach(function (th, _) {
              th.addEventListener('click', function () {
                var table = th.closest('table');
                var index = Array.prototype.indexOf.call(th.parentNode.children, th);
                var numeric = th.dataset.kind === 'num';
                var ascending = !th.classList.contains('asc');
                table.querySelectorAll('th').forEach(function (h) { h.classList.remove('asc', 'desc'); });
                th.classList.add(ascending ? 'asc' : 'desc');
                var body = table.tBodies[0];
                var rows = Array.prototype.slice.call(body.rows);
                rows.sort(function (a, b) {
                  var x = a.cells[index].dataset.v, y = b.cells[index].dataset.v;
                  var c = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
                  return ascending ? c : -c;
                });
                rows.forEach(function (r) { body.appendChild(r); });
              });
            });
            """;

    /** The period as the report's title shows it, in Finnish time. */
    public static String period(Instant from, Instant to) {
        return LOCAL.format(from) + " – " + LOCAL.format(to);
    }
}
