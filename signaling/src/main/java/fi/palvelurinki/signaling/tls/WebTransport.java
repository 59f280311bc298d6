package fi.palvelurinki.signaling.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How browsers reach the server (section {@code server} of the configuration, docs/operations.md): plain
 * http (a demo on one machine), https and wss served here from a PEM certificate and key, or plain http
 * behind a TLS-terminating reverse proxy whose forwarding headers are trusted from the listed addresses
 * only.
 *
 * @param certificate     PEM certificate chain (leaf first), or null
 * @param privateKey      PEM private key of the certificate (PKCS#8, PKCS#1 RSA or SEC1 EC), or null
 * @param trustedProxies  addresses whose {@code X-Forwarded-*} and {@code Forwarded} headers are believed; empty: none
 * @param plainHttp       what a request that did not come over https gets, when https is served here or by the proxy
 * @param hstsMaxAge      {@code Strict-Transport-Security} max-age on https responses; zero: no header
 */
public record WebTransport(Path certificate, Path privateKey, List<String> trustedProxies, PlainHttp plainHttp,
        Duration hstsMaxAge) {

    /** A plain-http request, when https is the way in. */
    public enum PlainHttp {
        /** 308 to the same path on https (the same port when TLS is served here). */
        REDIRECT,
        /** TLS here: no plain http on the port at all (the connection fails). Behind a proxy: 403. */
        REFUSE
    }

    public static final Duration DEFAULT_HSTS = Duration.ofDays(365);

    public WebTransport {
        if ((certificate == null) != (privateKey == null)) {
            throw new IllegalArgumentException("TLS needs both a certificate and a private key (PEM files)");
        }
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
        if (certificate != null && !trustedProxies.isEmpty()) {
            throw new IllegalArgumentException("give either a TLS certificate (https here) or trusted proxies (https at "
                    + "the proxy), not both");
        }
        for (String p : trustedProxies) {
            if (p == null || !p.matches("[0-9A-Fa-f.:]+")) {
                throw new IllegalArgumentException("a trusted proxy is an IP address, got '" + p + "'");
            }
            try {
                InetAddress.getByName(p);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("a trusted proxy is an IP address, got '" + p + "'");
            }
        }
        if (plainHttp == null) {
            plainHttp = PlainHttp.REDIRECT;
        }
        if (hstsMaxAge == null || hstsMaxAge.isNegative() || hstsMaxAge.compareTo(Duration.ofDays(730)) > 0) {
            throw new IllegalArgumentException("hstsMaxAge must be between 0 and 730 days, got " + hstsMaxAge);
        }
    }

    /** Plain http only: a demo or a test on one machine. */
    public static WebTransport plain() {
        return new WebTransport(null, null, List.of(), PlainHttp.REDIRECT, DEFAULT_HSTS);
    }

    public static WebTransport tls(Path certificate, Path privateKey, PlainHttp plainHttp) {
        return new WebTransport(certificate, privateKey, List.of(), plainHttp, DEFAULT_HSTS);
    }

    public static WebTransport behindProxy(List<String> trustedProxies, PlainHttp plainHttp) {
        return new WebTransport(null, null, trustedProxies, plainHttp, DEFAULT_HSTS);
    }

    public boolean tls() {
        return certificate != null;
    }

    public boolean proxied() {
        return !trustedProxies.isEmpty();
    }

    /** Browsers come over https (here or at the proxy): plain http is redirected or refused. */
    public boolean httpsOnly() {
        return tls() || proxied();
    }

    public WebTransport withTls(Path cert, Path key) {
        return new WebTransport(cert, key, List.of(), plainHttp, hstsMaxAge);
    }
}
