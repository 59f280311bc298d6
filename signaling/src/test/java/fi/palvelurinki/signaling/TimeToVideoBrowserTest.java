package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fi.palvelurinki.broker.testing.ManualClock;
import fi.palvelurinki.media.MediaConfig;
import fi.palvelurinki.media.PeerToPeerMedia;
import fi.palvelurinki.media.testing.Coturn;
import fi.palvelurinki.signaling.http.DemoLoginHandler;
import fi.palvelurinki.signaling.http.PagesHandler;
import fi.palvelurinki.signaling.tls.WebTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Handler;
import org.junit.jupiter.api.Test;

/**
 * Time to video over the TURN relay against direct, measured in turns on the same machine at the same
 * time (a busy machine slows both alike): calls alternate between a server that hands out the
 * embedded STUN service only and one that hands out only coturn with {@code iceTransportPolicy:
 * relay}. Asserts only that every call gets video with the right kind of path; the figures are
 * printed for docs/performance.md (speed is not asserted in tests).
 */
class TimeToVideoBrowserTest extends BrowserTestBase {
    private static final int ROUNDS = 3;

    /** Opens an expert and an advisor on the server, makes a call, and returns the expert's Accept → video ms. */
    private long call(ServerFixture server, String kind) {
        String base = "http://127.0.0.1:" + server.server.port();
        Browser.Window expert = browser.open("e1", base + "/expert?demo=e1");
        await().atMost(Duration.ofSeconds(30)).until(() -> "available".equals(expert.find("#presence").getAttribute("data-presence")));
        Browser.Window advisor = browser.open("anna", base + "/advisor?demo=anna");
        advisor.shown("call-now");
        await().until(() -> advisor.all("#ring option").size() == 2);
        callAndAccept(advisor, expert);
        Object path = awaitVideo(expert).get("localCandidateType");
        if (kind.equals("relay")) {
            assertThat(path).as(kind).isEqualTo("relay");
        } else {
            assertThat(path).as(kind).isNotEqualTo("relay");
        }
        awaitVideo(advisor);
        long ms = Long.parseLong(expert.find("#call").getAttribute("data-video-ms"));
        advisor.click("hangup");
        advisor.shown("call-now");
        browser.closeWindows();
        return ms;
    }

    private ServerFixture server(Path dir, PeerToPeerMedia media) throws Exception {
        Handler.Sequence web = new Handler.Sequence(new PagesHandler());
        ServerFixture s = new ServerFixture(dir, ManualClock.tuesdayMorning(), c -> c, web, media, System::nanoTime,
                WebTransport.plain());
        web.addHandler(new DemoLoginHandler(s.server));
        return s;
    }

    @Test
    void overTheRelayAndDirectInTurns() throws Exception {
        List<Long> direct = new ArrayList<>();
        List<Long> relay = new ArrayList<>();
        try (Coturn coturn = Coturn.start(Files.createTempDirectory(data, "coturn"));
                PeerToPeerMedia relayOnly = PeerToPeerMedia.start(new MediaConfig(false, "127.0.0.1", 0, "127.0.0.1")
                        .withTurn(coturn.config(Duration.ofMinutes(10)), true), InstantSource.system())) {
            for (int i = 0; i < ROUNDS; i++) {
                // A fresh server for every call (the expert is available again at once); the direct ones hand out
                // the base class's embedded STUN service.
                try (ServerFixture viaStun = server(Files.createTempDirectory(data, "direct"), media)) {
                    direct.add(call(viaStun, "direct"));
                }
                try (ServerFixture viaTurn = server(Files.createTempDirectory(data, "relay"), relayOnly)) {
                    relay.add(call(viaTurn, "relay"));
                }
            }
        }
        System.out.printf("time to video, expert's Accept to first decoded frame, %d calls each in turns: direct %s ms "
                + "(median %d), TURN relay (UDP, relay only) %s ms (median %d)%n", ROUNDS, direct, median(direct), relay,
                median(relay));
    }

    private static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
