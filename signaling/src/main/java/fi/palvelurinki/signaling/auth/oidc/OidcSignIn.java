package fi.palvelurinki.signaling.auth.oidc;

import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import fi.palvelurinki.broker.Broker;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.point.Advisor;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.signaling.auth.Principal;
import fi.palvelurinki.signaling.auth.Role;
import fi.palvelurinki.signaling.auth.TokenService;
import fi.palvelurinki.signaling.session.Directory;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Logger;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * Sign-in through the organisations' identity providers (OpenID Connect, authorization code flow with
 * PKCE; docs/operations.md). {@code GET /oidc/providers} lists them for the sign-in form;
 * {@code GET /oidc/login?provider=ID} sends the browser to the provider;
 * {@code GET /oidc/callback} takes the code back, checks the ID token, maps its claims to a role here,
 * brings the broker's directory up to date (an expert moved to another ring is moved at this sign-in), and
 * hands the page the server's own session token in the address's fragment (never sent to a server or
 * logged). Someone whose claims map to no role gets a page saying so and nothing else.
 * {@code POST /oidc/logout} ends the session and answers the provider's own sign-out address.
 *
 * <p>A flow's state, nonce and PKCE verifier stay here, keyed by the state and bound to the browser
 * that started it by a cookie named after it: a callback address handed to somebody else's browser
 * signs nobody in.
 */
public final class OidcSignIn extends Handler.Abstract {
    private static final Logger LOG = Logger.getLogger(OidcSignIn.class.getName());
    static final Duration FLOW_LIFETIME = Duration.ofMinutes(10);
    private static final int MAX_FLOWS = 10_000;
    private static final String COOKIE = "palvelurinki_oidc_";

    private record Flow(String provider, Nonce nonce, CodeVerifier verifier, Instant started) {}

    private final OidcConfig config;
    private final Map<String, ProviderClient> providers = new LinkedHashMap<>();
    private final TokenService tokens;
    private final Directory directory;
    private final Broker broker;
    private final InstantSource clock;
    private final Predicate<String> ringExists;
    private final Map<String, Flow> flows = new ConcurrentHashMap<>();

    public OidcSignIn(OidcConfig config, TokenService tokens, Directory directory, Broker broker, InstantSource clock,
            Predicate<String> ringExists) {
        this.config = config;
        config.providers().forEach(p -> providers.put(p.id(), new ProviderClient(p)));
        this.tokens = tokens;
        this.directory = directory;
        this.broker = broker;
        this.clock = clock;
        this.ringExists = ringExists;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (!path.startsWith("/oidc/")) {
            return false;
        }
        String method = request.getMethod();
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        switch (path) {
            case "/oidc/providers" -> providers(response, callback);
            case "/oidc/login" -> login(request, response, callback);
            case "/oidc/callback" -> callback(request, response, callback);
            case "/oidc/logout" -> {
                if (!method.equals("POST")) {
                    response.getHeaders().put(HttpHeader.ALLOW, "POST");
                    Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
                } else {
                    logout(request, response, callback);
                }
            }
            default -> Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
        }
        return true;
    }

    private void providers(Response response, Callback callback) {
        StringBuilder json = new StringBuilder("{\"providers\":[");
        String sep = "";
        for (OidcConfig.Provider p : config.providers()) {
            json.append(sep).append("{\"id\":").append(Html.json(p.id())).append(",\"name\":").append(Html.json(p.name()))
                    .append('}');
            sep = ",";
        }
        json.append("]}");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        org.eclipse.jetty.io.Content.Sink.write(response, true, json.toString(), callback);
    }

    private void login(Request request, Response response, Callback callback) {
        Fields q = Request.extractQueryParameters(request);
        ProviderClient p = providers.get(q.getValue("provider"));
        if (p == null) {
            Html.write(response, callback, HttpStatus.BAD_REQUEST_400, Html.failed());
            return;
        }
        Instant now = clock.instant();
        flows.values().removeIf(f -> f.started().plus(FLOW_LIFETIME).isBefore(now));
        if (flows.size() >= MAX_FLOWS) {
            Html.write(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, Html.failed());
            return;
        }
        State state = new State();
        Flow flow = new Flow(p.config().id(), new Nonce(), new CodeVerifier(), now);
        URI to;
        try {
            to = p.authorizationUri(redirectUri(request), state, flow.nonce(), flow.verifier());
        } catch (IOException e) {
            LOG.warning(() -> "sign-in at " + p.config().id() + " cannot start: " + e.getMessage());
            Html.write(response, callback, HttpStatus.BAD_GATEWAY_502, Html.failed());
            return;
        }
        flows.put(state.getValue(), flow);
        Response.addCookie(response, HttpCookie.build(COOKIE + state.getValue(), "1").path("/oidc/")
                .maxAge(FLOW_LIFETIME.toSeconds()).httpOnly(true).secure(isHttps(request))
                .sameSite(HttpCookie.SameSite.LAX).build());
        Response.sendRedirect(request, response, callback, HttpStatus.SEE_OTHER_303, to.toString(), false);
    }

