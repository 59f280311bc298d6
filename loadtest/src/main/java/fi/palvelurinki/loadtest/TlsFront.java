package fi.palvelurinki.loadtest;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.PrintStream;
import java.net.Socket;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The load generator over wss: a throwaway self-signed certificate for the spawned server, clients that
 * take whatever certificate the server shows (a benchmark measures the cost of TLS, not the server's
 * identity; it only ever talks to the server it was pointed at), and the closing comparison of a plain
 * ws run and a wss run made one after the other in the same invocation.
 */
public final class TlsFront {
    private static SslContext netty;

    private TlsFront() {}

    /** A certificate and key (PEM files) for the spawned server: {@code --tls-cert FILE --tls-key FILE}. */
    public static List<String> serverArguments() throws Exception {
        SelfSignedCertificate c = new SelfSignedCertificate("localhost");
        c.certificate().deleteOnExit();
        c.privateKey().deleteOnExit();
        return List.of("--tls-cert", c.certificate().getPath(), "--tls-key", c.privateKey().getPath());
    }

    /** For the Netty WebSocket clients. */
    public static synchronized SslContext nettyClient() throws SSLException {
        if (netty == null) {
            netty = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        }
        return netty;
    }

    /** For the JDK HTTP client of the server probe. */
    static SSLContext jdkClient() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            // An extended trust manager: the JDK would wrap a plain one and still check the host name.
            ctx.init(null, new TrustManager[] {new X509ExtendedTrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The closing note: what TLS costs on click-to-ring and on the plain relay's ceiling, wss against ws;
     * returns the wss run's figures with the ws ones beside them ({@code ws_…}) and the ratios.
     */
    public static Result compare(Result ws, Result wss, PrintStream out) {
        String[] keys = {"click_to_ring_p50_ms", "click_to_ring_p99_ms", "relay_ceiling_msg_s", "relay_p99_ms",
                "accept_to_connected_p99_ms"};
        out.println();
        out.println("TLS cost, the same scenario over ws and then over wss in this run (wss / ws):");
        Map<String, String> fields = new LinkedHashMap<>(wss.fields());
        fields.put("tls", "on");
        for (String k : keys) {
            String a = ws.fields().getOrDefault(k, "-");
            String b = wss.fields().getOrDefault(k, "-");
            String ratio = ratio(a, b);
            out.printf(Locale.ROOT, "  %-28s ws %10s   wss %10s   ratio %s%n", k, a, b, ratio);
            fields.put("ws_" + k, a);
            fields.put("tls_ratio_" + k, ratio);
        }
        return new Result(wss.scenario(), fields, ws.errors() + wss.errors());
    }

    private static String ratio(String a, String b) {
        try {
            return Result.num(Double.parseDouble(b) / Double.parseDouble(a));
        } catch (NumberFormatException e) {
            return "-";
        }
    }
}
