package fi.palvelurinki.signaling.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.palvelurinki.broker.Broker;
import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.ErrorCode;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.RingStatus;
import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.OpeningHours;
import fi.palvelurinki.broker.ring.RingConfig;
import fi.palvelurinki.signaling.auth.Principal;
import fi.palvelurinki.signaling.auth.Role;
import fi.palvelurinki.signaling.config.Durations;
import fi.palvelurinki.signaling.metrics.MicrometerMetrics;
import fi.palvelurinki.signaling.session.Directory;
import java.time.InstantSource;
import fi.palvelurinki.signaling.protocol.ServerMessages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The HTTP side: {@code /healthz}, {@code /metrics} and the API under {@code /api} (docs/api.md). API
 * calls need a bearer token: a missing or bad one is 401, with the same body whatever was wrong. Ring
 * settings and membership are for operators (403 for others); bookings are for all, each role seeing
 * its own. The History view's routes ({@link HistoryApi}) are for operators too.
 */
public final class HttpApi extends Handler.Abstract {

    private final Broker broker;
    private final Authenticator auth;
    private final MicrometerMetrics metrics;
    private final Handler next;
    private final BookingApi bookings;
    private final HistoryApi history;
    private final JoinCheck joinCheck;
    private final Directory directory;
    private final InstantSource clock;

    /** Reads the bearer token of a request. */
    public interface Authenticator {
        Optional<Principal> authenticate(Request request);
    }

