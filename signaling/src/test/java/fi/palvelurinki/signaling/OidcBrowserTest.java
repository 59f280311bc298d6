package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.testing.ManualClock;
import fi.palvelurinki.media.PeerToPeerMedia;
import fi.palvelurinki.signaling.http.PagesHandler;
import fi.palvelurinki.signaling.tls.WebTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.server.Handler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sign-in through a real OpenID provider (oidc-provider on loopback, {@link OidcProvider}): an advisor
 * and an expert sign in at their organisation's provider, with their roles, point and ring from the
 * provider's claims alone (neither is in the configuration file), and hold a video call; a person whose
 * claims give no role gets the page saying so; sign-out ends the session and offers the provider's own.
 */
class OidcBrowserTest extends BrowserTestBase {
    OidcProvider provider;

    @Override
    @BeforeEach
    void startServer() throws Exception {
        int providerPort = OidcProvider.freePort();
        media = PeerToPeerMedia.start(mediaConfig(), java.time.InstantSource.system());
        Handler.Sequence web = new Handler.Sequence(new PagesHandler());
        f = new ServerFixture(data, ManualClock.tuesdayMorning(), c -> c, web, media, System::nanoTime,
                WebTransport.plain(), OidcProvider.securityYaml(providerPort));
        provider = new OidcProvider(providerPort, base() + "/oidc/callback", base() + "/");
    }

    @AfterEach
    void stopProvider() {
        if (provider != null) {
            provider.close();
        }
    }

    /** Opens the page, follows "Sign in with Testikunta" and signs in at the provider's own login form. */
    private Browser.Window signIn(String page, String user) {
        browser.clearCookies();
        Browser.Window w = browser.open(user, base() + "/" + page);
        // The page lists the providers once it has asked the server for them.
        await().until(() -> w.all("a[data-provider='test']").size() == 1);
        w.find("a[data-provider='test']").click();
        await().until(() -> w.all("input[name='login']").size() == 1);
        w.find("input[name='login']").sendKeys(user);
        w.find("input[name='password']").sendKeys("salasana");
        w.find("button[type='submit']").click();
        return w;
    }

    @Test
    void anAdvisorAndAnExpertSignInAtTheirProviderAndHoldACall() throws Exception {
        assertThat(f.server.directory().advisor("asta")).as("not in the configuration file").isNull();
        Browser.Window advisor = signIn("advisor", "asta");
        advisor.shown("call-now");
        assertThat(advisor.text("who")).isEqualTo("Asta Neuvoja · Mikkelin Asiointipiste");
        assertThat(advisor.js("return location.hash")).as("the token leaves the address at once").isEqualTo("");
        await().until(() -> advisor.all("#ring option").size() == 2);

        Browser.Window expert = signIn("expert", "eino");
        await().atMost(Duration.ofSeconds(20)).until(() -> "available".equals(
                expert.find("#presence").getAttribute("data-presence")));
        assertThat(f.server.directory().expert("eino").rings()).isEqualTo(Set.of("kela"));

        choose(advisor, "ring", "kela");
        choose(advisor, "topic", "pension");
        choose(advisor, "customer-language", "fi");
        advisor.click("call-now");
        expert.shown("accept");
        assertThat(expert.text("offer-advisor")).isEqualTo("Asta Neuvoja");
        expert.click("accept");
        awaitVideo(advisor);
        awaitVideo(expert);
        advisor.screenshot("oidc-1-advisor-in-call");
        advisor.click("hangup");
        advisor.shown("call-now");

        // Sign-out ends the session at the server, and offers the provider's own sign-out.
        String token = (String) advisor.js("return sessionStorage.getItem('palvelurinki.token.advisor')");
        assertThat(session(token)).isEqualTo(200);
        advisor.click("signout");
        advisor.shown("provider-signout");
        assertThat(advisor.find("#provider-signout").getAttribute("href"))
                .startsWith(provider.issuer() + "/session/end?client_id=palvelurinki");
        assertThat(session(token)).as("the ended session's token").isEqualTo(401);
        advisor.screenshot("oidc-2-signed-out");

        List<DomainEvent> events = journal();
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(DomainEvent.SignedIn.class, s -> {
            assertThat(s.userId()).isEqualTo("asta");
            assertThat(s.role()).isEqualTo("advisor");
            assertThat(s.pointId()).isEqualTo("mikkeli");
        }));
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(DomainEvent.SignedIn.class, s -> {
            assertThat(s.userId()).isEqualTo("eino");
            assertThat(s.role()).isEqualTo("expert");
            assertThat(s.rings()).containsExactly("kela");
        }));
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(DomainEvent.ExpertDefined.class,
                x -> assertThat(x.actor()).isEqualTo("oidc:test")));
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(DomainEvent.SignedOut.class,
                s -> assertThat(s.userId()).isEqualTo("asta")));
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOf(DomainEvent.CallEnded.class));
    }

    @Test
    void someoneWhoseClaimsGiveNoRoleGetsAPageSayingSoAndNothingElse() throws Exception {
        Browser.Window w = signIn("advisor", "vieras");
        w.shown("no-role");
        assertThat(w.find("section[lang='fi'] h1").getText()).isEqualTo("Sinulla ei ole käyttöoikeutta Palvelurinkiin");
        assertThat(w.find("section[lang='sv'] h1").getText()).isEqualTo("Du har ingen behörighet till Palvelurinki");
        assertThat(w.find("section[lang='en'] h1").getText()).isEqualTo("You have no access to Palvelurinki");
        assertThat(w.js("return location.hash")).isEqualTo("");
        assertThat(w.all("a")).as("nothing else is offered").isEmpty();
        assertThat(w.accessibilityViolations()).isEmpty();
        w.screenshot("oidc-3-no-role");
        assertThat(journal()).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(DomainEvent.SignedIn.class, s -> {
            assertThat(s.userId()).isEqualTo("vieras");
            assertThat(s.role()).isNull();
            assertThat(s.reason()).isEqualTo("no rule matched");
        }));
        assertThat(f.server.directory().advisor("vieras")).isNull();
    }

    private int session(String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base() + "/api/session"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
