package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fi.palvelurinki.broker.CallEndReason;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.media.MediaConfig;
import fi.palvelurinki.media.testing.Coturn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Media through a real coturn, as across a symmetric NAT: the server hands out only the relay, with
 * credentials minted per user, and both browsers use {@code iceTransportPolicy: "relay"}. Then coturn
 * stops: both pages lose the media and try to restart ICE, and after the recovery time (the server's
 * manual clock) the call ends for both with reason media_lost, recorded in the journal.
 */
class TurnRelayBrowserTest extends BrowserTestBase {
    private Coturn coturn;

    @Override
    MediaConfig mediaConfig() throws Exception {
        Path dir = Files.createTempDirectory(data, "coturn");
        coturn = Coturn.start(dir);
        return new MediaConfig(false, "127.0.0.1", 0, "127.0.0.1").withTurn(coturn.config(Duration.ofMinutes(10)), true);
    }

    @AfterEach
    void stopCoturn() {
        if (coturn != null) {
            coturn.close();
        }
    }

    private static void call(Browser.Window advisor) {
        choose(advisor, "ring", "kela");
        choose(advisor, "topic", "pension");
        choose(advisor, "customer-language", "fi");
        advisor.click("call-now");
    }

    @Test
    void withRelayOnlyOnBothSidesTheVideoFlowsThroughCoturnUntilItStops() throws Exception {
        Browser.Window expert = expertAvailable("e1");
        Browser.Window advisor = advisorReady("anna");
        call(advisor);
        expert.shown("accept");
        expert.click("accept");

        for (Browser.Window w : new Browser.Window[] {advisor, expert}) {
            Map<String, Object> m = awaitVideo(w);
            assertThat(m.get("localCandidateType")).as("%s's selected pair, local side (coturn log:%n%s)", w, coturn.log())
                    .isEqualTo("relay");
            assertThat(m.get("remoteCandidateType")).as("remote side").isEqualTo("relay");
        }
        // Every pair the browsers could use is a relay: no host or server-reflexive candidate was gathered.
        assertThat(advisor.js("return window.palvelurinki.peer().localDescription.sdp")).asString()
                .contains("typ relay").doesNotContain("typ host").doesNotContain("typ srflx");
        System.out.printf("time to video over TURN (relay only, UDP): advisor %s ms (from Call now), expert %s ms (from Accept)%n",
                advisor.find("#call").getAttribute("data-video-ms"), expert.find("#call").getAttribute("data-video-ms"));

        // The pages report quality every 10 s; the server keeps it per ring.
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(f.server.metrics().scrape())
                .contains("palvelurinki_call_rtt_seconds_count{ring=\"kela\"}"));

        long callId = Long.parseLong(advisor.find("#call").getAttribute("data-call-id"));
        coturn.close();
        // Both pages notice (ICE consent fails within seconds) and tell the server, which starts the recovery time.
        await().atMost(Duration.ofSeconds(60)).until(() -> f.server.callMedia().mediaLost(callId));
        await().atMost(Duration.ofSeconds(60)).until(() -> "Yhteys katkesi. Kuvayhteyttä palautetaan…"
                .equals(advisor.text("call-status")) && "Yhteys katkesi. Kuvayhteyttä palautetaan…".equals(expert.text("call-status")));
        f.advance(f.server.options().media().config().recoveryTimeout());

        advisor.shown("call-now");
        assertThat(advisor.text("request-message")).isEqualTo("Puhelu päättyi: kuvayhteyttä ei saatu palautettua.");
        expert.shown("ready");
        assertThat(journal()).filteredOn(DomainEvent.CallEnded.class::isInstance)
                .map(e -> ((DomainEvent.CallEnded) e).reason()).containsExactly(CallEndReason.MEDIA_LOST);
        assertThat(journal()).anySatisfy(e -> assertThat(e).isInstanceOf(DomainEvent.CallQualityReported.class));
    }
}
