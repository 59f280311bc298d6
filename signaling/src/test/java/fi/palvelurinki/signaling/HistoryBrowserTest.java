package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;

/** The operator's History view in Chromium, over a journal of three calls driven over WebSocket. */
class HistoryBrowserTest extends BrowserTestBase {

    @Test
    void anOperatorSeesTheHistoryAndRunsAWhatIf() throws Exception {
        HistoryApiTest.driveCalls(f, 3);
        Browser.Window operator = open("operator", "olli");
        await().until(() -> operator.all("tr[data-ring]").size() == 2);

        // The tab is a link: Enter on it opens the view, and the URL says which one is shown.
        operator.find("#views a[data-view='history']").sendKeys(Keys.ENTER);
        operator.shown("history-form");
        assertThat(operator.find("#views a[data-view='history']").getAttribute("aria-current")).isEqualTo("page");
        assertThat(operator.displayed("board")).isFalse();

        // The browser's own date is not the manual clock's: pick the day the calls were made.
        operator.js("document.getElementById('history-from').value = arguments[0];"
                + "document.getElementById('history-to').value = arguments[0];", HistoryApiTest.DAY);
        operator.find("#history-form button[type='submit']").click();
        await().atMost(Duration.ofSeconds(20)).until(() -> !operator.all("#recs-body tr[data-ring='kela']").isEmpty());
        assertThat(operator.all("#history-charts svg.chart[role='img'] > title")).as("every chart has a title").hasSize(4);
        assertThat(operator.all("#history-charts #chart-waits, #history-charts #chart-hours, #history-charts #chart-occupancy,"
                + " #history-charts #chart-sl, #history-charts #booking-waste")).hasSize(5);
        // As HistoryApiTest works out by hand: 3 requests of 270 s in 13.5 min need 3 experts by Erlang C.
        assertThat(operator.find("#recs-body tr[data-ring='kela'] [data-field='recommended']").getText()).startsWith("3 (");
        assertThat(operator.find("#recs-body tr[data-ring='kela'] [data-field='had']").getText()).isNotBlank();

        operator.screenshot("history-1-charts");

        operator.find("#whatif-share").clear();
        operator.find("#whatif-share").sendKeys("50");
        assertThat(operator.find("#whatif-ring-kela").isSelected()).as("the first ring is chosen").isTrue();
        operator.find("#whatif-form button[type='submit']").click();
        operator.shown("whatif-result");
        await().until(() -> !operator.all("#whatif-body tr[data-figure='whatif.answered']").isEmpty());
        assertThat(operator.all("#whatif-body tr[data-figure='whatif.answered'] td").stream().map(e -> e.getText()).toList())
                .as("recorded, simulated").containsExactly("3", "3");
        assertThat(operator.all("#whatif-body tr[data-figure='whatif.pWait'] td").get(1).getText()).isEqualTo("0 %");
        assertThat(operator.text("whatif-status")).as("the page speaks Finnish here, as in PagesBrowserTest")
                .startsWith("3 soittoa toistettu").endsWith("ei ole varattuja puheluita, joten osuus ei muuttanut mitään.");

        operator.js("document.getElementById('whatif-result').scrollIntoView()");
        operator.screenshot("history-2-whatif");
        assertThat(operator.accessibilityViolations()).as("WCAG 2.1 AA, History view").isEmpty();
        assertThat(operator.consoleErrors()).isEmpty();
    }
    @Test
    void anOperatorIsToldWhatADamagedJournalLeavesOut() throws Exception {
        HistoryApiTest.driveCalls(f, 3);
        java.nio.file.Path seg = fi.palvelurinki.broker.journal.JournalBytes.segments(f.data.resolve("journal")).get(0);
        var groups = fi.palvelurinki.broker.journal.JournalBytes.groups(seg);
        var g = groups.get(groups.size() / 2);
        fi.palvelurinki.broker.journal.JournalBytes.xor(seg, g.recordsAt() + 20, 0x20);

        Browser.Window operator = open("operator", "olli");
        operator.find("#views a[data-view='history']").sendKeys(Keys.ENTER);
        operator.shown("history-form");
        operator.js("document.getElementById('history-from').value = arguments[0];"
                + "document.getElementById('history-to').value = arguments[0];", HistoryApiTest.DAY);
        operator.find("#history-form button[type='submit']").click();
        operator.shown("history-damage");
        assertThat(operator.find("#history-damage").getAttribute("role")).isEqualTo("alert");
        assertThat(operator.text("history-damage")).startsWith("Tapahtumaloki on vaurioitunut")
                .contains("seq " + g.firstSeq()).contains("00000000000000000001.journal");
        operator.screenshot("history-3-damage");
        assertThat(operator.accessibilityViolations()).as("WCAG 2.1 AA, History view with a damage warning").isEmpty();
        assertThat(operator.consoleErrors()).isEmpty();
    }
}
