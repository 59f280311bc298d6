package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.RingStatus;
import fi.palvelurinki.broker.journal.DomainEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The pages as people use them, in headless Chromium with a fake camera: a real server on an ephemeral
 * port with the embedded STUN service, the demo sign-in, and one browser window per person.
 * Screenshots of the main steps go to target/screenshots.
 */
class PagesBrowserTest extends BrowserTestBase {
    private RingStatus kela() throws Exception {
        return ((Reply.RingStatuses) f.server.broker().submit(new Command.GetRingStatus("kela"))
                .get(10, TimeUnit.SECONDS)).rings().get(0);
    }

    private static String cell(Browser.Window operator, String ring, String field) {
        return operator.find("tr[data-ring='" + ring + "'] [data-field='" + field + "']").getText();
    }

    @Test
    void anAdvisorCallsAnExpertAnswersAndBothSeeVideo() throws Exception {
        Browser.Window operator = open("operator", "olli");
        await().until(() -> operator.all("tr[data-ring]").size() == 2);
        Browser.Window expert = expertAvailable("e1");
        Browser.Window advisor = advisorReady("anna");
        advisor.screenshot("1-advisor-request-form");

        choose(advisor, "ring", "kela");
        choose(advisor, "topic", "pension");
        choose(advisor, "customer-language", "fi");
        advisor.find("#note").sendKeys("Eläkehakemus, liitteet tarkistettu");
        advisor.click("call-now");

        expert.shown("accept");
        assertThat(expert.text("offer-point")).isEqualTo("Mikkelin Asiointipiste (Mikkeli)");
        assertThat(expert.text("offer-advisor")).isEqualTo("Anna Virtanen");
        assertThat(expert.text("offer-note")).isEqualTo("Eläkehakemus, liitteet tarkistettu");
        java.util.regex.Matcher left = java.util.regex.Pattern.compile("Vastaa (\\d+) sekunnin kuluessa")
                .matcher(expert.text("offer-remaining"));
        assertThat(left.matches()).as(expert.text("offer-remaining")).isTrue();
        assertThat(Integer.parseInt(left.group(1))).as("of the ring's 20 s offer timeout").isBetween(1, 20);
        assertThat(expert.find("#accept").equals(expert.js("return document.activeElement"))).as("Accept has the focus").isTrue();
        expert.screenshot("2-expert-incoming-call");
        await().until(() -> cell(operator, "kela", "offersPending").equals("1"));

        expert.click("accept");
        Map<String, Object> advisorMedia = awaitVideo(advisor);
        Map<String, Object> expertMedia = awaitVideo(expert);
        assertThat(advisorMedia.get("state")).isEqualTo("connected");
        assertThat(expertMedia.get("state")).isEqualTo("connected");
        await().until(() -> cell(operator, "kela", "callsInProgress").equals("1"));
        assertThat(advisor.accessibilityViolations()).as("WCAG 2.1 AA, call view").isEmpty();
        advisor.screenshot("3-advisor-in-call");
        expert.screenshot("4-expert-in-call");
        operator.screenshot("5-operator-call-in-progress");

        // Both pages report their time to video; the server keeps it as a metric.
        await().untilAsserted(() -> assertThat(f.server.metrics().scrape())
                .contains("palvelurinki_time_to_video_seconds_count{role=\"advisor\"} 1")
                .contains("palvelurinki_time_to_video_seconds_count{role=\"expert\"} 1"));
        System.out.printf("time to video: advisor %s ms (from Call now), expert %s ms (from Accept); STUN bindings %d%n",
                advisor.find("#call").getAttribute("data-video-ms"), expert.find("#call").getAttribute("data-video-ms"),
                media.stun().bindingRequests());

        // The expert reloads the page in the middle of the call: it joins the call again, and the video
        // comes back on both sides over fresh peer connections.
        advisor.js("window.firstPeer = window.palvelurinki.peer()");
        expert.reload();
        expert.shown("hangup");
        awaitVideo(expert);
        await().atMost(VIDEO).until(() -> Boolean.TRUE.equals(
                advisor.js("return window.palvelurinki.peer() !== window.firstPeer")));
        awaitVideo(advisor);

        advisor.click("hangup");
        advisor.shown("call-now");
        assertThat(advisor.text("request-message")).isEqualTo("Puhelu päättyi (palveluneuvoja lopetti).");
        expert.shown("ready");
        assertThat(expert.find("#presence").getAttribute("data-presence")).isEqualTo("wrap_up");
        expert.screenshot("6-expert-wrap-up");
        await().until(() -> cell(operator, "kela", "callsInProgress").equals("0")
                && cell(operator, "kela", "today").startsWith("1 "));
        expert.click("ready");
        await().until(() -> "available".equals(expert.find("#presence").getAttribute("data-presence")));

        // The journal records the call.
        List<DomainEvent> events = journal();
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(DomainEvent.RequestQueued.class,
                q -> assertThat(q.triageNote()).isEqualTo("Eläkehakemus, liitteet tarkistettu")));
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOf(DomainEvent.CallStarted.class));
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(DomainEvent.CallEnded.class,
                c -> assertThat(c.reason().name()).isEqualTo("ADVISOR_HUNG_UP")));
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(DomainEvent.WrapUpEnded.class,
                w -> assertThat(w.early()).isTrue()));
        assertThat(kela().answeredToday()).isEqualTo(1);
    }

    @Test
    void aDeclinedCallIsOfferedToTheNextExpertAndCancellingWithdrawsIt() throws Exception {
        Browser.Window e1 = expertAvailable("e1");
        f.advance(Duration.ofSeconds(5)); // e1 has been idle longer: the first offer is theirs
        Browser.Window e2 = expertAvailable("e2");
        Browser.Window advisor = advisorReady("anna");
        advisor.find("#note").sendKeys("Asumistuen tarkistus");
        advisor.click("call-now");
        advisor.shown("queue-status");
        await().until(() -> advisor.text("queue-status").equals("Asiantuntijan puhelin soi…"));

        // With the keyboard only: the offer takes the focus on Accept; Tab and Enter decline.
        e1.shown("accept");
        e1.find("#accept").sendKeys(Keys.TAB);
        assertThat(e1.js("return document.activeElement.id")).isEqualTo("decline");
        ((WebElement) e1.js("return document.activeElement")).sendKeys(Keys.ENTER);
        await().until(() -> !e1.displayed("offer"));

        e2.shown("accept");
        assertThat(e2.text("offer-note")).isEqualTo("Asumistuen tarkistus");
        assertThat(e1.displayed("offer")).as("the decliner is not offered it again").isFalse();
        e2.screenshot("7-second-expert-offered-after-decline");

        advisor.click("cancel");
        advisor.shown("call-now");
        assertThat(advisor.text("request-message")).isEqualTo("Soitto peruttu.");
        await().until(() -> !e2.displayed("offer"));
        assertThat(e2.text("desk-message")).isEqualTo("Asiointipiste perui puhelun.");
        assertThat(e2.find("#presence").getAttribute("data-presence")).isEqualTo("available");
    }

    @Test
    void anAdvisorWaitsInTheQueueThroughADroppedConnectionAndCancels() throws Exception {
        Browser.Window operator = open("operator", "olli");
        await().until(() -> operator.all("tr[data-ring]").size() == 2);
        Browser.Window advisor = advisorReady("anna");
        advisor.click("call-now");
        advisor.shown("cancel");
        await().until(() -> advisor.text("queue-status")
                .equals("Olet jonossa 1. Asiantuntijoita ei ole nyt paikalla."));
        await().until(() -> cell(operator, "kela", "waiting").equals("1"));
        advisor.screenshot("8-advisor-waiting");
        operator.screenshot("9-operator-one-waiting");

        // The network drops the socket: the page resumes its session and the request keeps its place.
        advisor.js("window.palvelurinki.connection.ws.close(4001, 'test drops the connection')");
        await().until(() -> Boolean.TRUE.equals(advisor.js(
                "const c = window.palvelurinki.connection; return c.ready() && c.welcome.resumed === true")));
        assertThat(advisor.find("#connection").getAttribute("data-state")).isEqualTo("online");

        Browser.Window expert = expertAvailable("e2");
        await().until(() -> advisor.text("queue-status").equals("Asiantuntijan puhelin soi…"));
        expert.shown("accept");
        assertThat(expert.js("return document.activeElement.id")).isEqualTo("accept");
        f.advance(Duration.ofSeconds(20)); // the offer times out: back in the queue, with an estimate now
        await().until(() -> advisor.text("queue-status").startsWith("Olet jonossa 1. Arvioitu odotus"));
        assertThat(expert.text("desk-message")).isEqualTo("Puhelu siirtyi eteenpäin, koska siihen ei vastattu ajoissa.");

        advisor.click("cancel");
        advisor.shown("call-now");
        await().until(() -> cell(operator, "kela", "waiting").equals("0"));
        Reply.Requests left = (Reply.Requests) f.server.broker().submit(new Command.GetAdvisorRequests("anna"))
                .get(10, TimeUnit.SECONDS);
        assertThat(left.requests()).isEmpty();
        assertThat(kela().abandonedToday()).isEqualTo(1);
    }

    @Test
    void withoutACameraNoCallIsRequestedAndLosingItWithdrawsTheOffer() throws Exception {
        Browser.Window expert = expertAvailable("e1");
        Browser.Window advisor = advisorReady("anna");
        // As Chromium answers when no camera is connected.
        advisor.js("""
                window.realGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
                navigator.mediaDevices.getUserMedia = () =>
                  Promise.reject(new DOMException('Requested device not found', 'NotFoundError'));""");
        advisor.click("call-now");
        await().until(() -> !advisor.text("request-error").isEmpty());
        assertThat(advisor.text("request-error"))
                .isEqualTo("Kameraa tai mikrofonia ei löydy. Kytke ne ja yritä uudelleen. Soittoa ei aloitettu.");
        advisor.screenshot("10-advisor-no-camera");
        Reply.Requests none = (Reply.Requests) f.server.broker().submit(new Command.GetAdvisorRequests("anna"))
                .get(10, TimeUnit.SECONDS);
        assertThat(none.requests()).isEmpty();
        assertThat(kela().queuedToday()).isZero();
        assertThat(expert.displayed("offer")).isFalse();

        // The camera is back: the call is requested and rings. Then the camera goes away again.
        advisor.js("navigator.mediaDevices.getUserMedia = window.realGetUserMedia;");
        advisor.click("call-now");
        expert.shown("accept");
        advisor.js("document.getElementById('preview').srcObject.getVideoTracks()[0].dispatchEvent(new Event('ended'))");
        advisor.shown("call-now");
        assertThat(advisor.text("request-message"))
                .isEqualTo("Kamera irtosi. Soitto peruttiin, jotta asiantuntija ei saa kuvatonta puhelua.");
        await().until(() -> !expert.displayed("offer"));
        assertThat(kela().abandonedToday()).isEqualTo(1);
    }

    @Test
    void thePagesSpeakFinnishSwedishAndEnglishAndPassAnAccessibilityAudit() throws Exception {
        Browser.Window start = browser.open("start", "http://127.0.0.1:" + f.server.port() + "/");
        await().until(() -> start.displayed("demo"));
        assertThat(start.find("a[href='/advisor?demo=anna']").getText()).isEqualTo("Anna Virtanen – Mikkelin Asiointipiste");
        assertThat(start.accessibilityViolations()).as("start page").isEmpty();

        Browser.Window operator = open("operator", "olli");
        await().until(() -> operator.all("tr[data-ring]").size() == 2);
        assertThat(operator.accessibilityViolations()).as("operator board").isEmpty();
        Browser.Window expert = expertAvailable("e1");
        assertThat(expert.accessibilityViolations()).as("expert desk").isEmpty();
        Browser.Window advisor = advisorReady("anna");
        assertThat(advisor.accessibilityViolations()).as("advisor's request form").isEmpty();
        advisor.click("call-now");
        expert.shown("accept");
        assertThat(expert.accessibilityViolations()).as("expert's incoming call").isEmpty();
        advisor.shown("cancel");
        assertThat(advisor.accessibilityViolations()).as("advisor waiting").isEmpty();
        advisor.click("cancel");
        advisor.shown("call-now");

        assertThat(advisor.find("html").getAttribute("lang")).isEqualTo("fi");
        assertThat(advisor.text("call-now")).isEqualTo("Soita nyt");
        choose(advisor, "lang", "sv");
        assertThat(advisor.find("html").getAttribute("lang")).isEqualTo("sv");
        assertThat(advisor.text("call-now")).isEqualTo("Ring nu");
        assertThat(advisor.text("request-message")).isEqualTo("Samtalet avbröts.");
        assertThat(advisor.find("label[for='customer-language']").getText()).isEqualTo("Språk");
        assertThat(advisor.find("#customer-language option[value='fi']").getText()).isEqualTo("finska");
        advisor.screenshot("11-advisor-in-swedish");
        choose(advisor, "lang", "en");
        assertThat(advisor.text("call-now")).isEqualTo("Call now");
        assertThat(advisor.find("#topic option[value='pension']").getText()).isEqualTo("pension");
        assertThat(advisor.accessibilityViolations()).as("advisor's form in English").isEmpty();
        choose(advisor, "lang", "fi");

        // The audit does find what it should: a control without a label.
        advisor.js("document.getElementById('request-form').append(document.createElement('input'))");
        assertThat(advisor.accessibilityViolations()).anySatisfy(v -> assertThat(v).startsWith("label "));
    }
}
