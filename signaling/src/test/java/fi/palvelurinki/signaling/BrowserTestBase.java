package fi.palvelurinki.signaling;

import static org.awaitility.Awaitility.await;

import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.JournalReader;
import fi.palvelurinki.broker.testing.ManualClock;
import fi.palvelurinki.media.MediaConfig;
import fi.palvelurinki.media.PeerToPeerMedia;
import fi.palvelurinki.signaling.http.DemoLoginHandler;
import fi.palvelurinki.signaling.http.PagesHandler;
import fi.palvelurinki.signaling.tls.WebTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser tests' common ground: one headless Chromium per test class, and per test a real server on
 * an ephemeral port (manual clock, Tuesday 10:00 Finnish time) with the embedded STUN service and the
 * demo sign-in. On a failure every window's screenshot and console go to target/screenshots.
 */
abstract class BrowserTestBase {
    static final Duration VIDEO = Duration.ofSeconds(30);
    static Browser browser;

    @RegisterExtension
    final AfterTestExecutionCallback evidence = context -> {
        if (context.getExecutionException().isPresent()) {
            browser.saveEvidence(context.getRequiredTestMethod().getName());
        }
    };

    @TempDir
    Path data;
    PeerToPeerMedia media;
    ServerFixture f;

    @BeforeAll
    static void startBrowser() throws Exception {
        // Pages re-render lists as pushes arrive: an element found a moment ago may be replaced before it
        // is read, and a loaded 2-core machine makes that likelier. Waiting means trying again, up to 30 s.
        org.awaitility.Awaitility.setDefaultTimeout(Duration.ofSeconds(30));
        // One predicate for both: each ignoreExceptionByDefault call replaces the one before.
        org.awaitility.Awaitility.ignoreExceptionsByDefaultMatching(
                e -> e instanceof org.openqa.selenium.StaleElementReferenceException
                        || e instanceof org.openqa.selenium.NoSuchElementException);
        browser = new Browser();
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void startServer() throws Exception {
        ManualClock clock = ManualClock.tuesdayMorning();
        // TURN credentials are judged by coturn on the machine's clock, not the test server's.
        media = PeerToPeerMedia.start(mediaConfig(), java.time.InstantSource.system());
        Handler.Sequence web = new Handler.Sequence(new PagesHandler());
        f = new ServerFixture(data, clock, c -> c, web, media, System::nanoTime, transport(), "", deployment());
        web.addHandler(new DemoLoginHandler(f.server));
    }

    /** The media the server hands out: the embedded STUN service on loopback; the relay tests add coturn. */
    MediaConfig mediaConfig() throws Exception {
        return new MediaConfig(true, "127.0.0.1", 0, "127.0.0.1");
    }

    /** The deployment the server runs: the test deployment; the interpreter tests' has an interpreter ring. */
    String deployment() {
        return "/test-deployment.yaml";
    }

    /** Plain http; the https test serves TLS. */
    WebTransport transport() {
        return WebTransport.plain();
    }

    String base() {
        return (f.transport.tls() ? "https" : "http") + "://127.0.0.1:" + f.server.port();
    }

    @AfterEach
    void stopServer() {
        browser.closeWindows();
        f.close();
        media.close();
    }

    Browser.Window open(String page, String user) {
        return browser.open(user, base() + "/" + page + "?demo=" + user);
    }

    /** As {@link #open(String, String)}, in a window whose clock is {@code skew} away from the server's. */
    Browser.Window open(String page, String user, Duration skew) {
        long browserMinusServer = f.clock.instant().plus(skew).toEpochMilli() - System.currentTimeMillis();
        return browser.open(user, base() + "/" + page + "?demo=" + user, browserMinusServer);
    }

    /** The advisor's request form, signed in and with the rings loaded. */
    Browser.Window advisorReady(String user) {
        Browser.Window a = open("advisor", user);
        a.shown("call-now");
        await().until(() -> a.all("#ring option").size() == 2);
        return a;
    }

    /** The expert's desk, signed in and taking calls. */
    Browser.Window expertAvailable(String user) {
        Browser.Window e = open("expert", user);
        await().atMost(Duration.ofSeconds(20)).until(() -> "available".equals(e.find("#presence").getAttribute("data-presence")));
        return e;
    }

    static void choose(Browser.Window w, String selectId, String value) {
        w.find("#" + selectId + " option[value='" + value + "']").click();
    }

    /** The advisor asks for a Kela call (pension, in Finnish); the expert, offered it, accepts. */
    static void callAndAccept(Browser.Window advisor, Browser.Window expert) {
        choose(advisor, "ring", "kela");
        choose(advisor, "topic", "pension");
        choose(advisor, "customer-language", "fi");
        advisor.click("call-now");
        expert.shown("accept");
        expert.click("accept");
    }

    /** The video frames the window's peer connection has decoded so far. */
    static long framesDecoded(Browser.Window w) {
        return ((Number) w.media().get("framesDecoded")).longValue();
    }

    /** Waits until the window's peer connection is connected and has decoded video frames. */
    static Map<String, Object> awaitVideo(Browser.Window w) {
        return await().atMost(VIDEO).until(w::media, m -> m != null && "connected".equals(m.get("state"))
                && ((Number) m.get("framesDecoded")).longValue() > 0);
    }

    /** Everything the journal holds once it is all on disk. */
    List<DomainEvent> journal() throws Exception {
        await().until(() -> f.server.broker().health().durableSeq() == f.server.broker().health().appendedSeq());
        List<DomainEvent> events = new ArrayList<>();
        JournalReader.read(data.resolve("journal"), e -> events.add(e.event()));
        return events;
    }
}
