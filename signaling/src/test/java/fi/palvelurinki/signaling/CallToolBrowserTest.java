package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fi.palvelurinki.broker.analytics.AnalysisOptions;
import fi.palvelurinki.broker.analytics.JournalAnalysis;
import fi.palvelurinki.broker.analytics.JournalAnalyzer;
import fi.palvelurinki.broker.analytics.OutcomeRow;
import fi.palvelurinki.broker.analytics.ReportTables;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.JournalReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The call tool as experts and advisors use it every day (issue 18): the ring, the call's context and its
 * outcome, an honest wait, the status inside the call, the keyboard kept in the call view, the advisor's
 * page at 1280 x 720. Screenshots of the main views at 1280 x 720 and 390 x 844 go to target/screenshots.
 */
class CallToolBrowserTest extends BrowserTestBase {

    private static boolean ringPlaying(Browser.Window expert) {
        return Boolean.TRUE.equals(expert.js(
                "const a = document.getElementById('ring-audio'); return !a.paused && !a.muted && a.currentTime > 0"));
    }

    private static boolean ringPaused(Browser.Window expert) {
        return Boolean.TRUE.equals(expert.js("return document.getElementById('ring-audio').paused"));
    }

    @Test
    void anOfferRingsFlashesTheTitleAndFollowsTheExpertsSettings() throws Exception {
        Browser.Window expert = expertAvailable("e1");
        // The expert opens the settings (as anyone does once: browsers allow sound after the first click).
        expert.find("#settings summary").click();
        expert.shown("ring-volume");
        expert.js("const v = document.getElementById('ring-volume'); v.value = '40'; v.dispatchEvent(new Event('input'))");
        assertThat(expert.text("ring-volume-value")).isEqualTo("40 %");
        assertThat(((Number) expert.js("return document.getElementById('ring-audio').volume")).doubleValue()).isEqualTo(0.4);
        assertThat(expert.accessibilityViolations()).as("expert's settings").isEmpty();

        Browser.Window advisor = advisorReady("anna");
        await().until(() -> advisor.text("ring-hint").equals("Kela: asiantuntija on vapaana nyt"));
        advisor.click("call-now");
        expert.shown("accept");
        await().until(() -> ringPlaying(expert));
        // The title flashes: the offer's words and the page's title take turns every second.
        await().until(() -> ((String) expert.js("return document.title")).startsWith("Saapuva puhelu: Mikkelin Asiointipiste"));
        await().until(() -> ((String) expert.js("return document.title")).equals("Palvelurinki – asiantuntija"));
        await().until(() -> ((String) expert.js("return document.title")).startsWith("Saapuva puhelu"));
        expert.screenshotSizes("round2-1-expert-ringing");

        // Declined: the ring stops; the advisor is told the call goes on to the next expert, and how long they waited.
        expert.click("decline");
        await().until(() -> ringPaused(expert));
        assertThat((String) expert.js("return document.title")).isEqualTo("Palvelurinki – asiantuntija");
        await().until(() -> advisor.text("queue-note").equals(
                "Asiantuntija ei voinut vastata. Puhelu pitää paikkansa ja soi seuraavalle vapaalle asiantuntijalle."));
        assertThat(advisor.text("waited")).startsWith("Odottanut ");
        assertThat(advisor.accessibilityViolations()).as("advisor waiting after a decline").isEmpty();
        advisor.screenshotSizes("round2-2-advisor-passed-on");

        // With the sound off, the next offer (after the decline's cooldown) flashes but does not sound.
        expert.find("label[for='ring-mute']").click();
        assertThat(expert.js("return localStorage.getItem('palvelurinki.expert.ringMuted')")).isEqualTo("true");
        f.advance(Duration.ofSeconds(61));
        expert.shown("accept");
        await().until(() -> ((String) expert.js("return document.title")).startsWith("Saapuva puhelu"));
        assertThat(ringPaused(expert)).as("muted: no sound").isTrue();
        advisor.click("cancel");
        await().until(() -> !expert.displayed("offer"));
    }

