package fi.palvelurinki.signaling.auth.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import java.io.IOException;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One provider as a relying party sees it: its published metadata (discovered once, again after a
 * failure), the authorization request (code flow, PKCE S256, state, nonce), the code exchange, and the
 * ID token checks of the OAuth 2.0 SDK: signature against the provider's published keys (cached; fetched
 * again when a token names a key the cache does not hold, which is how a key rotation is followed),
 * issuer, audience, expiry and issue time with {@link #CLOCK_SKEW_SECONDS} of leeway, and nonce.
 */
public final class ProviderClient {
    /** Leeway for the provider's clock and ours; ID tokens live minutes, so a small one. */
    public static final int CLOCK_SKEW_SECONDS = 60;
    private static final int HTTP_TIMEOUT_MS = 5000;

    private final OidcConfig.Provider config;
    private volatile Discovered discovered;

    private record Discovered(OIDCProviderMetadata metadata, IDTokenValidator validator) {}

    public ProviderClient(OidcConfig.Provider config) {
        this.config = config;
    }

    public OidcConfig.Provider config() {
        return config;
    }

    private Discovered discovered() throws IOException {
        Discovered d = discovered;
        if (d != null) {
            return d;
        }
        synchronized (this) {
            if (discovered == null) {
                try {
                    OIDCProviderMetadata m = OIDCProviderMetadata.resolve(new Issuer(config.issuer()), HTTP_TIMEOUT_MS,
                            HTTP_TIMEOUT_MS);
                    JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(m.getJWKSetURI().toURL())
                            .retrying(true).build();
                    Set<JWSAlgorithm> algs = new HashSet<>(m.getIDTokenJWSAlgs() == null
                            ? List.of(JWSAlgorithm.RS256) : m.getIDTokenJWSAlgs());
                    // Never an HMAC (keyed with our client secret) or "none": only the provider's published keys.
                    algs.removeIf(a -> JWSAlgorithm.Family.HMAC_SHA.contains(a) || a.getName().equals("none"));
                    IDTokenValidator v = new IDTokenValidator(m.getIssuer(), new ClientID(config.clientId()),
                            new JWSVerificationKeySelector<>(algs, keys), null);
                    v.setMaxClockSkew(CLOCK_SKEW_SECONDS);
                    discovered = new Discovered(m, v);
                } catch (GeneralException e) {
                    throw new IOException("provider " + config.id() + " (" + config.issuer() + "): " + e.getMessage(), e);
                }
            }
            return discovered;
        }
    }

    /** Where to send the browser to sign in. */
    public URI authorizationUri(URI redirect, State state, Nonce nonce, CodeVerifier verifier) throws IOException {
        OIDCProviderMetadata m = discovered().metadata();
        return new AuthenticationRequest.Builder(new ResponseType(ResponseType.Value.CODE),
                new Scope(config.scopes().toArray(String[]::new)), new ClientID(config.clientId()), redirect)
                .endpointURI(m.getAuthorizationEndpointURI())
                .state(state).nonce(nonce).codeChallenge(verifier, CodeChallengeMethod.S256)
                .build().toURI();
    }

    /** The ID token for a code: asked from the token endpoint with the client secret and the PKCE verifier. */
    public JWT exchange(String code, URI redirect, CodeVerifier verifier) throws IOException, SignInException {
        OIDCProviderMetadata m = discovered().metadata();
        TokenRequest request = new TokenRequest(m.getTokenEndpointURI(),
                new ClientSecretBasic(new ClientID(config.clientId()), new Secret(config.clientSecret())),
                new AuthorizationCodeGrant(new AuthorizationCode(code), redirect, verifier));
        HTTPRequest http = request.toHTTPRequest();
        http.setConnectTimeout(HTTP_TIMEOUT_MS);
        http.setReadTimeout(HTTP_TIMEOUT_MS);
        try {
            TokenResponse r = OIDCTokenResponseParser.parse(http.send());
            if (!r.indicatesSuccess()) {
                throw new SignInException("token endpoint refused the code: "
                        + r.toErrorResponse().getErrorObject().getCode());
            }
            JWT id = ((OIDCTokenResponse) r.toSuccessResponse()).getOIDCTokens().getIDToken();
            if (id == null) {
                throw new SignInException("the token endpoint gave no ID token");
            }
            return id;
        } catch (ParseException e) {
            throw new SignInException("unreadable token response: " + e.getMessage());
        }
    }

    /** The ID token's claims, once every check has passed. */
    public IDTokenClaimsSet validate(JWT idToken, Nonce nonce) throws IOException, SignInException {
        try {
            return discovered().validator().validate(idToken, nonce);
        } catch (BadJOSEException | JOSEException e) {
            throw new SignInException("ID token refused: " + e.getMessage());
        }
    }

    /** The provider's sign-out endpoint for this client, or null when it publishes none. */
    public URI endSession(URI afterwards) {
        try {
            URI end = discovered().metadata().getEndSessionEndpointURI();
            if (end == null) {
                return null;
            }
            String q = "client_id=" + enc(config.clientId())
                    + (afterwards == null ? "" : "&post_logout_redirect_uri=" + enc(afterwards.toString()));
            return URI.create(end + (end.getRawQuery() == null ? "?" : "&") + q);
        } catch (IOException e) {
            return null;
        }
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A sign-in that cannot go on; the message is for the log, never shown to the browser. */
    public static final class SignInException extends Exception {
        private static final long serialVersionUID = 1L;

        public SignInException(String message) {
            super(message);
        }
    }
}
