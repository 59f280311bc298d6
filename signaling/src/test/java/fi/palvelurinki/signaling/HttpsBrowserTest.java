package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.signaling.tls.WebTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The call over https and wss, served by Palvelurinki itself from PEM files (a certificate made for
 * the test, TestCertificate, that Chromium trusts by its key): a secure context, so the camera is
 * offered as it would be on a real domain; HSTS on the responses; plain http redirected to https.
 */
class HttpsBrowserTest extends BrowserTestBase {
    @Override
    WebTransport transport() {
        TestCertificate cert = TestCertificate.get();
        return WebTransport.tls(cert.certificate, cert.privateKey, WebTransport.PlainHttp.REDIRECT);
    }

    @Test
    void aCallOverHttpsAndWssWithVideoOnBothSides() throws Exception {
        Browser.Window expert = expertAvailable("e1");
        Browser.Window advisor = advisorReady("anna");
        assertThat(advisor.js("return location.protocol")).isEqualTo("https:");
        assertThat(advisor.js("return window.isSecureContext")).isEqualTo(true);
        assertThat(advisor.js("return performance.getEntriesByType('resource').some(r => r.name.startsWith('https:'))"))
                .isEqualTo(true);

        callAndAccept(advisor, expert);
        awaitVideo(advisor);
        awaitVideo(expert);
        advisor.screenshot("https-advisor-in-call");
        advisor.click("hangup");
        advisor.shown("call-now");

        HttpClient https = HttpClient.newBuilder().sslContext(TestCertificate.get().trustingContext()).build();
        HttpResponse<String> page = https.send(HttpRequest.newBuilder(URI.create(base() + "/advisor")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
        assertThat(page.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).isIn("TLSv1.3", "TLSv1.2"));

        // Plain http on the same port: sent to the same page over https.
        HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + f.server.port() + "/advisor?demo=anna")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(308);
        assertThat(plain.headers().firstValue("Location")).hasValue(base() + "/advisor?demo=anna");
    }
}