    @Test
    void theCallKeepsItsContextAndStatusFocusStaysInItAndTheOutcomeIsReported() throws Exception {
        Browser.Window expert = expertAvailable("e1");
        Browser.Window advisor = advisorReady("anna");
        choose(advisor, "topic", "pension");
        advisor.find("#note").sendKeys("Eläkehakemus, liitteet tarkistettu");
        // A cancelled request keeps the note: the advisor can ask again as it was.
        advisor.click("call-now");
        advisor.click("cancel");
        advisor.shown("call-now");
        assertThat(advisor.find("#note").getAttribute("value")).isEqualTo("Eläkehakemus, liitteet tarkistettu");
        await().until(() -> !expert.displayed("offer"));

        advisor.click("call-now");
        expert.shown("accept");
        expert.click("accept");
        awaitVideo(advisor);
        awaitVideo(expert);
        assertThat(advisor.find("#note").getAttribute("value")).as("the note goes once the call connects").isEmpty();

        // What the call is about stays in sight on both sides.
        assertThat(expert.text("call-context")).contains("Kela", "Mikkelin Asiointipiste (Mikkeli)", "eläke", "suomi",
                "Eläkehakemus, liitteet tarkistettu");
        assertThat(advisor.text("call-context")).contains("Kela", "eläke", "Eläkehakemus, liitteet tarkistettu");
        await().until(() -> expert.text("call-timer").matches("Kesto \\d+:\\d{2}")
                && Integer.parseInt(expert.find("#call-timer").getAttribute("data-seconds")) > 0);

        // The keyboard stays in the call view: Tab and Shift+Tab go round its controls, never to the header.
        assertThat(expert.js("return document.getElementById('top').inert")).isEqualTo(true);
        expert.find("#hangup").sendKeys(Keys.TAB);
        for (int i = 0; i < 6; i++) {
            assertThat(expert.js("return document.activeElement.closest('#call') !== null")).as("Tab %d", i).isEqualTo(true);
            ((WebElement) expert.js("return document.activeElement")).sendKeys(Keys.TAB);
        }
        for (int i = 0; i < 6; i++) {
            ((WebElement) expert.js("return document.activeElement")).sendKeys(Keys.chord(Keys.SHIFT, Keys.TAB));
            assertThat(expert.js("return document.activeElement.closest('#call') !== null")).as("Shift+Tab %d", i).isEqualTo(true);
        }

        // The advisor turns the camera off and mutes: the expert sees a placeholder and a badge, not black.
        advisor.click("toggle-camera");
        advisor.click("toggle-mic");
        await().until(() -> "false".equals(expert.find("#call").getAttribute("data-peer-cam"))
                && "false".equals(expert.find("#call").getAttribute("data-peer-mic")));
        assertThat(expert.text("remote-placeholder")).isEqualTo("Mikkelin Asiointipiste – Anna Virtanen: kamera on pois päältä");
        assertThat(expert.text("remote-muted")).isEqualTo("Toisen osapuolen mikrofoni on mykistetty");
        assertThat(expert.accessibilityViolations()).as("expert's call view with placeholders").isEmpty();
        expert.screenshotSizes("round2-3-expert-call-camera-off");
        advisor.click("toggle-camera");
        advisor.click("toggle-mic");
        await().until(() -> "true".equals(expert.find("#call").getAttribute("data-peer-cam")));
        // The connection's quality is measured every 10 s.
        await().atMost(Duration.ofSeconds(40)).until(() -> expert.text("call-quality").startsWith("Yhteyden laatu: "));
        assertThat(advisor.accessibilityViolations()).as("advisor's call view").isEmpty();
        advisor.screenshotSizes("round2-4-advisor-call");

        expert.click("hangup");
        expert.shown("outcome-save");
        assertThat(expert.all("#outcome-list input[type='radio']")).hasSize(4);
        assertThat(expert.accessibilityViolations()).as("wrap-up with the outcome").isEmpty();
        expert.find("label[for='outcome-resolved']").click();
        expert.click("outcome-save");
        await().until(() -> expert.text("outcome-status").equals("Lopputulos tallennettu: asia ratkesi."));
        expert.screenshotSizes("round2-5-expert-outcome");
        assertThat(expert.text("wrap-up-text")).matches("Jälkityöaika päättyy kello \\d{1,2}\\.\\d{2}\\.");

        List<DomainEvent> events = journal();
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(DomainEvent.CallOutcomeRecorded.class, o -> {
            assertThat(o.outcome()).isEqualTo("resolved");
            assertThat(o.ringId()).isEqualTo("kela");
            assertThat(o.topic()).isEqualTo("pension");
            assertThat(o.pointId()).isEqualTo("mikkeli");
            assertThat(o.expertId()).isEqualTo("e1");
        }));
        JournalAnalysis a = JournalAnalyzer.analyze(data.resolve("journal"), AnalysisOptions.defaults(),
                JournalReader.Progress.NONE);
        assertThat(a.outcomes()).anySatisfy(r -> {
            assertThat(r.by()).isEqualTo("ring");
            assertThat(r.key()).isEqualTo("kela");
            assertThat(r.calls()).isEqualTo(1);
            assertThat(r.firstContactResolution()).isEqualTo(1.0);
        });
        assertThat(a.outcomes()).extracting(OutcomeRow::by).contains("topic", "point");
        assertThat(ReportTables.of(a)).anySatisfy(t -> assertThat(t.name()).isEqualTo("first_contact_resolution"));
    }

    @Test
    void theAdvisorsPageFitsALaptopAndThePagesLookRightOnAPhone() throws Exception {
        Browser.Window operator = open("operator", "olli");
        await().until(() -> operator.all("tr[data-ring]").size() == 2);
        Browser.Window advisor = advisorReady("anna");
        // Nobody signed in: no estimate is made up.
        await().until(() -> advisor.text("ring-hint").equals("Kela: ei asiantuntijoita paikalla"));
        advisor.viewport(1280, 720);
        @SuppressWarnings("unchecked")
        Map<String, Object> box = (Map<String, Object>) advisor.js("""
                const r = document.getElementById('call-now').getBoundingClientRect();
                const b = document.getElementById('point-bookings').getBoundingClientRect();
                return { bottom: r.bottom, right: r.right, bookingsTop: b.top, width: document.documentElement.scrollWidth };""");
        assertThat(((Number) box.get("bottom")).doubleValue()).as("Call now in sight at 1280 x 720").isLessThanOrEqualTo(720);
        assertThat(((Number) box.get("bookingsTop")).doubleValue()).as("the point's bookings at the top").isLessThan(400);
        assertThat(((Number) box.get("width")).intValue()).as("nothing wider than the window").isLessThanOrEqualTo(1280);
        advisor.desktop();
        advisor.screenshotSizes("round2-6-advisor-request");
        operator.screenshotSizes("round2-7-operator-board");
        Browser.Window expert = expertAvailable("e1");
        expert.screenshotSizes("round2-8-expert-desk");
        await().until(() -> advisor.text("ring-hint").equals("Kela: asiantuntija on vapaana nyt"));
        advisor.click("call-now");
        expert.shown("accept");
        expert.screenshotSizes("round2-9-expert-offer");
        advisor.screenshotSizes("round2-10-advisor-ringing");
        advisor.click("cancel");
        advisor.shown("call-now");

        choose(advisor, "lang", "sv");
        assertThat(advisor.text("ring-hint")).isEqualTo("Kela: en expert är ledig nu");
        // Names the configuration gives per language, and the page's own where it gives none.
        assertThat(advisor.find("#ring option[value='dvv']").getText()).isEqualTo("Myndigheten för digitalisering och befolkningsdata");
        choose(advisor, "ring", "dvv");
        assertThat(advisor.find("#topic option[value='guardianship']").getText()).isEqualTo("intressebevakning");
        choose(advisor, "lang", "en");
        assertThat(advisor.find("#ring option[value='dvv']").getText()).isEqualTo("Digital and Population Data Agency");
        choose(advisor, "lang", "sv");
        choose(advisor, "ring", "kela");
        assertThat(advisor.accessibilityViolations()).as("advisor's form in Swedish").isEmpty();
        choose(advisor, "lang", "fi");
    }

    @Test
    void theCameraMicrophoneAndSpeakerAreChosenCheckedAndRemembered() throws Exception {
        Browser.Window advisor = advisorReady("anna");
        advisor.find("#devices summary").click();
        await().until(() -> advisor.all("#device-microphone option").size() > 1
                && "Kamera ja mikrofoni toimivat. Valinnat muistetaan tässä selaimessa.".equals(advisor.text("device-status")));
        // The fake microphone beeps: the meter moves.
        await().atMost(Duration.ofSeconds(20)).until(() -> ((Number) advisor.js(
                "return document.getElementById('device-level').value")).doubleValue() > 0);
        assertThat(Boolean.TRUE.equals(advisor.js("const v = document.getElementById('device-preview');"
                + " return v.srcObject !== null && v.srcObject.getVideoTracks()[0].readyState === 'live'"))).isTrue();
        assertThat(advisor.accessibilityViolations()).as("device check").isEmpty();
        advisor.screenshotSizes("round2-14-advisor-devices");
        String mic = advisor.all("#device-microphone option").get(1).getAttribute("value");
        choose(advisor, "device-microphone", mic);
        assertThat((String) advisor.js("return localStorage.getItem('palvelurinki.devices')")).contains(mic);

        // Remembered in this browser; the next camera opened for a call uses it.
        advisor.reload();
        advisor.shown("call-now");
        advisor.find("#devices summary").click();
        await().until(() -> mic.equals(advisor.find("#device-microphone").getAttribute("value")));
        Browser.Window expert = expertAvailable("e1");
        advisor.click("call-now");
        expert.shown("accept");
        assertThat(advisor.js("return document.getElementById('preview').srcObject.getAudioTracks()[0].getSettings().deviceId"))
                .isEqualTo(mic);
        advisor.click("cancel");
    }

    @Test
    void pushesOfANewSessionThatComeBeforeItsWelcomeAreNotLost() {
        Browser.Window advisor = advisorReady("anna");
        // As after a server restart: the page said hello with its old resume token (its lastSeq far ahead),
        // and the new session's first push (seq 1) comes before the welcome (seq 2) that says resumed: false.
        Object got = advisor.asyncJs("""
                const done = arguments[arguments.length - 1];
                const c = window.palvelurinki.connection;
                const seen = [];
                c.addEventListener('push', (e) => { if (e.detail.type === 'queue_update') seen.push(e.detail.seq); });
                c.addEventListener('welcome', () => seen.push('welcome'));
                c.lastSeq = 40;
                c.early = [];
                c.receive({ seq: 1, type: 'queue_update', requestId: 999, position: 1, estimatedWaitSeconds: null });
                c.receive({ ...c.welcome, seq: 2, resumed: false, resumeError: 'test' });
                c.receive({ seq: 3, type: 'queue_update', requestId: 999, position: 1, estimatedWaitSeconds: null });
                setTimeout(() => done({ seen, lastSeq: c.lastSeq }), 100);""");
        assertThat(got).isEqualTo(Map.of("seen", List.of("welcome", 1L, 3L), "lastSeq", 3L));
    }
}
