package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.broker.testing.ManualClock;
import fi.palvelurinki.signaling.auth.Role;
import fi.palvelurinki.signaling.http.DemoLoginHandler;
import fi.palvelurinki.signaling.http.PagesHandler;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.eclipse.jetty.server.Handler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pages and the demo sign-in as HTTP: what is served, with which headers, and what is refused. */
class PagesHttpTest {
    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path data;
    private ServerFixture f;

    @BeforeEach
    void start() throws Exception {
        Handler.Sequence web = new Handler.Sequence(new PagesHandler());
        f = new ServerFixture(data, ManualClock.tuesdayMorning(), c -> c, web, null);
        web.addHandler(new DemoLoginHandler(f.server));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(f.http(path)));
    }

    private HttpResponse<String> token(String contentType, String body) throws Exception {
        return send(HttpRequest.newBuilder(f.http("/demo/token")).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void pagesComeWithAPolicyThatAllowsOnlyTheirOwnScriptsAndRevalidateByEtag() throws Exception {
        for (String page : new String[] {"/", "/advisor", "/expert", "/operator"}) {
            HttpResponse<String> r = get(page);
            assertThat(r.statusCode()).as(page).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(page).hasValueSatisfying(csp ->
                    assertThat(csp).contains("script-src 'self'", "frame-ancestors 'none'"));
            assertThat(r.body()).as(page).contains("<html lang=\"fi\">", "<main id=\"main\"");
        }
        HttpResponse<String> js = get("/assets/js/advisor.js");
        assertThat(js.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(js.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        String etag = js.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = send(HttpRequest.newBuilder(f.http("/assets/js/advisor.js")).header("If-None-Match", etag));
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void everyLanguageHasEveryText() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.Map<String, java.util.Set<String>> keys = new java.util.TreeMap<>();
        for (String l : new String[] {"fi", "sv", "en"}) {
            HttpResponse<String> r = get("/assets/i18n/" + l + ".json");
            assertThat(r.statusCode()).as(l).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
            java.util.Set<String> k = new java.util.TreeSet<>();
            json.readTree(r.body()).path("texts").fieldNames().forEachRemaining(k::add);
            keys.put(l, k);
        }
        assertThat(keys.get("fi")).hasSizeGreaterThan(200).isEqualTo(keys.get("sv")).isEqualTo(keys.get("en"));
    }

    @Test
    void theServerSaysWhetherItTakesAToken() throws Exception {
        HttpResponse<String> ok = send(HttpRequest.newBuilder(f.http("/api/session"))
                .header("Authorization", "Bearer " + f.token(Role.ADVISOR, "anna")));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"user\":\"anna\"", "\"role\":\"advisor\"", "\"now\":\"2026-11-24T08:00:00Z\"",
                "\"expiresAt\":\"2026-11-24T09:00:00Z\"");

        String token = f.token(Role.EXPERT, "e1");
        f.advance(java.time.Duration.ofHours(2));
        HttpResponse<String> expired = send(HttpRequest.newBuilder(f.http("/api/session")).header("Authorization", "Bearer " + token));
        assertThat(expired.statusCode()).as("expired by the server's clock").isEqualTo(401);
        assertThat(expired.body()).contains("\"code\":\"unauthorized\"");
        assertThat(get("/api/session").statusCode()).isEqualTo(401);
    }

    @Test
    void onlyThePagesAndTheirAssetsAreServed() throws Exception {
        assertThat(get("/assets/js/nothing.js").statusCode()).isEqualTo(404);
        assertThat(get("/assets/%2e%2e/demo.yaml").statusCode()).as("Jetty or we refuse it").isIn(400, 404);
        assertThat(get("/assets/demo.yaml").statusCode()).isEqualTo(404);
        assertThat(get("/pages/advisor.html").statusCode()).isEqualTo(404);
        assertThat(get("/advisor.html").statusCode()).isEqualTo(404);
        HttpResponse<String> post = send(HttpRequest.newBuilder(f.http("/advisor")).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void theDemoSignInIssuesTokensForConfiguredPeopleOnly() throws Exception {
        HttpResponse<String> users = get("/demo/users");
        assertThat(users.statusCode()).isEqualTo(200);
        var list = WsClient.JSON.readTree(users.body());
        assertThat(list.path("advisors").findValuesAsText("id")).containsExactly("anna", "maria", "bo");
        assertThat(list.path("advisors").get(0).path("pointName").asText()).isEqualTo("Mikkelin Asiointipiste");
        assertThat(list.path("experts").findValuesAsText("id")).containsExactly("e1", "e2", "e3");
        assertThat(list.path("operators").findValuesAsText("id")).containsExactly("olli");

        HttpResponse<String> ok = token("application/json", "{\"role\":\"advisor\",\"user\":\"bo\"}");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(f.server.tokens().verify(WsClient.JSON.readTree(ok.body()).path("token").asText()))
                .hasValueSatisfying(p -> {
                    assertThat(p.role()).isEqualTo(Role.ADVISOR);
                    assertThat(p.point()).isEqualTo("parainen");
                });

        HttpResponse<String> stranger = token("application/json", "{\"role\":\"expert\",\"user\":\"anna\"}");
        assertThat(stranger.statusCode()).isEqualTo(400);
        assertThat(stranger.body()).contains("no expert 'anna' in this deployment");
        assertThat(token("application/json", "{\"role\":\"king\",\"user\":\"anna\"}").body())
                .contains("unknown role 'king', expected advisor, expert, operator or customer");
        assertThat(token("application/json", "{\"role\":\"advisor\",\"user\":\"anna\",\"admin\":true}").body())
                .contains("unknown field 'admin'");
        assertThat(token("application/json", "[1]").statusCode()).isEqualTo(400);
        // A plain form post from another site would need no preflight: it is refused.
        assertThat(token("application/x-www-form-urlencoded", "role=advisor&user=anna").statusCode()).isEqualTo(415);
        assertThat(get("/demo/token").statusCode()).isEqualTo(405);
        assertThat(get("/demo/other").statusCode()).isEqualTo(404);
    }
}