    private void callback(Request request, Response response, Callback callback) {
        Fields q = Request.extractQueryParameters(request);
        String stateValue = q.getValue("state");
        Flow flow = stateValue == null ? null : flows.remove(stateValue);
        if (flow == null || flow.started().plus(FLOW_LIFETIME).isBefore(clock.instant())
                || !hasCookie(request, COOKIE + stateValue)) {
            // An old or foreign callback: start again rather than guess.
            Html.write(response, callback, HttpStatus.BAD_REQUEST_400, Html.failed());
            return;
        }
        Response.addCookie(response, HttpCookie.build(COOKIE + stateValue, "").path("/oidc/").maxAge(0).build());
        ProviderClient p = providers.get(flow.provider());
        if (q.getValue("error") != null || q.getValue("code") == null) {
            LOG.info(() -> "sign-in at " + flow.provider() + " ended by the provider: " + q.getValue("error"));
            Html.write(response, callback, HttpStatus.UNAUTHORIZED_401, Html.failed());
            return;
        }
        IDTokenClaimsSet claims;
        try {
            JWT id = p.exchange(q.getValue("code"), redirectUri(request), flow.verifier());
            claims = p.validate(id, flow.nonce());
        } catch (IOException | ProviderClient.SignInException e) {
            LOG.warning(() -> "sign-in at " + flow.provider() + " refused: " + e.getMessage());
            Html.write(response, callback, HttpStatus.UNAUTHORIZED_401, Html.failed());
            return;
        }
        ClaimsMapping.Decision d = ClaimsMapping.map(p.config(), claims.toJSONObject(), id -> directory.point(id) != null,
                ringExists);
        try {
            record(flow.provider(), d);
            if (!d.admitted()) {
                Html.write(response, callback, HttpStatus.FORBIDDEN_403, Html.noRole());
                return;
            }
            String token = signIn(flow.provider(), d);
            Response.sendRedirect(request, response, callback, HttpStatus.SEE_OTHER_303,
                    "/" + d.role().wireName() + "#token=" + URLEncoder.encode(token, StandardCharsets.UTF_8), false);
        } catch (Exception e) {
            LOG.warning(() -> "sign-in of " + d.user() + " at " + flow.provider() + " could not be completed: " + e);
            Html.write(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, Html.failed());
        }
    }

    /** Makes the broker's directory say what the claims say, then issues the session token. */
    private String signIn(String provider, ClaimsMapping.Decision d) throws Exception {
        switch (d.role()) {
            case ADVISOR -> {
                Advisor a = new Advisor(d.user(), d.name(), d.point());
                if (!a.equals(directory.advisor(d.user()))) {
                    broker.submit(new Command.DefineAdvisor(a)).get(10, TimeUnit.SECONDS);
                }
            }
            case EXPERT -> {
                ExpertProfile known = directory.expert(d.user());
                Set<Language> languages = !d.languages().isEmpty() ? d.languages()
                        : known != null ? known.languages() : EnumSet.of(Language.FI);
                ExpertProfile x = new ExpertProfile(d.user(), d.name(), Set.copyOf(d.rings()), languages,
                        known != null ? known.topics() : Set.of());
                if (!x.equals(known)) {
                    broker.submit(new Command.DefineExpert(x, "oidc:" + provider)).get(10, TimeUnit.SECONDS);
                }
            }
            case OPERATOR -> directory.admitOperator(d.user(), d.name());
            default -> throw new IllegalStateException();
        }
        return tokens.issueSession(new Principal(d.user(), d.role(), d.point(), d.rings(),
                clock.instant().plus(config.sessionTtl())), provider);
    }

    private void record(String provider, ClaimsMapping.Decision d) throws Exception {
        broker.submit(new Command.RecordSignIn(provider, d.user(), d.role() == null ? null : d.role().wireName(),
                d.point(), d.rings(), d.reason())).get(10, TimeUnit.SECONDS);
    }

    private void logout(Request request, Response response, Callback callback) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        var claims = tokens.claims(token);
        String json = "{\"endSession\":null}";
        if (claims.isPresent() && tokens.revoke(token)) {
            String user = claims.get().getSubject();
            Object provider = claims.get().getClaim("prv");
            try {
                // Journaled, so that the ended session stays ended after a restart.
                broker.submit(new Command.RecordSignOut(user, String.valueOf(provider), claims.get().getJWTID(),
                        claims.get().getExpirationTime().toInstant())).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warning(() -> "sign-out of " + user + " not journaled: " + e);
            }
            ProviderClient p = providers.get(String.valueOf(provider));
            URI end = p == null ? null : p.endSession(URI.create(base(request) + "/"));
            if (end != null) {
                json = "{\"endSession\":" + Html.json(end.toString()) + "}";
            }
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        org.eclipse.jetty.io.Content.Sink.write(response, true, json, callback);
    }

    private static boolean hasCookie(Request request, String name) {
        List<HttpCookie> cookies = Request.getCookies(request);
        return cookies != null && cookies.stream().anyMatch(c -> c.getName().equals(name));
    }

    private static boolean isHttps(Request request) {
        return "https".equalsIgnoreCase(request.getHttpURI().getScheme());
    }

    private String base(Request request) {
        if (config.publicUrl() != null) {
            String s = config.publicUrl().toString();
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        }
        var u = request.getHttpURI();
        return u.getScheme() + "://" + u.getAuthority();
    }

    private URI redirectUri(Request request) {
        return URI.create(base(request) + "/oidc/callback");
    }
}
