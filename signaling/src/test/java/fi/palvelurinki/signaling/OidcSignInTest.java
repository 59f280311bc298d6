package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.JournalReader;
import fi.palvelurinki.broker.testing.ManualClock;
import fi.palvelurinki.signaling.auth.Role;
import fi.palvelurinki.signaling.tls.WebTransport;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's side of a sign-in, driven over HTTP against {@link FakeOidcProvider}, whose ID tokens the
 * tests mint with Nimbus: the checks a real provider cannot be made to fail (expired, another audience,
 * another key, a key rotation, another nonce or issuer), PKCE and the client secret on the code exchange,
 * the role mapping (no role; a ring changed in the directory applies at the next sign-in), callbacks from
 * another browser, and that with providers configured the token command's tokens are refused.
 */
class OidcSignInTest {
    @TempDir
    Path data;
    FakeOidcProvider idp;
    ServerFixture f;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        idp = new FakeOidcProvider();
        f = new ServerFixture(data, ManualClock.tuesdayMorning(), c -> c, null, null, System::nanoTime,
                WebTransport.plain(), """
                security:
                  oidc:
                    providers:
                      - id: fake
                        name: Kunta
                        issuer: %s
                        clientId: palvelurinki
                        clientSecret: s3cret
                        roles:
                          - { role: advisor, claim: groups, value: neuvojat, pointClaim: office }
                          - { role: expert, claim: groups, value: asiantuntijat, ringsClaim: groups, ringsPrefix: rinki- }
                          - { role: operator, claim: groups, value: valvojat }
                """.formatted(idp.issuer()));
    }

    @AfterEach
    void stop() {
        f.close();
        idp.close();
    }

    record Result(int status, String location, String body, Map<String, String> authorization) {
        String token() {
            return location == null || !location.contains("#token=") ? null
                    : URLDecoder.decode(location.substring(location.indexOf("#token=") + 7), StandardCharsets.UTF_8);
        }
    }

    /** Starts a sign-in, lets the provider answer the code with the ID token minted for the request's nonce. */
    Result signIn(Function<String, String> idTokenForNonce) throws Exception {
        HttpResponse<String> login = get("/oidc/login?provider=fake", null);
        assertThat(login.statusCode()).isEqualTo(303);
        String to = login.headers().firstValue("Location").orElseThrow();
        assertThat(to).startsWith(idp.issuer() + "/auth?");
        Map<String, String> q = query(URI.create(to).getRawQuery());
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        idp.nextIdToken = idTokenForNonce.apply(q.get("nonce"));
        HttpResponse<String> back = get("/oidc/callback?code=the-code&state=" + q.get("state"), cookie);
        return new Result(back.statusCode(), back.headers().firstValue("Location").orElse(null), back.body(), q);
    }

    Result signIn(Map<String, Object> extraClaims, String sub) throws Exception {
        return signIn(nonce -> mint(b -> {
            extraClaims.forEach(b::claim);
            return b;
        }, nonce, sub, idp.key));
    }

    String mint(Function<JWTClaimsSet.Builder, JWTClaimsSet.Builder> change, String nonce, String sub, RSAKey key) {
        try {
            return FakeOidcProvider.sign(change.apply(idp.claims("palvelurinki", nonce, sub)).build(), key);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static final Map<String, Object> ADVISOR = Map.of("groups", List.of("neuvojat"), "office", "mikkeli");

    HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(f.http(path));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    int session(String token) throws Exception {
        return http.send(HttpRequest.newBuilder(f.http("/api/session")).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        for (String kv : raw.split("&")) {
            int i = kv.indexOf('=');
            out.put(URLDecoder.decode(kv.substring(0, i), StandardCharsets.UTF_8),
                    URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    List<DomainEvent> journal() throws Exception {
        fi.palvelurinki.broker.testing.Settle.settle(f.server.broker());
        org.awaitility.Awaitility.await().until(() -> f.server.broker().health().durableSeq()
                == f.server.broker().health().appendedSeq());
        List<DomainEvent> events = new ArrayList<>();
        JournalReader.read(data.resolve("journal"), e -> events.add(e.event()));
        return events;
    }

    @Test
    void aValidIdTokenSignsInWithPkceAndTheClientSecretAndGivesTheServersOwnSession() throws Exception {
        Result r = signIn(ADVISOR, "asta");
        assertThat(r.status()).isEqualTo(303);
        assertThat(r.location()).startsWith("/advisor#token=");
        assertThat(session(r.token())).isEqualTo(200);
        assertThat(f.server.tokens().verify(r.token()).orElseThrow().point()).isEqualTo("mikkeli");
        // PKCE: the verifier sent with the code is the one whose S256 hash went to the provider first.
        Map<String, String> exchange = query(idp.lastTokenRequest);
        assertThat(exchange.get("grant_type")).isEqualTo("authorization_code");
        String challenge = Base64URL.encode(MessageDigest.getInstance("SHA-256")
                .digest(exchange.get("code_verifier").getBytes(StandardCharsets.US_ASCII))).toString();
        assertThat(r.authorization().get("code_challenge")).isEqualTo(challenge);
        assertThat(r.authorization().get("code_challenge_method")).isEqualTo("S256");
        assertThat(idp.lastAuthorization).isEqualTo("Basic " + java.util.Base64.getEncoder()
                .encodeToString("palvelurinki:s3cret".getBytes(StandardCharsets.UTF_8)));
        assertThat(journal()).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(DomainEvent.SignedIn.class, s -> {
            assertThat(s.userId()).isEqualTo("asta");
            assertThat(s.role()).isEqualTo("advisor");
            assertThat(s.reason()).isEqualTo("rule 1 (advisor)");
        }));
    }

    @Test
    void anExpiredIdTokenIsRefusedButASmallClockSkewIsAllowed() throws Exception {
        long now = System.currentTimeMillis();
        Result expired = signIn(n -> mint(b -> b.claim("groups", List.of("neuvojat")).claim("office", "mikkeli")
                .issueTime(new java.util.Date(now - 600_000)).expirationTime(new java.util.Date(now - 120_000)), n, "asta", idp.key));
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.token()).isNull();
        assertThat(expired.body()).contains("Kirjautuminen ei onnistunut");
        Result skewed = signIn(n -> mint(b -> b.claim("groups", List.of("neuvojat")).claim("office", "mikkeli")
                .issueTime(new java.util.Date(now - 600_000)).expirationTime(new java.util.Date(now - 20_000)), n, "asta", idp.key));
        assertThat(skewed.status()).as("expired 20 s ago: within the 60 s leeway").isEqualTo(303);
    }

    @Test
    void anIdTokenForAnotherAudienceIsRefused() throws Exception {
        Result r = signIn(n -> mint(b -> b.audience("another-client").claim("groups", List.of("neuvojat"))
                .claim("office", "mikkeli"), n, "asta", idp.key));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.token()).isNull();
    }

    @Test
    void anIdTokenWithAnotherIssuerOrNonceIsRefused() throws Exception {
        assertThat(signIn(n -> mint(b -> b.issuer("http://127.0.0.1:1").claim("groups", List.of("neuvojat"))
                .claim("office", "mikkeli"), n, "asta", idp.key)).status()).isEqualTo(401);
        assertThat(signIn(n -> mint(b -> b.claim("groups", List.of("neuvojat")).claim("office", "mikkeli"),
                "another-nonce", "asta", idp.key)).status()).isEqualTo(401);
    }

    @Test
    void anIdTokenSignedByAnotherKeyIsRefused() throws Exception {
        RSAKey stranger = FakeOidcProvider.otherKey();
        assertThat(signIn(n -> mint(b -> b.claim("groups", List.of("neuvojat")).claim("office", "mikkeli"), n, "asta",
                stranger)).status()).as("a key the provider does not publish").isEqualTo(401);
        // The published key's id on a token signed with another key.
        RSAKey impostor = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID(idp.key.getKeyID()).generate();
        assertThat(signIn(n -> mint(b -> b.claim("groups", List.of("neuvojat")).claim("office", "mikkeli"), n, "asta",
                impostor)).status()).isEqualTo(401);
    }

    @Test
    void afterTheProviderRotatesItsKeysTheNewKeyIsFetchedAndTaken() throws Exception {
        assertThat(signIn(ADVISOR, "asta").status()).isEqualTo(303);
        int fetches = idp.jwksFetches.get();
        RSAKey old = idp.key;
        idp.rotate();
        assertThat(signIn(ADVISOR, "asta").status()).as("signed with the new key").isEqualTo(303);
        assertThat(idp.jwksFetches.get()).as("the key set was fetched again").isGreaterThan(fetches);
        assertThat(signIn(n -> mint(b -> b.claim("groups", List.of("neuvojat")).claim("office", "mikkeli"), n, "asta",
                old)).status()).as("the withdrawn key").isEqualTo(401);
    }

    @Test
    void someoneWhoseClaimsMapToNoRoleGetsThatPageAndNoSession() throws Exception {
        Result r = signIn(Map.of("groups", List.of("kirjasto")), "vieras");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.token()).isNull();
        assertThat(r.body()).contains("Sinulla ei ole käyttöoikeutta Palvelurinkiin", "Du har ingen behörighet",
                "You have no access to Palvelurinki");
        // An advisor rule naming a point that is not configured gives no role either.
        assertThat(signIn(Map.of("groups", List.of("neuvojat"), "office", "oulu"), "outi").status()).isEqualTo(403);
        List<DomainEvent> events = journal();
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(DomainEvent.SignedIn.class, s -> {
            assertThat(s.userId()).isEqualTo("vieras");
            assertThat(s.role()).isNull();
            assertThat(s.reason()).isEqualTo("no rule matched");
        }));
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(DomainEvent.SignedIn.class, s -> {
            assertThat(s.userId()).isEqualTo("outi");
            assertThat(s.role()).isNull();
            assertThat(s.reason()).isEqualTo("rule 1 (advisor): point 'oulu' is not configured");
        }));
        assertThat(f.server.directory().advisor("outi")).isNull();
    }

    @Test
    void anExpertMovedToAnotherRingInTheDirectoryIsMovedAtTheNextSignIn() throws Exception {
        Result first = signIn(Map.of("groups", List.of("asiantuntijat", "rinki-kela", "rinki-unknown")), "eino");
        assertThat(first.location()).startsWith("/expert#token=");
        assertThat(f.server.directory().expert("eino").rings()).isEqualTo(Set.of("kela"));
        Result second = signIn(Map.of("groups", List.of("asiantuntijat", "rinki-dvv")), "eino");
        assertThat(f.server.directory().expert("eino").rings()).isEqualTo(Set.of("dvv"));
        assertThat(session(second.token())).isEqualTo(200);
        assertThat(session(first.token())).as("the session that named the old ring").isEqualTo(401);
        assertThat(journal()).filteredOn(e -> e instanceof DomainEvent.SignedIn s && "eino".equals(s.userId()))
                .extracting(e -> ((DomainEvent.SignedIn) e).rings() + " " + ((DomainEvent.SignedIn) e).reason())
                .containsExactly("[kela] rule 2 (expert); not configured: unknown", "[dvv] rule 2 (expert)");
    }

    @Test
    void aCallbackFromAnotherBrowserOrTwiceSignsNobodyIn() throws Exception {
        HttpResponse<String> login = get("/oidc/login?provider=fake", null);
        Map<String, String> q = query(URI.create(login.headers().firstValue("Location").orElseThrow()).getRawQuery());
        idp.nextIdToken = mint(b -> b.claim("groups", List.of("neuvojat")).claim("office", "mikkeli"), q.get("nonce"),
                "asta", idp.key);
        assertThat(get("/oidc/callback?code=c&state=" + q.get("state"), null).statusCode())
                .as("without the cookie of the browser that started it").isEqualTo(400);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        assertThat(get("/oidc/callback?code=c&state=" + q.get("state"), cookie).statusCode())
                .as("the state is used up").isEqualTo(400);
        assertThat(get("/oidc/login?provider=nobody", null).statusCode()).isEqualTo(400);
    }

    @Test
    void signOutEndsTheSessionAndNamesTheProvidersSignOut() throws Exception {
        String token = signIn(ADVISOR, "asta").token();
        HttpResponse<String> out = http.send(HttpRequest.newBuilder(f.http("/oidc/logout"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(out.statusCode()).isEqualTo(200);
        assertThat(out.body()).contains("\"endSession\":\"" + idp.issuer() + "/logout?client_id=palvelurinki");
        assertThat(session(token)).isEqualTo(401);
        f.restart();
        assertThat(session(token)).as("still ended after a restart").isEqualTo(401);
        assertThat(journal()).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(DomainEvent.SignedOut.class,
                s -> assertThat(s.userId()).isEqualTo("asta")));
    }

    @Test
    void anOperatorsSessionOutlivesARestartThoughOperatorsAreNotInTheBrokersDirectory() throws Exception {
        Result r = signIn(Map.of("groups", List.of("valvojat")), "olga");
        assertThat(r.location()).startsWith("/operator#token=");
        assertThat(session(r.token())).isEqualTo(200);
        f.restart();
        assertThat(session(r.token())).isEqualTo(200);
    }

    @Test
    void withProvidersConfiguredTheTokenCommandsTokensAreRefused() throws Exception {
        assertThat(session(f.token(Role.ADVISOR, "anna"))).isEqualTo(401);
        assertThat(get("/oidc/providers", null).body()).isEqualTo("{\"providers\":[{\"id\":\"fake\",\"name\":\"Kunta\"}]}");
    }
}
