package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.journal.DomainEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;

/**
 * The operator board that acts (issue 18, item 9): rings in trouble marked, experts by name and state per
 * ring, a ring's settings and an expert's rings changed from the page, each change in effect at once,
 * journaled with the operator's name and shown in History; the what-if in plain words.
 */
class OperatorBoardBrowserTest extends BrowserTestBase {

    @Test
    void anEditFromTheBoardChangesRoutingAndHistoryShowsWhoMadeIt() throws Exception {
        Browser.Window operator = open("operator", "olli");
        await().until(() -> operator.all("tr[data-ring]").size() == 2);
        Browser.Window expert = expertAvailable("e1");

        // DVV is open with nobody present: marked, in words too. Kela has Eeva, free now.
        await().until(() -> operator.find("tr[data-ring='dvv']").getAttribute("data-alert").contains("nobody"));
        assertThat(operator.find("tr[data-ring='dvv'] th").getText()).contains("Auki, ei ketään paikalla");
        await().until(() -> operator.find("tr[data-ring='kela']").getAttribute("data-alert").isEmpty());
        assertThat(operator.find("tr[data-ring='kela'] [data-field='estimatedWait']").getText()).isEqualTo("vapaana nyt");
        await().until(() -> "available".equals(operator.find("#people ul[data-ring='kela'] li[data-expert='e1']")
                .getAttribute("data-presence")));
        assertThat(operator.find("#people ul[data-ring='kela'] li[data-expert='e1']").getText())
                .contains("Eeva Salonen", "vastaamassa");
        assertThat(operator.accessibilityViolations()).as("board with alerts and experts").isEmpty();
        operator.screenshotSizes("round2-11-operator-alerts");

        // The operator gives Kela's experts 45 s to answer instead of 20 s.
        operator.find("button[data-edit='kela']").click();
        operator.shown("ring-form");
        assertThat(operator.find("#edit-offer-timeout").getAttribute("value")).isEqualTo("20");
        assertThat(operator.js("return document.activeElement.id")).isEqualTo("edit-offer-timeout");
        assertThat(operator.accessibilityViolations()).as("ring edit form").isEmpty();
        operator.find("#edit-offer-timeout").clear();
        operator.find("#edit-offer-timeout").sendKeys("45");
        operator.screenshotSizes("round2-12-operator-edit-ring");
        operator.click("ring-save");
        await().until(() -> operator.text("edit-status").startsWith("Tallennettu: Kela."));
        assertThat(operator.displayed("ring-form")).isFalse();

        // Routing follows at once: 25 s after the offer it still rings (at 20 s it would have moved on).
        Browser.Window advisor = advisorReady("anna");
        advisor.click("call-now");
        expert.shown("accept");
        f.advance(Duration.ofSeconds(25));
        await().until(() -> expert.text("offer-remaining").matches("Vastaa (1\\d|20) sekunnin kuluessa"));
        assertThat(expert.displayed("offer")).isTrue();
        advisor.click("cancel");
        await().until(() -> !expert.displayed("offer"));

        // Tuula (DVV) is made to answer Kela's calls too, from the experts list.
        // The list follows the experts' presence: a button just found may be redrawn before the click lands.
        await().until(() -> {
            operator.find("button[data-member='e3']").click();
            return operator.displayed("member-form");
        });
        operator.find("label[for='member-ring-kela']").click();
        operator.find("#member-form button[type='submit']").sendKeys(Keys.ENTER);
        await().until(() -> !operator.all("#people ul[data-ring='kela'] li[data-expert='e3']").isEmpty());
        Reply.Directory dir = (Reply.Directory) f.server.broker().submit(new Command.GetDirectory()).get(10, TimeUnit.SECONDS);
        assertThat(dir.experts()).anySatisfy(x -> {
            assertThat(x.id()).isEqualTo("e3");
            assertThat(x.rings()).containsExactlyInAnyOrder("dvv", "kela");
        });

        // Each change is journaled with who made it, and History shows it.
        List<DomainEvent> events = journal();
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(DomainEvent.RingConfigured.class, r -> {
            assertThat(r.actor()).isEqualTo("operator:olli");
            assertThat(r.ring().offerTimeout()).isEqualTo(Duration.ofSeconds(45));
        }));
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(DomainEvent.ExpertDefined.class,
                x -> assertThat(x.actor()).isEqualTo("operator:olli")));
        operator.find("#views a[data-view='history']").sendKeys(Keys.ENTER);
        operator.shown("history-form");
        operator.js("document.getElementById('history-from').value = arguments[0];"
                + "document.getElementById('history-to').value = arguments[0];", "2026-11-24");
        operator.find("#history-form button[type='submit']").click();
        await().until(() -> operator.all("#changes-body tr[data-subject]").size() == 2);
        assertThat(operator.find("#changes-body tr[data-subject='ring'][data-id='kela']").getText())
                .contains("olli", "Palvelu: Kela", "offer timeout 20 s → 45 s");
        assertThat(operator.find("#changes-body tr[data-subject='expert'][data-id='e3']").getText())
                .contains("olli", "rings [dvv] → [dvv, kela]");
        // The what-if speaks plainly: hours and experts, no formula, no random seed in sight.
        assertThat(operator.find("#whatif-from-0").getAttribute("value")).isEqualTo("8");
        assertThat(operator.displayed("whatif-seed")).isFalse();
        assertThat(operator.accessibilityViolations()).as("history with changes").isEmpty();
        operator.js("document.getElementById('changes').scrollIntoView()");
        operator.screenshotSizes("round2-13-operator-history-changes");
    }
}
