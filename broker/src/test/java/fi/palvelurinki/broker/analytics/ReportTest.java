package fi.palvelurinki.broker.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.broker.journal.JournalReader;
import fi.palvelurinki.broker.testing.BookingJournal;
import fi.palvelurinki.broker.testing.ReferenceJournal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's tables and files carry the figures checked by hand in {@link JournalAnalyzerTest} and
 * {@link JournalAnalyzerBookingTest}.
 */
class ReportTest {
    @TempDir
    static Path dir;
    static JournalAnalysis analysis;
    static List<Table> tables;
    static JournalAnalysis booked;
    static List<Table> bookedTables;

    @BeforeAll
    static void analyse() throws IOException {
        ReferenceJournal.write(dir.resolve("data"));
        analysis = JournalAnalyzer.analyze(dir.resolve("data/journal"), AnalysisOptions.defaults(), JournalReader.Progress.NONE);
        tables = ReportTables.of(analysis);
        BookingJournal.write(dir.resolve("booked"));
        booked = JournalAnalyzer.analyze(dir.resolve("booked/journal"), AnalysisOptions.defaults(), JournalReader.Progress.NONE);
        bookedTables = ReportTables.of(booked);
    }

    @Test
    void csvFilesHaveOneHeaderAndOneLinePerRow() throws IOException {
        List<Path> files = CsvExport.write(tables, dir.resolve("csv"));
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("summary.csv", "by_ring.csv",
                "by_authority.csv", "by_point.csv", "by_expert.csv", "by_hour.csv", "by_day.csv", "by_month.csv",
                "bookings.csv", "bookings_by_ring.csv", "bookings_by_authority.csv", "bookings_by_point.csv",
                "bookings_by_expert.csv", "bookings_by_service.csv", "bookings_by_hour.csv", "bookings_by_day.csv",
                "bookings_by_month.csv", "contacts.csv", "call_quality.csv", "first_contact_resolution.csv", "changes.csv",
                "callbacks.csv", "interpreter_waits.csv", "joint_decision_waits.csv", "interpreter_utilization.csv",
                "calls_with_interpreters.csv", "staffing.csv", "wait_distribution.csv");
        assertThat(Files.readAllLines(dir.resolve("csv/bookings_by_day.csv"), StandardCharsets.UTF_8)).as("no bookings")
                .hasSize(1);
        List<String> ring = Files.readAllLines(dir.resolve("csv/by_ring.csv"), StandardCharsets.UTF_8);
        assertThat(ring.get(0)).startsWith("key,name,offered,answered,abandoned,short_abandoned,overflowed,still_waiting,"
                + "abandonment_rate,asa_s,wait_p50_s,wait_p90_s,wait_p99_s,wait_max_s,sl_20s,sl_60s,mean_time_to_abandon_s,"
                + "calls,aht_s,mean_talk_s,mean_wrap_up_s,signed_in_h,mean_signed_in,idle_h,");
        assertThat(ring.get(1)).startsWith("kela,Kela pensions,4,2,1,1,0,0,0.3333,20,10,30,30,30,0.3333,0.6667,120,"
                + "2,320,300,20,2,1.714,");
        assertThat(ring.get(2)).as("nothing answered: empty, not zero")
                .startsWith("vero,Vero,1,0,0,0,0,1,0,,,,,,,,,0,,,,0,0,");
        assertThat(Files.readAllLines(dir.resolve("csv/contacts.csv"), StandardCharsets.UTF_8)).containsExactly(
                "authority,authority_name,point,point_name,municipality,month,offered,contacts",
                "kela,Kela,mikkeli,Mikkeli Asiointipiste,Mikkeli,2026-11,3,2",
                "kela,Kela,parainen,Parainen,Parainen,2026-11,1,0",
                "vero,Verohallinto,parainen,Parainen,Parainen,2026-11,1,0");
        assertThat(Files.readAllLines(dir.resolve("csv/staffing.csv"), StandardCharsets.UTF_8).get(1))
                .isEqualTo("kela,Kela pensions,Tuesday,10-11,1,4,4,320,ring,60,0.8,2,0.9606,1.833,0.0983,0.6667");
    }