    /** @param journal the broker's journal, read (never written) by the History view's routes */
    public HttpApi(Broker broker, Authenticator auth, MicrometerMetrics metrics, Directory directory, InstantSource clock,
            fi.palvelurinki.broker.journal.JournalSource journal, Handler next, JoinLinks links) {
        this.broker = broker;
        this.auth = auth;
        this.metrics = metrics;
        this.next = next;
        this.directory = directory;
        this.bookings = new BookingApi(broker, directory, clock, links);
        this.joinCheck = new JoinCheck(broker, links, clock);
        this.history = new HistoryApi(broker, journal);
        this.clock = clock;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        if (path.equals("/healthz")) {
            health(response, callback);
            return true;
        }
        if (path.equals("/metrics")) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            Content.Sink.write(response, true, metrics.scrape(), callback);
            return true;
        }
        if (!path.startsWith("/api/")) {
            return next != null && next.handle(request, response, callback);
        }
        if (path.startsWith("/api/join/")) {
            // The link is the credential: no bearer token is asked for.
            joinCheck.handle(request, response, callback, path.substring("/api/join/".length()));
            return true;
        }
        Optional<Principal> who = auth.authenticate(request);
        if (who.isEmpty()) {
            unauthorized(request, response, callback);
            return true;
        }
        if (who.get().role() == Role.CUSTOMER && !path.equals("/api/session")) {
            new Exchange(request, response, callback, who.get()).json(HttpStatus.FORBIDDEN_403,
                    Exchange.error("forbidden", "a customer's link opens only their booking's call"));
            return true;
        }
        Exchange x = new Exchange(request, response, callback, who.get());
        String[] parts = path.substring(5).split("/", -1);
        try {
            if (parts.length == 1 && parts[0].equals("session")) {
                session(x, method);
            } else if (BookingApi.handles(parts)) {
                if (!bookings.handle(x, method, parts)) {
                    notFound(x, method, path);
                }
            } else if (who.get().role() != Role.OPERATOR) {
                x.json(HttpStatus.FORBIDDEN_403, Exchange.error("forbidden", "only operators may use this part of the API"));
            } else if (!operatorRoute(x, method, parts)) {
                notFound(x, method, path);
            }
        } catch (BrokerException e) {
            x.fail(e);
        } catch (Exchange.Refusal r) {
            x.fail(r);
        }
        return true;
    }

    /**
     * 401 with the same JSON body whatever was wrong with the token: for the API and for a refused
     * WebSocket upgrade alike, so that a client reads one kind of error.
     */
    public static void unauthorized(Request request, Response response, Callback callback) {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
        new Exchange(request, response, callback, null).json(HttpStatus.UNAUTHORIZED_401,
                Exchange.error("unauthorized", "a valid bearer token is required"));
    }

    /**
     * Whether the server takes the caller's token, and the server's time: the pages ask this when their
     * socket is refused, instead of judging a token's expiry by the browser's clock (docs/pages.md).
     */
    private void session(Exchange x, String method) {
        if (!method.equals("GET")) {
            x.response.getHeaders().put(HttpHeader.ALLOW, "GET");
            x.json(HttpStatus.METHOD_NOT_ALLOWED_405, Exchange.error("method_not_allowed", "only GET /api/session"));
            return;
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("user", x.who.user());
        o.put("role", x.who.role().wireName());
        o.put("expiresAt", x.who.expiresAt().toString());
        o.put("now", clock.instant().toString());
        x.json(HttpStatus.OK_200, o);
    }

    private static void notFound(Exchange x, String method, String path) {
        x.json(HttpStatus.NOT_FOUND_404, Exchange.error("not_found", method + " " + path
                + " is not part of the API (see docs/api.md)"));
    }

    private boolean operatorRoute(Exchange x, String method, String[] parts) {
        String actor = "operator:" + x.who.user();
        if (parts.length == 1 && parts[0].equals("rings") && method.equals("GET")) {
            x.answer(broker.submit(new Command.GetDirectory()).thenCombine(broker.submit(new Command.GetRingStatus(null)),
                    this::ringsJson));
        } else if (parts.length == 2 && parts[0].equals("rings") && method.equals("GET")) {
            x.answer(Exchange.pathNamed(ring(parts[1]), ErrorCode.UNKNOWN_RING));
        } else if (parts.length == 2 && parts[0].equals("rings") && method.equals("PATCH")) {
            x.body(b -> changeRing(parts[1], b, actor));
        } else if (parts.length == 1 && parts[0].equals("experts") && method.equals("GET")) {
            x.answer(experts());
        } else if (parts.length == 2 && parts[0].equals("experts") && method.equals("PUT")) {
            x.body(b -> putExpert(parts[1], b, actor));
        } else if (HistoryApi.handles(parts)) {
            return history.handle(x, method, parts);
        } else {
            return false;
        }
        return true;
    }

    private void health(Response response, Callback callback) {
        Broker.Health h = broker.health();
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("status", h.healthy() ? "ok" : "unhealthy");
        o.put("role", "active");
        o.put("brokerThread", h.loopRunning());
        o.put("journalWritable", h.journalWritable());
        o.put("journalFreeBytes", h.journalFreeBytes());
        o.put("appendedSeq", h.appendedSeq());
        o.put("durableSeq", h.durableSeq());
        o.put("queuedCommands", h.queuedCommands());
        if (h.problem() != null) {
            o.put("problem", h.problem());
        }
        new Exchange(null, response, callback, null).json(h.healthy() ? 200 : HttpStatus.SERVICE_UNAVAILABLE_503, o);
    }

    // ------------------------------------------------------------------ rings

    private ObjectNode ringsJson(Reply dir, Reply statuses) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode list = o.putArray("rings");
        List<RingConfig> configs = ((Reply.Directory) dir).rings();
        for (RingStatus s : ((Reply.RingStatuses) statuses).rings()) {
            ObjectNode r = list.addObject();
            r.set("status", ServerMessages.ringStatus(s));
            configs.stream().filter(c -> c.id().equals(s.ringId())).findFirst().ifPresent(c -> r.set("config", ringConfig(c)));
        }
        return o;
    }

    private CompletableFuture<ObjectNode> ring(String id) {
        return broker.submit(new Command.GetRingStatus(id)).thenCombine(broker.submit(new Command.GetDirectory()),
                (s, d) -> {
                    ObjectNode r = JsonNodeFactory.instance.objectNode();
                    r.set("status", ServerMessages.ringStatus(((Reply.RingStatuses) s).rings().get(0)));
                    ((Reply.Directory) d).rings().stream().filter(c -> c.id().equals(id)).findFirst()
                            .ifPresent(c -> r.set("config", ringConfig(c)));
                    return r;
                });
    }

    public static ObjectNode ringConfig(RingConfig c) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", c.id());
        o.put("authority", c.authorityId());
        o.put("name", c.name());
        ArrayNode topics = o.putArray("topics");
        new TreeSet<>(c.topics()).forEach(topics::add);
        ArrayNode langs = o.putArray("languages");
        c.languages().stream().sorted().forEach(l -> langs.add(l.code()));
        o.put("openingHours", c.openingHours().spec());
        o.put("offerTimeout", Durations.format(c.offerTimeout()));
        o.put("wrapUp", Durations.format(c.wrapUp()));
        o.put("maxMissedOffers", c.maxMissedOffers());
        o.put("declineCooldown", Durations.format(c.declineCooldown()));
        if (c.languageEscalationAfter() == null) {
            o.putNull("languageEscalation");
        } else {
            ObjectNode e = o.putObject("languageEscalation");
            e.put("after", Durations.format(c.languageEscalationAfter()));
            ArrayNode f = e.putArray("fallback");
            c.fallbackLanguages().stream().sorted().forEach(l -> f.add(l.code()));
        }
        if (c.overflowRingId() == null) {
            o.putNull("overflow");
        } else {
            ObjectNode ov = o.putObject("overflow");
            ov.put("ring", c.overflowRingId());
            ov.put("after", Durations.format(c.overflowAfter()));
        }
        o.put("expectedHandleTime", Durations.format(c.expectedHandleTime()));
        o.put("serviceLevelThreshold", Durations.format(c.serviceLevelThreshold()));
        o.put("bookingCapacity", c.bookingCapacity());
        ArrayNode interpreting = o.putArray("interpreting");
        c.interpreting().stream().sorted().forEach(interpreting::add);
        return o;
    }

    /** Applies the fields given (others stay as they are); the whole change is validated first. */
    private CompletableFuture<ObjectNode> changeRing(String id, JsonNode body, String actor) {
        return broker.submit(new Command.GetDirectory()).thenCompose(d -> {
            RingConfig current = ((Reply.Directory) d).rings().stream().filter(c -> c.id().equals(id)).findFirst()
                    .orElseThrow(() -> Exchange.Refusal.notFound(new BrokerException(ErrorCode.UNKNOWN_RING,
                            "no ring '" + id + "'")));
            RingConfig changed = patch(current, body);
            return broker.submit(new Command.ConfigureRing(changed, actor)).thenApply(r -> ringConfig(changed));
        });
    }

    static RingConfig patch(RingConfig current, JsonNode body) {
        if (!body.isObject()) {
            throw BrokerException.invalid("the body must be a JSON object of ring settings");
        }
        Set<String> known = Set.of("name", "topics", "languages", "openingHours", "offerTimeout", "wrapUp",
                "maxMissedOffers", "declineCooldown", "languageEscalation", "overflow", "expectedHandleTime",
                "serviceLevelThreshold", "bookingCapacity", "interpreting");
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw BrokerException.invalid("unknown ring setting '" + f + "'; known: " + new TreeSet<>(known));
            }
        }
        RingConfig.Builder b = current.toBuilder();
        if (body.has("name")) {
            b.name(text(body, "name"));
        }
        if (body.has("topics")) {
            b.topics(Set.copyOf(strings(body, "topics")));
        }
        if (body.has("languages")) {
            b.languages(languages(body, "languages"));
        }
        if (body.has("interpreting")) {
            b.interpreting(Set.copyOf(strings(body, "interpreting")));
        }
        if (body.has("openingHours")) {
            b.openingHours(OpeningHours.parse(text(body, "openingHours")));
        }
        if (body.has("offerTimeout")) {
            b.offerTimeout(duration(body, "offerTimeout"));
        }
        if (body.has("wrapUp")) {
            b.wrapUp(duration(body, "wrapUp"));
        }
        if (body.has("maxMissedOffers")) {
            if (!body.get("maxMissedOffers").isInt()) {
                throw BrokerException.invalid("maxMissedOffers must be a whole number");
            }
            b.maxMissedOffers(body.get("maxMissedOffers").asInt());
        }
        if (body.has("bookingCapacity")) {
            if (!body.get("bookingCapacity").isInt()) {
                throw BrokerException.invalid("bookingCapacity must be a whole number");
            }
            b.bookingCapacity(body.get("bookingCapacity").asInt());
        }
        if (body.has("declineCooldown")) {
            b.declineCooldown(duration(body, "declineCooldown"));
        }
        if (body.has("expectedHandleTime")) {
            b.expectedHandleTime(duration(body, "expectedHandleTime"));
        }
        if (body.has("serviceLevelThreshold")) {
            b.serviceLevelThreshold(duration(body, "serviceLevelThreshold"));
        }
        if (body.has("languageEscalation")) {
            JsonNode e = body.get("languageEscalation");
            if (e.isNull()) {
                b.languageEscalation(null, Set.of());
            } else {
                b.languageEscalation(duration(e, "after"), languages(e, "fallback"));
            }
        }
        if (body.has("overflow")) {
            JsonNode o = body.get("overflow");
            if (o.isNull()) {
                b.overflow(null, null);
            } else {
                b.overflow(text(o, "ring"), duration(o, "after"));
            }
        }
        return b.build();
    }

    // ------------------------------------------------------------------ experts

    private CompletableFuture<ObjectNode> experts() {
        return broker.submit(new Command.GetDirectory()).thenCompose(d -> {
            List<ExpertProfile> profiles = ((Reply.Directory) d).experts();
            List<CompletableFuture<Reply>> presence = new ArrayList<>();
            for (ExpertProfile p : profiles) {
                presence.add(broker.submit(new Command.GetExpert(p.id())));
            }
            return CompletableFuture.allOf(presence.toArray(CompletableFuture[]::new)).thenApply(v -> {
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                ArrayNode list = o.putArray("experts");
                for (int i = 0; i < profiles.size(); i++) {
                    ObjectNode x = expertJson(profiles.get(i));
                    x.put("presence", ServerMessages.lower(((Reply.ExpertStatus) presence.get(i).join()).presence()));
                    list.add(x);
                }
                return o;
            });
        });
    }

    private static ObjectNode expertJson(ExpertProfile p) {
        ObjectNode x = JsonNodeFactory.instance.objectNode();
        x.put("id", p.id());
        x.put("name", p.name());
        ArrayNode rings = x.putArray("rings");
        new TreeSet<>(p.rings()).forEach(rings::add);
        ArrayNode langs = x.putArray("languages");
        p.languages().stream().sorted().forEach(l -> langs.add(l.code()));
        ArrayNode topics = x.putArray("topics");
        new TreeSet<>(p.topics()).forEach(topics::add);
        ArrayNode interprets = x.putArray("interprets");
        new TreeSet<>(p.interprets()).forEach(interprets::add);
        return x;
    }

    private CompletableFuture<ObjectNode> putExpert(String id, JsonNode body, String actor) {
        if (!body.isObject()) {
            throw BrokerException.invalid("the body must be a JSON object: name, rings, languages, topics, interprets");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("name", "rings", "languages", "topics", "interprets").contains(f)) {
                throw BrokerException.invalid("unknown expert field '" + f
                        + "'; known: name, rings, languages, topics, interprets");
            }
        }
        // Advisors and operators come only from the configuration, so the directory's copy is current here.
        String holder = directory.advisor(id) != null ? "an advisor" : directory.operators().containsKey(id)
                ? "an operator" : null;
        if (holder != null) {
            throw new Exchange.Refusal(HttpStatus.CONFLICT_409, "id_taken", "'" + id + "' is " + holder
                    + "'s id; user ids are unique across advisors, experts and operators");
        }
        ExpertProfile p = new ExpertProfile(id, text(body, "name"), new HashSet<>(strings(body, "rings")),
                languages(body, "languages"), body.has("topics") ? new HashSet<>(strings(body, "topics")) : Set.of(),
                body.has("interprets") ? new HashSet<>(strings(body, "interprets")) : Set.of());
        return broker.submit(new Command.DefineExpert(p, actor)).thenApply(r -> expertJson(p));
    }

    static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw BrokerException.invalid("\"" + field + "\" must be a non-empty string");
        }
        return v.asText();
    }

    private static List<String> strings(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isArray()) {
            throw BrokerException.invalid("\"" + field + "\" must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode x : v) {
            if (!x.isTextual()) {
                throw BrokerException.invalid("\"" + field + "\" must be a list of strings");
            }
            out.add(x.asText());
        }
        return out;
    }

    private static Set<Language> languages(JsonNode o, String field) {
        Set<Language> out = EnumSet.noneOf(Language.class);
        for (String s : strings(o, field)) {
            out.add(Language.parse(s));
        }
        return out;
    }

    private static Duration duration(JsonNode o, String field) {
        try {
            return Durations.parse(text(o, field));
        } catch (IllegalArgumentException e) {
            throw BrokerException.invalid("\"" + field + "\": " + e.getMessage());
        }
    }
}
