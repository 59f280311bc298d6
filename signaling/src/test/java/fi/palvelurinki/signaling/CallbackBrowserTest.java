package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fi.palvelurinki.broker.journal.DomainEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The advisor's call-back in the pages (docs/pages.md, "Call-backs"), in a real Chromium. */
class CallbackBrowserTest extends BrowserTestBase {

    @Test
    void theAdvisorChoosesCallBackSignsOutAndInHearsTheRingAndBothSeeVideo() throws Exception {
        Browser.Window advisor = advisorReady("anna");
        PagesBrowserTest.choose(advisor, "ring", "kela");
        PagesBrowserTest.choose(advisor, "topic", "pension");
        advisor.find("#note").sendKeys("Asumistuki, liitteet puuttuvat");
        advisor.click("call-now");
        advisor.shown("to-callback");
        advisor.click("to-callback");

        // The point is free: the form is back, the call-back listed with its place in the queue.
        advisor.shown("call-now");
        await().until(() -> advisor.all("#callback-list li").size() == 1);
        assertThat(advisor.find("#callback-list li .callback-status").getText())
                .isEqualTo("Takaisinsoitto, jonossa 1.; asiantuntijoita ei ole nyt kirjautuneena");
        assertThat(advisor.js("return document.getElementById('preview').srcObject")).as("camera off").isNull();
        advisor.screenshot("callback-1-listed");

        // Signing out and in again: the welcome brings the call-back back.
        advisor.click("signout");
        await().until(() -> advisor.all("button[data-user='anna']").size() == 1);
        advisor.find("button[data-user='anna']").click();
        advisor.shown("call-now");
        await().until(() -> advisor.all("#callback-list li").size() == 1);

        Browser.Window expert = expertAvailable("e1");
        expert.shown("accept");
        assertThat(expert.displayed("offer-callback")).as("the expert sees it is a call-back").isTrue();
        assertThat(expert.text("offer-note")).isEqualTo("Asumistuki, liitteet puuttuvat");
        expert.click("accept");
        expert.shown("calling-point");
        assertThat(expert.text("calling-title")).isEqualTo("Soitetaan: Mikkelin Asiointipiste…");
        expert.screenshot("callback-2-expert-calling-the-point");

        advisor.shown("answer-callback");
        assertThat(advisor.text("callback-ring-title")).isEqualTo("Takaisinsoitto: Eeva Salonen soittaa");
        await().until(() -> Boolean.TRUE.equals(advisor.js(
                "const a = document.getElementById('callback-ring-sound'); return !a.paused && a.currentTime > 0")));
        advisor.screenshot("callback-3-advisor-ringing");
        advisor.click("answer-callback");

        Map<String, Object> advisorMedia = awaitVideo(advisor);
        Map<String, Object> expertMedia = awaitVideo(expert);
        assertThat(advisorMedia.get("state")).isEqualTo("connected");
        assertThat(expertMedia.get("state")).isEqualTo("connected");
        assertThat(advisor.displayed("callback-ring")).isFalse();
        assertThat((Boolean) advisor.js("return document.getElementById('callback-ring-sound').paused")).isTrue();
        assertThat(advisor.all("#callback-list li")).isEmpty();

        List<DomainEvent> events = journal();
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(DomainEvent.CallbackAnswered.class,
                a -> {
                    assertThat(a.advisorId()).isEqualTo("anna");
                    assertThat(a.attempt()).isEqualTo(1);
                }));
    }
}
