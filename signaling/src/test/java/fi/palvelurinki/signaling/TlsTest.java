package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fi.palvelurinki.broker.testing.ManualClock;
import fi.palvelurinki.signaling.auth.Role;
import fi.palvelurinki.signaling.tls.PemKeyStore;
import fi.palvelurinki.signaling.tls.WebTransport;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The way in without a browser: TLS with plain http refused, the PEM files, and trusted proxy headers. */
class TlsTest {
    @TempDir
    Path data;
    ServerFixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    private ServerFixture start(WebTransport t) throws Exception {
        f = new ServerFixture(data, ManualClock.tuesdayMorning(), c -> c, null, null, System::nanoTime, t);
        return f;
    }

    private static HttpResponse<String> get(URI uri, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withPlainHttpRefusedOnlyTlsGetsInAndTheProtocolWorksOverWss() throws Exception {
        TestCertificate cert = TestCertificate.get();
        start(WebTransport.tls(cert.certificate, cert.privateKey, WebTransport.PlainHttp.REFUSE));
        assertThatThrownBy(() -> get(URI.create("http://127.0.0.1:" + f.server.port() + "/healthz")))
                .isInstanceOf(IOException.class);
        HttpClient https = HttpClient.newBuilder().sslContext(cert.trustingContext()).build();
        HttpResponse<String> health = https.send(HttpRequest.newBuilder(f.http("/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");

        HttpClient old = HttpClient.newBuilder().sslContext(cert.trustingContext())
                .sslParameters(new javax.net.ssl.SSLParameters(null, new String[] {"TLSv1.1"})).build();
        assertThatThrownBy(() -> old.send(HttpRequest.newBuilder(f.http("/healthz")).build(),
                HttpResponse.BodyHandlers.ofString())).as("TLS 1.1 is refused").isInstanceOf(IOException.class);

        // The WebSocket protocol over wss, the token checked before the upgrade as on ws.
        java.net.http.WebSocket ws = HttpClient.newBuilder().sslContext(cert.trustingContext()).build()
                .newWebSocketBuilder().subprotocols("palvelurinki.v1", "bearer." + f.token(Role.ADVISOR, "anna"))
                .buildAsync(f.ws(), new java.net.http.WebSocket.Listener() {}).get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(ws.getSubprotocol()).isEqualTo("palvelurinki.v1");
        ws.abort();
    }

    @Test
    void behindAProxyOnlyItsForwardingHeadersCount() throws Exception {
        start(WebTransport.behindProxy(List.of("127.0.0.1"), WebTransport.PlainHttp.REDIRECT));
        URI page = URI.create("http://127.0.0.1:" + f.server.port() + "/healthz");
        HttpResponse<String> viaHttps = get(page, "X-Forwarded-Proto", "https", "X-Forwarded-Host", "palvelurinki.example.fi");
        assertThat(viaHttps.statusCode()).isEqualTo(200);
        assertThat(viaHttps.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
        HttpResponse<String> viaHttp = get(page, "X-Forwarded-Proto", "http", "X-Forwarded-Host", "palvelurinki.example.fi");
        assertThat(viaHttp.statusCode()).isEqualTo(308);
        assertThat(viaHttp.headers().firstValue("Location")).hasValue("https://palvelurinki.example.fi/healthz");
        f.close();

        // From an address that is not a trusted proxy the same headers are ignored: not redirected, no HSTS.
        start(WebTransport.behindProxy(List.of("10.9.9.9"), WebTransport.PlainHttp.REFUSE));
        HttpResponse<String> direct = get(URI.create("http://127.0.0.1:" + f.server.port() + "/healthz"),
                "X-Forwarded-Proto", "https");
        assertThat(direct.statusCode()).isEqualTo(200);
        assertThat(direct.headers().firstValue("Strict-Transport-Security")).isEmpty();
        f.close();

        start(WebTransport.behindProxy(List.of("127.0.0.1"), WebTransport.PlainHttp.REFUSE));
        assertThat(get(URI.create("http://127.0.0.1:" + f.server.port() + "/healthz"), "X-Forwarded-Proto", "http")
                .statusCode()).isEqualTo(403);
    }

    private static void pem(Path file, Object o) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII); JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        }
    }

    @Test
    void pemKeysInTheFormsOpensslWritesAreReadAndMistakesNamed() throws Exception {
        TestCertificate cert = TestCertificate.get();
        KeyStore ks = PemKeyStore.load(cert.certificate, cert.privateKey, "pw".toCharArray());
        assertThat(ks.getCertificate(PemKeyStore.ALIAS)).isEqualTo(cert.x509);

        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        Path pkcs1 = data.resolve("rsa.pem");
        pem(pkcs1, rsa.generateKeyPair().getPrivate());
        assertThat(Files.readString(pkcs1)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThatThrownBy(() -> PemKeyStore.load(cert.certificate, pkcs1, "pw".toCharArray()))
                .hasMessageContaining("rsa.pem is a RSA key, but the certificate in").hasMessageContaining("is for a EC key");

        Path garbage = data.resolve("garbage.pem");
        Files.writeString(garbage, "hello\n");
        assertThatThrownBy(() -> PemKeyStore.load(garbage, cert.privateKey, "pw".toCharArray()))
                .hasMessageContaining("garbage.pem holds no PEM certificate");
        assertThatThrownBy(() -> PemKeyStore.load(cert.certificate, garbage, "pw".toCharArray()))
                .hasMessageContaining("garbage.pem holds no unencrypted PEM private key");
        assertThatThrownBy(() -> new WebTransport(cert.certificate, null, List.of(), null, WebTransport.DEFAULT_HSTS))
                .hasMessageContaining("both a certificate and a private key");
        assertThatThrownBy(() -> WebTransport.behindProxy(List.of("proxy.example.fi"), null))
                .hasMessageContaining("a trusted proxy is an IP address");
    }
}
