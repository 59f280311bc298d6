package fi.palvelurinki.signaling.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The way in, as {@link WebTransport} says: the listening connector (TLS 1.2 and 1.3 only, with Jetty's
 * exclusion of weak cipher suites; plain http on the same port only to be redirected), and a handler in
 * front of everything that adds HSTS to https responses and redirects or refuses plain http. Behind a
 * proxy, its forwarding headers count only from the trusted addresses.
 */
public final class HttpsFront {
    private HttpsFront() {}

    public static ServerConnector connector(Server server, WebTransport t, String host, int port) throws IOException {
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        ServerConnector connector;
        if (t.tls()) {
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // The browser checks the name against the certificate; Jetty's own check would refuse http://IP tests.
            secure.setSniHostCheck(false);
            // HSTS is the front handler's, also for https at a proxy.
            secure.setStsMaxAge(-1);
            config.addCustomizer(secure);
            HttpConnectionFactory http = new HttpConnectionFactory(config);
            SslConnectionFactory tls = new SslConnectionFactory(sslContext(t), http.getProtocol());
            ConnectionFactory first = t.plainHttp() == WebTransport.PlainHttp.REDIRECT ? new DetectorConnectionFactory(tls) : tls;
            connector = new ServerConnector(server, first, http);
        } else {
            if (t.proxied()) {
                config.addCustomizer(new TrustedForwarding(t));
            }
            connector = new ServerConnector(server, new HttpConnectionFactory(config));
        }
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    private static SslContextFactory.Server sslContext(WebTransport t) throws IOException {
        byte[] raw = new byte[16];
        new SecureRandom().nextBytes(raw);
        String password = HexFormat.of().formatHex(raw);
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(PemKeyStore.load(t.certificate(), t.privateKey(), password.toCharArray()));
        ssl.setKeyStorePassword(password);
        ssl.setCertAlias(PemKeyStore.ALIAS);
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        ssl.setSniRequired(false);
        return ssl;
    }

    /** Forwarding headers (Forwarded, X-Forwarded-For/-Proto/-Host/-Port) from trusted proxies only. */
    private static final class TrustedForwarding implements HttpConfiguration.Customizer {
        private final ForwardedRequestCustomizer forwarded = new ForwardedRequestCustomizer();
        private final Set<InetAddress> trusted;

        TrustedForwarding(WebTransport t) throws IOException {
            this.trusted = t.trustedProxies().stream().map(TrustedForwarding::address).collect(Collectors.toSet());
        }

        private static InetAddress address(String ip) {
            try {
                return InetAddress.getByName(ip);
            } catch (IOException e) {
                throw new IllegalArgumentException("not an IP address: " + ip, e);
            }
        }

        @Override
        public Request customize(Request request, org.eclipse.jetty.http.HttpFields.Mutable responseHeaders) {
            return fromTrusted(request, trusted) ? forwarded.customize(request, responseHeaders) : request;
        }
    }

    static boolean fromTrusted(Request request, Set<InetAddress> trusted) {
        SocketAddress a = request.getConnectionMetaData().getRemoteSocketAddress();
        return a instanceof InetSocketAddress i && trusted.contains(i.getAddress());
    }

    /** HSTS on https; plain http redirected or refused when browsers are meant to come over https. */
    public static Handler front(Handler next, WebTransport t) {
        return new Handler.Wrapper(next) {
            private final Set<InetAddress> trusted = t.trustedProxies().stream().map(TrustedForwarding::address)
                    .collect(Collectors.toSet());

            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (request.isSecure()) {
                    if (!t.hstsMaxAge().isZero()) {
                        response.getHeaders().put(HttpHeader.STRICT_TRANSPORT_SECURITY, "max-age="
                                + t.hstsMaxAge().toSeconds());
                    }
                    return super.handle(request, response, callback);
                }
                // Behind a proxy, what did not come through it (monitoring on the inner network) is not judged.
                boolean judged = t.tls() || (t.proxied() && fromTrusted(request, trusted));
                if (!judged) {
                    return super.handle(request, response, callback);
                }
                if (t.plainHttp() == WebTransport.PlainHttp.REFUSE) {
                    Response.writeError(request, response, callback, 403, "this server takes https only");
                    return true;
                }
                HttpURI.Mutable to = HttpURI.build(request.getHttpURI()).scheme("https");
                if (!t.tls() && to.getPort() == 80) {
                    to.port(-1);
                }
                Response.sendRedirect(request, response, callback, 308, to.asString(), true);
                return true;
            }
        };
    }
}
