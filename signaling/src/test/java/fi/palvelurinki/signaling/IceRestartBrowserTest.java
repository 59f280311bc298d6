package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fi.palvelurinki.broker.journal.DomainEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A call that survives a network change: the advisor's laptop says it is online on another network
 * (the browser's "online" event), the page restarts ICE through the server on the same peer connection,
 * and the video goes on without the call ending.
 */
class IceRestartBrowserTest extends BrowserTestBase {

    @Test
    void aNetworkChangeMidCallRestartsIceAndTheVideoGoesOn() throws Exception {
        Browser.Window expert = expertAvailable("e1");
        Browser.Window advisor = advisorReady("anna");
        callAndAccept(advisor, expert);
        Map<String, Object> before = awaitVideo(advisor);
        Map<String, Object> expertBefore = awaitVideo(expert);
        System.out.printf("time to video direct (STUN, host candidates): advisor %s ms (from Call now), expert %s ms (from Accept)%n",
                advisor.find("#call").getAttribute("data-video-ms"), expert.find("#call").getAttribute("data-video-ms"));
        advisor.js("window.firstPeer = window.palvelurinki.peer()");
        expert.js("window.firstPeer = window.palvelurinki.peer()");

        advisor.js("window.dispatchEvent(new Event('online'))");

        // New ICE credentials on both sides (an ICE restart), on the same peer connections.
        await().atMost(VIDEO).until(() -> !before.get("localUfrag").equals(advisor.media().get("localUfrag"))
                && !expertBefore.get("localUfrag").equals(expert.media().get("localUfrag")));
        assertThat(advisor.js("return window.palvelurinki.peer() === window.firstPeer")).isEqualTo(true);
        assertThat(expert.js("return window.palvelurinki.peer() === window.firstPeer")).isEqualTo(true);
        assertThat(advisor.js("return window.palvelurinki.call().restarts")).isEqualTo(1L);
        // The media keeps flowing: connected, and more frames decoded than before the restart.
        long advisorFrames = framesDecoded(advisor);
        long expertFrames = framesDecoded(expert);
        await().atMost(VIDEO).until(() -> "connected".equals(advisor.media().get("state")) && framesDecoded(advisor) > advisorFrames
                && "connected".equals(expert.media().get("state")) && framesDecoded(expert) > expertFrames);
        assertThat(advisor.find("#hangup").isDisplayed()).isTrue();
        assertThat(expert.find("#hangup").isDisplayed()).isTrue();

        advisor.click("hangup");
        advisor.shown("call-now");
        assertThat(journal()).filteredOn(DomainEvent.CallEnded.class::isInstance)
                .map(e -> ((DomainEvent.CallEnded) e).reason().name()).containsExactly("ADVISOR_HUNG_UP");
    }
}
