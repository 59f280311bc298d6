package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fi.palvelurinki.broker.journal.DomainEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A call in progress when the server restarts: the video runs between the browsers, so it goes on while the
 * server is away, the pages reconnect to the restarted server, and the call ends as any other.
 */
class CallThroughRestartBrowserTest extends BrowserTestBase {

    private static long frames(Browser.Window w) {
        return ((Number) w.media().get("framesDecoded")).longValue();
    }

    @Test
    void theVideoGoesOnThroughAServerRestartAndTheCallEndsNormallyAfterIt() throws Exception {
        Browser.Window expert = expertAvailable("e1");
        Browser.Window advisor = advisorReady("anna");
        choose(advisor, "ring", "kela");
        choose(advisor, "topic", "pension");
        choose(advisor, "customer-language", "fi");
        advisor.click("call-now");
        expert.shown("accept");
        expert.click("accept");
        awaitVideo(advisor);
        awaitVideo(expert);
        advisor.js("window.firstPeer = window.palvelurinki.peer()");
        expert.js("window.firstPeer = window.palvelurinki.peer()");
        long advisorBefore = frames(advisor);
        long expertBefore = frames(expert);

        f.restartOnSamePort();

        // Both pages are back on the restarted server (a new session: it knew none) and still in the call...
        await().until(() -> f.server.sessions().connections(fi.palvelurinki.signaling.auth.Role.ADVISOR) == 1
                && f.server.sessions().connections(fi.palvelurinki.signaling.auth.Role.EXPERT) == 1);
        advisor.shown("hangup");
        expert.shown("hangup");
        assertThat(expert.find("#presence").getAttribute("data-presence")).isEqualTo("in_call");
        // ...on the same peer connection, which went on decoding video all along.
        assertThat(advisor.js("return window.palvelurinki.peer() === window.firstPeer")).isEqualTo(Boolean.TRUE);
        assertThat(expert.js("return window.palvelurinki.peer() === window.firstPeer")).isEqualTo(Boolean.TRUE);
        await().until(() -> frames(advisor) > advisorBefore + 10 && frames(expert) > expertBefore + 10);
        advisor.screenshot("call-through-restart");

        advisor.click("hangup");
        advisor.shown("call-now");
        expert.shown("ready");
        List<DomainEvent> events = journal();
        assertThat(events).filteredOn(DomainEvent.CallStarted.class::isInstance).hasSize(1);
        assertThat(events).filteredOn(DomainEvent.CallEnded.class::isInstance).singleElement()
                .satisfies(e -> assertThat(((DomainEvent.CallEnded) e).reason().name()).isEqualTo("ADVISOR_HUNG_UP"));
    }
}
