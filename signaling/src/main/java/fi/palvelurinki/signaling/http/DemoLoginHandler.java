package fi.palvelurinki.signaling.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.point.Advisor;
import fi.palvelurinki.broker.point.ServicePoint;
import fi.palvelurinki.signaling.PalvelurinkiServer;
import fi.palvelurinki.signaling.auth.Role;
import fi.palvelurinki.signaling.session.Directory;
import java.time.Duration;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Sign-in for the demo only ({@code serve --demo}; never mounted otherwise): {@code GET /demo/users}
 * lists the configured people and {@code POST /demo/token} with {@code {"role","user"}} issues a token
 * for one of them without any password, so that a visitor can try the pages in one click.
 */
public final class DemoLoginHandler extends Handler.Abstract {
    private final PalvelurinkiServer server;

    public DemoLoginHandler(PalvelurinkiServer server) {
        this.server = server;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!path.startsWith("/demo/")) {
            return false;
        }
        String method = request.getMethod();
        Exchange x = new Exchange(request, response, callback, null);
        if (path.equals("/demo/users") && method.equals("GET")) {
            x.json(200, users(server.directory()));
        } else if (path.equals("/demo/token") && method.equals("POST")) {
            // A JSON body makes a cross-site form post impossible: browsers preflight it, and nothing here allows one.
            String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
            if (type == null || !type.startsWith("application/json")) {
                x.json(HttpStatus.UNSUPPORTED_MEDIA_TYPE_415,
                        Exchange.error("unsupported_media_type", "send {\"role\",\"user\"} as application/json"));
            } else {
                x.body(b -> CompletableFuture.completedFuture(token(b)));
            }
        } else if (path.equals("/demo/users") || path.equals("/demo/token")) {
            response.getHeaders().put(HttpHeader.ALLOW, path.equals("/demo/users") ? "GET" : "POST");
            x.json(HttpStatus.METHOD_NOT_ALLOWED_405,
                    Exchange.error("method_not_allowed", method + " is not allowed on " + path));
        } else {
            x.json(HttpStatus.NOT_FOUND_404, Exchange.error("not_found", path
                    + " is not part of the demo sign-in (GET /demo/users, POST /demo/token)"));
        }
        return true;
    }

    static ObjectNode users(Directory d) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode advisors = o.putArray("advisors");
        d.advisors().values().stream().sorted(Comparator.comparing(Advisor::pointId).thenComparing(Advisor::id))
                .forEach(a -> {
                    ServicePoint p = d.point(a.pointId());
                    ObjectNode x = advisors.addObject();
                    x.put("id", a.id());
                    x.put("name", a.name());
                    x.put("point", a.pointId());
                    x.put("pointName", p == null ? a.pointId() : p.name());
                });
        ArrayNode experts = o.putArray("experts");
        d.experts().values().stream().sorted(Comparator.comparing(ExpertProfile::id)).forEach(e -> {
            ObjectNode x = experts.addObject();
            x.put("id", e.id());
            x.put("name", e.name());
            ArrayNode rings = x.putArray("rings");
            new TreeSet<>(e.rings()).forEach(rings::add);
            ArrayNode names = x.putArray("ringNames");
            new TreeSet<>(e.rings()).forEach(r -> names.add(d.ringName(r)));
        });
        ArrayNode operators = o.putArray("operators");
        new TreeSet<>(d.operators().keySet()).forEach(id -> {
            ObjectNode x = operators.addObject();
            x.put("id", id);
            x.put("name", d.operators().get(id));
        });
        return o;
    }

    private ObjectNode token(JsonNode body) {
        if (!body.isObject()) {
            throw BrokerException.invalid("the body must be a JSON object {\"role\",\"user\"}");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("role", "user").contains(f)) {
                throw BrokerException.invalid("unknown field '" + f + "'; known: role, user");
            }
        }
        String roleName = HttpApi.text(body, "role");
        String user = HttpApi.text(body, "user");
        Role role;
        try {
            role = Role.parse(roleName);
        } catch (IllegalArgumentException e) {
            throw BrokerException.invalid(e.getMessage());
        }
        Directory d = server.directory();
        boolean known = switch (role) {
            case ADVISOR -> d.advisor(user) != null;
            case EXPERT -> d.expert(user) != null;
            case OPERATOR -> d.operators().containsKey(user);
            case CUSTOMER -> false;
        };
        if (!known) {
            throw BrokerException.invalid("no " + roleName + " '" + user + "' in this deployment (GET /demo/users lists them)");
        }
        Duration ttl = server.options().signaling().tokenTtl();
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("role", roleName);
        o.put("user", user);
        o.put("token", server.tokenFor(role, user, ttl));
        return o;
    }
}
