package fi.palvelurinki.app;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.broker.testing.BookingJournal;
import fi.palvelurinki.broker.testing.ReferenceJournal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

class ReportCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesTheReportAndEveryTableOfAPeriod() throws IOException {
        ReferenceJournal.write(dir.resolve("data"));
        CommandRun r = CommandRun.of("report", "--data", dir.resolve("data").toString(), "--from", "2026-11-24",
                "--to", "2026-11-24", "--out", dir.resolve("out/report.html").toString(), "--csv", dir.resolve("csv").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.lines()).hasSize(2);
        assertThat(r.lines().get(0)).matches(
                "report: \\d+ events read; period 2026-11-24 10:00 – 2026-11-24 11:10; 5 requests, 2 calls");
        assertThat(r.lines().get(1)).matches("report: wrote .*report\\.html \\(\\d+ KiB\\) and 28 CSV files in .*csv in [0-9.]+ s");
        assertThat(Files.readString(dir.resolve("out/report.html"))).contains("id=\"chart-sl\"");
        assertThat(Files.readAllLines(dir.resolve("csv/by_point.csv"), StandardCharsets.UTF_8).get(1))
                .as("Mikkeli: 3 offered, 2 answered, 1 short abandon").startsWith("mikkeli,Mikkeli Asiointipiste,3,2,0,1,");
        assertThat(r.err()).as("a short run shows no progress lines").isEmpty();
    }

    @Test
    void bookingsGetTheirChartAndTables() throws IOException {
        BookingJournal.write(dir.resolve("data"));
        CommandRun r = CommandRun.of("report", "--data", dir.resolve("data").toString(), "--out",
                dir.resolve("report.html").toString(), "--csv", dir.resolve("csv").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(dir.resolve("report.html"))).contains("id=\"chart-booking-waste\"")
                .doesNotContain("No bookings in this period");
        assertThat(Files.readAllLines(dir.resolve("csv/bookings_by_point.csv"), StandardCharsets.UTF_8).get(1))
                .as("Mikkeli: b1, b2, b4 completed, b6 open").startsWith("mikkeli,Mikkeli Asiointipiste,4,3,0,0,0,0,0,0,,1,1,");
    }

    @Test
    void aPeriodWithoutEventsOrAMissingJournalIsAClearError() throws IOException {
        ReferenceJournal.write(dir.resolve("data"));
        CommandRun later = CommandRun.of("report", "--data", dir.resolve("data").toString(), "--from", "2027-01-01",
                "--out", dir.resolve("r.html").toString());
        assertThat(later.exit()).isEqualTo(1);
        assertThat(later.err()).startsWith("report: the journal has no events in the period asked (");
        CommandRun none = CommandRun.of("report", "--data", dir.resolve("nothing").toString(), "--out", "r.html");
        assertThat(none.exit()).isNotZero();
        assertThat(none.err()).startsWith("no journal in " + dir.resolve("nothing/journal"));
        CommandRun backwards = CommandRun.of("report", "--data", dir.resolve("data").toString(), "--from", "2026-12-01",
                "--to", "2026-11-01", "--out", "r.html");
        assertThat(backwards.err()).startsWith("the period is empty");
        assertThat(CommandRun.of("report", "--data", dir.resolve("data").toString(), "--from", "yesterday", "--out", "r.html")
                .err()).startsWith("cannot read time 'yesterday'");
    }

    @Test
    void theReportOpensInHeadlessChromiumWithoutErrorsAndDrawsItsCharts() throws IOException {
        DemoJournal.write(dir.resolve("demo"), 3, 1);
        Path html = dir.resolve("report.html");
        CommandRun r = CommandRun.of("report", "--data", dir.resolve("demo").toString(), "--out", html.toString());
        assertThat(r.exit()).as(r.err()).isZero();

        try (Browser b = Browser.start()) {
            WebDriver browser = b.driver();
            browser.get("data:text/html,<script>notDefined()</script>");
            assertThat(severe(browser)).as("the console check sees a script error").isNotEmpty();

            browser.get(html.toUri().toString());
            assertThat(severe(browser)).as("console errors").isEmpty();
            for (String chart : List.of("chart-waits", "chart-hours", "chart-occupancy", "chart-sl")) {
                WebElement svg = browser.findElement(By.id(chart));
                assertThat(svg.isDisplayed()).as(chart).isTrue();
                assertThat(svg.findElements(By.cssSelector("rect.bar"))).as(chart + " draws bars").isNotEmpty();
            }
            assertThat(browser.findElements(By.cssSelector("#chart-hours circle.dot"))).as("experts signed in, per hour")
                    .hasSizeGreaterThan(8);
            assertThat(browser.findElements(By.cssSelector("#chart-occupancy rect.bar"))).as("one bar per expert").hasSize(6);
            assertThat(browser.findElements(By.cssSelector("#chart-sl rect.bar"))).as("three days").hasSize(3);
            assertThat(browser.findElement(By.id("booking-waste")).getText()).contains("No bookings in this period.");
            assertThat(browser.findElements(By.cssSelector("#staffing li"))).isNotEmpty();

            Path shot = Path.of(System.getProperty("basedir", "."), "target", "report-screenshot.png");
            Files.createDirectories(shot.getParent());
            Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), shot,
                    StandardCopyOption.REPLACE_EXISTING);
            assertThat(Files.size(shot)).isGreaterThan(10_000);

            WebElement calls = browser.findElement(By.cssSelector("#t-by_expert th[title=calls]"));
            calls.click();
            assertThat(column(browser, "t-by_expert", 2)).as("sorted ascending").isSorted();
            calls.click();
            assertThat(column(browser, "t-by_expert", 2)).as("then descending")
                    .isSortedAccordingTo(java.util.Comparator.reverseOrder());
            assertThat(severe(browser)).isEmpty();

            BookingJournal.write(dir.resolve("booked"));
            Path booked = dir.resolve("booked.html");
            assertThat(CommandRun.of("report", "--data", dir.resolve("booked").toString(), "--out", booked.toString()).exit())
                    .isZero();
            browser.get(booked.toUri().toString());
            WebElement waste = browser.findElement(By.id("chart-booking-waste"));
            assertThat(waste.isDisplayed()).isTrue();
            assertThat(waste.findElements(By.cssSelector("rect.bar"))).as("one day: used, backfilled, wasted").hasSize(3);
            assertThat(browser.findElement(By.id("t-bookings_by_expert")).isDisplayed()).isTrue();
            assertThat(severe(browser)).isEmpty();
        }
    }

    @Test
    void longRunsSayHowFarTheyAre() {
        java.io.StringWriter err = new java.io.StringWriter();
        long[] now = {0};
        var progress = ReportCommand.progress(new java.io.PrintWriter(err, true), "report", () -> now[0]);
        long mib = 1 << 20;
        for (int i = 1; i <= 4096; i++) {
            now[0] += 1_000_000; // 1 ms a record: a line every 2 s of reading
            progress.read(i * 25 * mib / 1024, 200 * mib);
        }
        // Looked at every 1,024 records: at 2.048 s (a line), 3.072 s (too soon), 4.096 s (a line).
        assertThat(err.toString().lines()).containsExactly("report: read 25 % of the journal (50 of 200 MiB)",
                "report: read 50 % of the journal (100 of 200 MiB)");
    }

    private static List<LogEntry> severe(WebDriver browser) {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
    }

    private static List<Double> column(WebDriver browser, String table, int index) {
        return browser.findElements(By.cssSelector("#" + table + " tbody tr")).stream()
                .map(tr -> Double.parseDouble(tr.findElements(By.tagName("td")).get(index).getAttribute("data-v"))).toList();
    }

    /** Headless Chromium from Debian, as bin/test installs it, with a fresh profile removed afterwards. */
    record Browser(WebDriver driver, Path profile) implements AutoCloseable {
        static Browser start() throws IOException {
            System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
            ChromeOptions o = new ChromeOptions();
            o.setBinary("/usr/bin/chromium");
            Path profile = Files.createTempDirectory("chromium-profile");
            o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + profile, "--window-size=1280,2200");
            o.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
            return new Browser(new ChromeDriver(o), profile);
        }

        @Override
        public void close() throws IOException {
            driver.quit();
            try (var files = Files.walk(profile)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