    @Test
    void bookingTablesCarryTheBookingFigures() throws IOException {
        CsvExport.write(bookedTables, dir.resolve("booked-csv"));
        String header = "key,name,bookings,completed,no_shows_point,no_shows_expert,no_shows_customer,no_show_rate,cancelled,"
                + "late_cancelled,mean_notice_s,rescheduled,open,booked_min,used_min,waste_min,advisor_late,mean_advisor_late_s,"
                + "expert_late,mean_expert_late_s,ended_early,freed_min,backfilled_min,backfill_rate,at_point,from_home,"
                + "customer_late,mean_customer_late_s,camera_failures,microphone_failures";
        assertThat(Files.readAllLines(dir.resolve("booked-csv/bookings.csv"), StandardCharsets.UTF_8)).containsExactly(header,
                "all,All rings,6,3,1,0,0,0.25,1,1,1200,1,1,120,66,54,0,,1,240,1,40,10,0.25,6,0,0,,0,0");
        assertThat(Files.readAllLines(dir.resolve("booked-csv/bookings_by_expert.csv"), StandardCharsets.UTF_8))
                .containsExactly(header, "e1,Eeva,4,3,0,0,0,0,0,0,,1,1,90,66,24,0,,1,240,1,20,6,0.3,4,0,0,,0,0");
        assertThat(Files.readAllLines(dir.resolve("booked-csv/bookings_by_service.csv"), StandardCharsets.UTF_8).get(1))
                .startsWith("visit,TE visit,6,");
    }

    @Test
    void csvQuotesWhatNeedsQuoting() throws IOException {
        Table t = new Table("t", "T", List.of(new Table.Column("name", "", Table.Kind.TEXT)),
                List.of(List.of("Kela, \"Pori\"")));
        java.io.StringWriter w = new java.io.StringWriter();
        CsvExport.write(t, w);
        assertThat(w.toString()).isEqualTo("name\r\n\"Kela, \"\"Pori\"\"\"\r\n");
    }

    @Test
    void theHtmlPageHasTheChartsTablesAndRecommendations() {
        String html = HtmlReport.render(analysis, tables);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("2026-11-24 10:00 – 2026-11-24 11:10");
        for (String id : List.of("chart-waits", "chart-hours", "chart-occupancy", "chart-sl")) {
            assertThat(html).contains("<svg class=\"chart\" id=\"" + id + "\"");
        }
        assertThat(html).contains("id=\"booking-waste\"").contains("No bookings in this period.")
                .doesNotContain("chart-booking-waste", "issue 5");
        assertThat(html).contains("Kela pensions, Tuesdays 10–11: 2 experts for 80 % in 60 s; you had 1.8, occupancy 10 %");
        for (Table t : tables) {
            assertThat(html).contains("id=\"t-" + t.name() + "\"");
        }
        assertThat(html).as("self-contained").doesNotContain("http://", "https://cdn", "<script src", "<link");
        assertThat(HtmlReport.render(analysis, tables)).as("the same input gives the same page").isEqualTo(html);
    }

    @Test
    void withBookingsTheBookingWasteChartShowsUsedBackfilledAndWastedMinutes() {
        String html = HtmlReport.render(booked, bookedTables);
        assertThat(html).contains("<svg class=\"chart\" id=\"chart-booking-waste\"")
                .contains("<title>Tue 2026-11-24: 66.0 used min</title>")
                .contains("<title>Tue 2026-11-24: 10.0 backfilled min</title>")
                .as("54 wasted, 10 of them backfilled").contains("<title>Tue 2026-11-24: 44.0 wasted min, not backfilled</title>")
                .contains("120 booked min, 66 used, 54 wasted; 10 of 40 freed min backfilled (25.0 %)")
                .contains("No-shows: 1 of the point, 0 of the expert (25.0 %)")
                .doesNotContain("No bookings in this period", "issue 5");
        for (Table t : bookedTables) {
            assertThat(html).contains("id=\"t-" + t.name() + "\"");
        }
    }

    @Test
    void namesFromTheJournalAreEscaped() {
        assertThat(Html.escape("<b>\"Kela\" & 'Vero'</b>")).isEqualTo("&lt;b&gt;&quot;Kela&quot; &amp; &#39;Vero&#39;&lt;/b&gt;");
        String svg = SvgCharts.horizontalBars("x", "T", List.of("<script>"), new double[] {0.5}, "s0");
        assertThat(svg).contains("&lt;script&gt;").doesNotContain("<script>");
    }

    @Test
    void waitBarsAreLabelledShortly() {
        assertThat(JournalAnalyzer.WAIT_BOUNDS).hasSize(9);
        assertThat(analysis.waits()).extracting(b -> HtmlReport.waitLabel(b.from(), b.to())).containsExactly("0–10 s",
                "10–20 s", "20–30 s", "30–60 s", "1–2 min", "2–5 min", "5–10 min", "10–20 min", "20–30 min", "≥ 30 min");
    }

    @Test
    void chartAxesEndOnRoundNumbers() {
        assertThat(SvgCharts.niceCeiling(3.2)).isEqualTo(5);
        assertThat(SvgCharts.niceCeiling(17)).isEqualTo(20);
        assertThat(SvgCharts.niceCeiling(21)).isEqualTo(25);
        assertThat(SvgCharts.niceCeiling(0)).isEqualTo(1);
    }
}
