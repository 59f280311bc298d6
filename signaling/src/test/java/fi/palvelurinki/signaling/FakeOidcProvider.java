package fi.palvelurinki.signaling;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in OpenID provider for the ID token checks that a real provider cannot be made to fail (an
 * expired token, another audience, another key, a key rotation): metadata, a JWK set and a token endpoint
 * on loopback, with ID tokens minted by the test with Nimbus. The real flow is {@link OidcProvider}'s.
 */
final class FakeOidcProvider implements AutoCloseable {
    private final HttpServer http;
    volatile RSAKey key;
    /** The keys published at the JWK set address (normally just {@link #key}'s public half). */
    volatile JWKSet published;
    /** What the token endpoint answers the next code with. */
    volatile String nextIdToken;
    /** The last token request's form body (grant, code, redirect URI, PKCE verifier). */
    volatile String lastTokenRequest;
    volatile String lastAuthorization;
    final AtomicInteger jwksFetches = new AtomicInteger();

    FakeOidcProvider() throws Exception {
        rotate();
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        http.createContext("/.well-known/openid-configuration", x -> json(x, """
                {"issuer":"%1$s","authorization_endpoint":"%1$s/auth","token_endpoint":"%1$s/token",
                 "jwks_uri":"%1$s/jwks","end_session_endpoint":"%1$s/logout","response_types_supported":["code"],
                 "subject_types_supported":["public"],"id_token_signing_alg_values_supported":["RS256"]}
                """.formatted(issuer())));
        http.createContext("/jwks", x -> {
            jwksFetches.incrementAndGet();
            json(x, published.toString());
        });
        http.createContext("/token", x -> {
            lastTokenRequest = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            lastAuthorization = x.getRequestHeaders().getFirst("Authorization");
            json(x, "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"expires_in\":60,\"id_token\":\"" + nextIdToken + "\"}");
        });
        http.start();
    }

    String issuer() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** A new signing key, published instead of the old one (as a provider rotating its keys does). */
    RSAKey rotate() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("k" + System.nanoTime()).generate();
        published = new JWKSet(key.toPublicJWK());
        return key;
    }

    static RSAKey otherKey() throws Exception {
        return new RSAKeyGenerator(2048).keyID("k" + System.nanoTime()).generate();
    }

    /** Claims as the provider would issue them now for this client, nonce and person. */
    JWTClaimsSet.Builder claims(String audience, String nonce, String sub) {
        long now = System.currentTimeMillis();
        return new JWTClaimsSet.Builder().issuer(issuer()).audience(List.of(audience)).subject(sub)
                .issueTime(new java.util.Date(now)).expirationTime(new java.util.Date(now + 300_000)).claim("nonce", nonce);
    }

    static String sign(JWTClaimsSet claims, RSAKey with) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(with));
        return jwt.serialize();
    }

    private static void json(HttpExchange x, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(200, b.length);
        x.getResponseBody().write(b);
        x.close();
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
