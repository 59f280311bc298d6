package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A service point's PC whose clock is days off must neither lock its user out nor keep a sign-in the
 * server refuses: the server, by its own clock, is the judge of a token (docs/pages.md, "Sign-in and
 * clocks"). Each window's pages see a clock three days ahead of or behind the server's.
 */
class ClockSkewBrowserTest extends BrowserTestBase {

    private static String presence(Browser.Window w) {
        return w.find("#presence").getAttribute("data-presence");
    }

    @ParameterizedTest(name = "browser clock {0} days from the server''s")
    @ValueSource(ints = {3, -3})
    void aPageWithAWrongClockSignsInReloadsAndResumesACall(int days) {
        Duration skew = Duration.ofDays(days);
        Browser.Window expert = open("expert", "e1", skew);
        await().atMost(Duration.ofSeconds(20)).until(() -> "available".equals(presence(expert)));
        assertThat(expert.js("return new Date().getTime() - Date.now() < 1000 && Math.abs(Date.now() - " + System.currentTimeMillis()
                + ") > 2 * 86400000")).as("the page really sees a wrong clock").isEqualTo(true);

        // A reload keeps the sign-in: the page does not throw its token away by its own clock.
        expert.reload();
        await().atMost(Duration.ofSeconds(20)).until(() -> "available".equals(presence(expert)));
        assertThat(expert.displayed("signin")).isFalse();

        Browser.Window advisor = open("advisor", "anna", skew);
        advisor.shown("call-now");
        await().until(() -> advisor.all("#ring option").size() == 2);
        advisor.reload();
        advisor.shown("call-now");
        advisor.click("call-now");
        expert.click("accept");
        awaitVideo(advisor);
        awaitVideo(expert);

        // Reloaded in the middle of the call, the expert's page signs in with its saved token and resumes.
        advisor.js("window.firstPeer = window.palvelurinki.peer()");
        expert.reload();
        expert.shown("hangup");
        awaitVideo(expert);
        await().atMost(VIDEO).until(() -> Boolean.TRUE.equals(advisor.js("return window.palvelurinki.peer() !== window.firstPeer")));
        awaitVideo(advisor);
        advisor.click("hangup");
        advisor.shown("call-now");
        expert.shown("ready");
    }

    @ParameterizedTest(name = "browser clock {0} days from the server''s")
    @ValueSource(ints = {3, -3})
    void aTokenTheServerNoLongerTakesBringsTheSignInBack(int days) {
        Duration skew = Duration.ofDays(days);
        Browser.Window advisor = open("advisor", "anna", skew);
        advisor.shown("call-now");
        Browser.Window expert = open("expert", "e1", skew);
        await().atMost(Duration.ofSeconds(20)).until(() -> "available".equals(presence(expert)));

        // Demo tokens last 12 hours by the server's clock; the browsers' clocks cannot tell.
        f.advance(Duration.ofHours(13));

        // A reload: the saved token is tried, refused by the server, and the sign-in comes back.
        advisor.reload();
        advisor.shown("signin");
        assertThat(advisor.find("#signin .error").getText()).isEqualTo("Kirjautumisesi on päättynyt. Kirjaudu uudelleen.");

        // A page left open: its socket drops, the reconnect is refused, and it goes to the sign-in too.
        expert.js("window.palvelurinki.connection.ws.close()");
        expert.shown("signin");
        assertThat(expert.find("#signin .error").getText()).isEqualTo("Kirjautumisesi on päättynyt. Kirjaudu uudelleen.");

        // Signing in again works at once.
        expert.find("#signin button[data-user='e1']").click();
        await().atMost(Duration.ofSeconds(20)).until(() -> "available".equals(presence(expert)));
    }
}
