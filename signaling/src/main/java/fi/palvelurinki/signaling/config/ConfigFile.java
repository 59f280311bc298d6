package fi.palvelurinki.signaling.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import fi.palvelurinki.broker.BrokerConfig;
import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.booking.BookableService;
import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.point.Advisor;
import fi.palvelurinki.broker.point.ServicePoint;
import fi.palvelurinki.broker.ring.Authority;
import fi.palvelurinki.broker.ring.Ids;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.OpeningHours;
import fi.palvelurinki.broker.ring.RingConfig;
import fi.palvelurinki.media.MediaConfig;
import fi.palvelurinki.media.TurnConfig;
import fi.palvelurinki.signaling.SignalingConfig;
import fi.palvelurinki.signaling.auth.oidc.OidcConfig;
import fi.palvelurinki.signaling.tls.WebTransport;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the configuration file (YAML; see {@code docs/configuration.md} and {@code config/example.yaml}).
 * Every setting is checked: an unknown key, a wrong type or a bad value is an error naming its place
 * in the file, e.g. {@code rings[2].offerTimeout: must be between 5 s and 600 s}.
 */
public final class ConfigFile {
    /** A key given twice in one mapping is refused: otherwise the last would silently win (fsync: true, fsync: false). */
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /**
     * Everything a deployment is configured with. {@code seed} defines the rings, points and people;
     * {@code transport} how browsers reach the server (TLS here, behind a proxy, or plain http).
     */
    public record Deployment(SignalingConfig signaling, BrokerSettings broker, MediaConfig media, Path tokenSecretFile,
            List<Command> seed, Map<String, String> operators, Map<String, String> advisorNames, WebTransport transport,
            Map<String, List<String>> outcomes, Names names, OidcConfig oidc) {}

    /**
     * Names per page language (fi, sv, en) where the configuration gives them: rings' (their {@code names})
     * and topics' (the top-level {@code topicNames}). The pages fall back to the ring's {@code name} and to
     * their own topic names.
     */
    public record Names(Map<String, Map<String, String>> rings, Map<String, Map<String, String>> topics) {
        public static final Names NONE = new Names(Map.of(), Map.of());
    }
    /** A ring's call outcomes when its configuration names none (docs/configuration.md). */
    public static final List<String> DEFAULT_OUTCOMES = List.of("resolved", "needs-booking", "referred", "not-remote");
    static final int MAX_OUTCOMES = 12;

    /**
     * The broker's settings from the file; the data directory comes from the command line. {@code postgres}
     * is the {@code journal} section's PostgreSQL backend, null for the file journal.
     */
    public record BrokerSettings(boolean fsync, Duration queueUpdateInterval, Duration statusPublishInterval,
            Duration shortAbandonGrace, int maxActiveRequests, int maxActiveRequestsPerPoint,
            fi.palvelurinki.broker.CallbackSettings callbacks, BrokerConfig.Postgres postgres, Duration jointHold) {
        public BrokerConfig toBrokerConfig(Path dataDir) {
            BrokerConfig d = BrokerConfig.defaults(dataDir);
            return new BrokerConfig(dataDir, fsync, d.commandQueueCapacity(), d.maxBatch(), queueUpdateInterval,
                    statusPublishInterval, shortAbandonGrace, maxActiveRequests, maxActiveRequestsPerPoint,
                    d.journalSegmentBytes(), d.rememberEnded(), callbacks, postgres, jointHold);
        }

        public static BrokerSettings defaults() {
            BrokerConfig d = BrokerConfig.defaults(Path.of("."));
            return new BrokerSettings(d.fsync(), d.queueUpdateInterval(), d.statusPublishInterval(),
                    d.shortAbandonGrace(), d.maxActiveRequests(), d.maxActiveRequestsPerPoint(), d.callbacks(), null,
                    d.jointHold());
        }

        public BrokerSettings withPostgres(BrokerConfig.Postgres p) {
            return new BrokerSettings(fsync, queueUpdateInterval, statusPublishInterval, shortAbandonGrace,
                    maxActiveRequests, maxActiveRequestsPerPoint, callbacks, p, jointHold);
        }
    }

    /** A problem in the file, with where it is. */
    public static final class ConfigException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message) {
            super(message);
        }
    }

    private ConfigFile() {}

    public static Deployment load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        }
    }

    /** The demo deployment built from the pilot evaluation's figures (resource {@code demo.yaml}). */
    public static Deployment demo() {
        try (InputStream in = ConfigFile.class.getResourceAsStream("/demo.yaml")) {
            return parse(in, "demo.yaml");
        } catch (IOException e) {
            throw new IllegalStateException("demo configuration missing from the jar", e);
        }
    }

    public static Deployment parse(InputStream in, String name) throws IOException {
        JsonNode root;
        try {
            root = YAML.readTree(in);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            String duplicate = duplicateKey(e.getOriginalMessage());
            if (duplicate != null) {
                throw new ConfigException(name + where + ": '" + duplicate + "' is given twice in the same mapping;"
                        + " keep one");
            }
            throw new ConfigException(name + ": not valid YAML: " + e.getOriginalMessage() + where);
        }
        // A server started from an empty file would have nobody to serve and nobody to sign in.
        if (root == null || root.isMissingNode() || root.isNull() || (root.isObject() && root.isEmpty())) {
            throw new ConfigException(name + ": the configuration is empty; see config/example.yaml for every setting"
                    + " (or use --demo)");
        }
        Node top = new Node(root, name);
        top.only("server", "signaling", "security", "broker", "journal", "media", "authorities", "rings", "points",
                "advisors", "experts", "operators", "topicNames");
        SignalingConfig signaling = signaling(top.obj("server"), top.obj("signaling"), top.obj("security"));
        Node security = top.obj("security");
        String secretFile = security.str("tokenSecretFile", null);
        BrokerSettings broker = broker(top.obj("broker")).withPostgres(journal(top.obj("journal")));
        MediaConfig media = media(top.obj("media"));
        List<Command> seed = new ArrayList<>();
        Map<String, String> operators = new LinkedHashMap<>();
        Map<String, String> advisorNames = new LinkedHashMap<>();
        Map<String, List<String>> outcomes = new LinkedHashMap<>();
        Map<String, Map<String, String>> ringNames = new LinkedHashMap<>();
        directory(top, seed, operators, advisorNames, outcomes, ringNames);
        Map<String, Map<String, String>> topicNames = new LinkedHashMap<>();
        Node topics = top.obj("topicNames");
        if (topics.present()) {
            for (Iterator<String> it = topics.node.fieldNames(); it.hasNext(); ) {
                String topic = it.next();
                topics.check(() -> Ids.check("topic", topic));
                topicNames.put(topic, perLanguage(topics.obj(topic)));
            }
        }
        return new Deployment(signaling, broker, media, secretFile == null ? null : Path.of(secretFile), List.copyOf(seed),
                operators, advisorNames, transport(top.obj("server")), Map.copyOf(outcomes),
                new Names(Map.copyOf(ringNames), Map.copyOf(topicNames)), oidc(security.obj("oidc")));
    }

    /** The key Jackson names in its duplicate-key message ("Duplicate field 'fsync'"), or null for other errors. */
    private static String duplicateKey(String message) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^Duplicate field '(.*)'").matcher(
                message == null ? "" : message);
        return m.find() ? m.group(1) : null;
    }

    private static SignalingConfig signaling(Node server, Node sig, Node security) {
        SignalingConfig d = SignalingConfig.defaults();
        server.only("host", "port", "tls", "proxy", "plainHttp", "hstsMaxAge");
        sig.only("heartbeatInterval", "resumeGrace", "limits", "benchRelay", "homeJoinLead");
        Node limits = sig.obj("limits");
        limits.only("maxMessageBytes", "maxSdpBytes", "maxCandidatesPerCall", "messagesPerSecond", "messageBurst",
                "connectionsPerUser", "outgoingQueueFrames", "resumeBufferMessages");
        security.only("tokenTtl", "tokenSecretFile", "oidc");
        try {
            return new SignalingConfig(
                server.str("host", d.host()),
                server.integer("port", d.port()),
                sig.duration("heartbeatInterval", d.heartbeatInterval()),
                sig.duration("resumeGrace", d.resumeGrace()),
                limits.integer("maxMessageBytes", d.maxMessageBytes()),
                limits.integer("maxSdpBytes", d.maxSdpBytes()),
                limits.integer("maxCandidatesPerCall", d.maxCandidatesPerCall()),
                limits.integer("messagesPerSecond", d.messagesPerSecond()),
                limits.integer("messageBurst", d.messageBurst()),
                limits.integer("connectionsPerUser", d.connectionsPerUser()),
                limits.integer("outgoingQueueFrames", d.outgoingQueueFrames()),
                limits.integer("resumeBufferMessages", d.resumeBufferMessages()),
                security.duration("tokenTtl", d.tokenTtl()),
                sig.bool("benchRelay", d.benchRelay()),
                sig.duration("homeJoinLead", d.homeJoinLead()));
        } catch (SignalingConfig.InvalidSetting e) {
            String s = e.setting();
            Node section = switch (s) {
                case "host", "port" -> server;
                case "heartbeatInterval", "resumeGrace", "benchRelay", "homeJoinLead" -> sig;
                case "tokenTtl" -> security;
                default -> limits;
            };
            throw new ConfigException(section.path + "." + s + ": " + e.getMessage());
        }
    }

    /** Sign-in through identity providers, or null when the section is absent. */
    private static OidcConfig oidc(Node o) {
        if (!o.present()) {
            return null;
        }
        o.only("sessionTtl", "publicUrl", "devTokens", "providers");
        List<OidcConfig.Provider> providers = new ArrayList<>();
        for (Node p : o.list("providers")) {
            providers.add(provider(p));
        }
        String publicUrl = o.str("publicUrl", null);
        return o.check(() -> new OidcConfig(o.duration("sessionTtl", OidcConfig.DEFAULT_SESSION_TTL),
                publicUrl == null ? null : absolute(o, "publicUrl", publicUrl), o.bool("devTokens", false), providers));
    }

    private static OidcConfig.Provider provider(Node p) {
        p.only("id", "name", "issuer", "clientId", "clientSecret", "clientSecretFile", "scopes", "userClaim", "userPrefix",
                "nameClaim", "roles");
        String inline = p.str("clientSecret", null);
        String file = p.str("clientSecretFile", null);
        if ((inline == null) == (file == null)) {
            throw new ConfigException(p.path + ": give one of clientSecret or clientSecretFile");
        }
        String secret = inline;
        if (file != null) {
            try {
                secret = Files.readString(Path.of(file)).strip();
            } catch (IOException e) {
                throw new ConfigException(p.path + ".clientSecretFile: cannot read " + file + " (" + e + ")");
            }
        }
        List<OidcConfig.RoleRule> rules = new ArrayList<>();
        for (Node r : p.list("roles")) {
            r.only("role", "claim", "value", "point", "pointClaim", "rings", "ringsClaim", "ringsPrefix", "languages");
            rules.add(r.check(() -> new OidcConfig.RoleRule(fi.palvelurinki.signaling.auth.Role.parse(r.reqStr("role")),
                    r.reqStr("claim"), r.str("value", null), r.str("point", null), r.str("pointClaim", null),
                    r.strings("rings"), r.str("ringsClaim", null), r.str("ringsPrefix", null),
                    languages(r, "languages", Set.of()))));
        }
        List<String> scopes = p.strings("scopes");
        String secretValue = secret;
        URI issuer = absolute(p, "issuer", p.reqStr("issuer"));
        // The ID tokens' keys come from the issuer's address: over plain http anyone on the way could swap them.
        if (!"https".equals(issuer.getScheme()) && !List.of("127.0.0.1", "localhost", "[::1]").contains(issuer.getHost())) {
            throw new ConfigException(p.path + ".issuer: must be https (plain http only on loopback, for tests)");
        }
        return p.check(() -> new OidcConfig.Provider(p.reqStr("id"), p.str("name", p.reqStr("id")), issuer,
                p.reqStr("clientId"), secretValue, scopes.isEmpty() ? List.of("openid") : scopes,
                p.str("userClaim", "sub"), p.str("userPrefix", ""), p.str("nameClaim", null), rules));
    }

    private static URI absolute(Node n, String key, String value) {
        try {
            URI u = new URI(value);
            if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme()) || u.getHost() == null) {
                throw new URISyntaxException(value, "not an http(s) address");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new ConfigException(n.path + "." + key + ": expected an https address, got '" + value + "'");
        }
    }

    /** TLS here (PEM files), https at a reverse proxy (its addresses), or neither (plain http). */
    private static WebTransport transport(Node server) {
        Node tls = server.obj("tls");
        tls.only("certificate", "privateKey");
        Node proxy = server.obj("proxy");
        proxy.only("trustedProxies");
        String plain = server.str("plainHttp", "redirect");
        if (!plain.equals("redirect") && !plain.equals("refuse")) {
            throw new ConfigException(server.path + ".plainHttp: redirect or refuse, got '" + plain + "'");
        }
        String cert = tls.present() ? tls.reqStr("certificate") : null;
        String key = tls.present() ? tls.reqStr("privateKey") : null;
        return server.check(() -> new WebTransport(cert == null ? null : Path.of(cert), key == null ? null : Path.of(key),
                proxy.strings("trustedProxies"), WebTransport.PlainHttp.valueOf(plain.toUpperCase(java.util.Locale.ROOT)),
                server.duration("hstsMaxAge", WebTransport.DEFAULT_HSTS)));
    }

    private static BrokerSettings broker(Node b) {
        BrokerSettings d = BrokerSettings.defaults();
        b.only("fsync", "queueUpdateInterval", "statusPublishInterval", "shortAbandonGrace", "maxActiveRequests",
                "maxActiveRequestsPerPoint", "callbacks", "interpreters");
        Node interp = b.obj("interpreters");
        interp.only("holdTime");
        Node cb = b.obj("callbacks");
        cb.only("ringTimeout", "retryDelay", "maxAttempts", "ringAllAdvisors");
        fi.palvelurinki.broker.CallbackSettings dc = d.callbacks();
        fi.palvelurinki.broker.CallbackSettings callbacks = cb.check(() -> new fi.palvelurinki.broker.CallbackSettings(
                cb.duration("ringTimeout", dc.ringTimeout()), cb.duration("retryDelay", dc.retryDelay()),
                cb.integer("maxAttempts", dc.maxAttempts()), cb.bool("ringAllAdvisors", dc.ringAllAdvisors())));
        BrokerSettings s = new BrokerSettings(b.bool("fsync", d.fsync()),
                b.duration("queueUpdateInterval", d.queueUpdateInterval()),
                b.duration("statusPublishInterval", d.statusPublishInterval()),
                b.duration("shortAbandonGrace", d.shortAbandonGrace()),
                b.integer("maxActiveRequests", d.maxActiveRequests()),
                b.integer("maxActiveRequestsPerPoint", d.maxActiveRequestsPerPoint()), callbacks, null,
                interp.duration("holdTime", d.jointHold()));
        b.check(() -> s.toBrokerConfig(Path.of(".")));
        return s;
    }

    /** The journal's backend: null for the embedded file journal (the default), else PostgreSQL's settings. */
    private static BrokerConfig.Postgres journal(Node j) {
        j.only("backend", "url", "advertisedUrl", "leaseTtl");
        String backend = j.str("backend", "file");
        if (backend.equals("file")) {
            if (j.str("url", null) != null) {
                throw new ConfigException(j.path + ".url: only for backend: postgresql");
            }
            return null;
        }
        if (!backend.equals("postgresql")) {
            throw new ConfigException(j.path + ".backend: file or postgresql, got '" + backend + "'");
        }
        String url = j.str("url", null);
        if (url == null) {
            throw new ConfigException(j.path + ".url: required for backend: postgresql (jdbc:postgresql://HOST/DB?user=…)");
        }
        BrokerConfig.Postgres d = BrokerConfig.Postgres.of(url);
        return j.check(() -> new BrokerConfig.Postgres(url, j.str("advertisedUrl", null), j.duration("leaseTtl", d.leaseTtl())));
    }

    private static MediaConfig media(Node m) {
        MediaConfig d = MediaConfig.defaults();
        m.only("embeddedStun", "stunHost", "stunPort", "stunPublicHost", "turn", "iceTransportPolicy", "recoveryTimeout");
        TurnConfig turn = turn(m.obj("turn"));
        String policy = m.str("iceTransportPolicy", "all");
        if (!policy.equals("all") && !policy.equals("relay")) {
            throw new ConfigException(m.path + ".iceTransportPolicy: all or relay, got '" + policy + "'");
        }
        return m.check(() -> new MediaConfig(m.bool("embeddedStun", d.embeddedStun()), m.str("stunHost", d.stunHost()),
                m.integer("stunPort", d.stunPort()), m.str("stunPublicHost", d.stunPublicHost()), turn,
                policy.equals("relay"), m.duration("recoveryTimeout", d.recoveryTimeout())));
    }

    /** coturn with its shared secret, given in the file or (better) in a file of its own. */
    private static TurnConfig turn(Node t) {
        if (!t.present()) {
            return null;
        }
        t.only("urls", "sharedSecret", "sharedSecretFile", "credentialLifetime");
        String inline = t.str("sharedSecret", null);
        String file = t.str("sharedSecretFile", null);
        if ((inline == null) == (file == null)) {
            throw new ConfigException(t.path + ": give one of sharedSecret or sharedSecretFile (coturn's static-auth-secret)");
        }
        String secret = inline;
        if (file != null) {
            try {
                secret = Files.readString(Path.of(file)).strip();
            } catch (IOException e) {
                throw new ConfigException(t.path + ".sharedSecretFile: cannot read " + file + " (" + e + ")");
            }
        }
        String shared = secret;
        return t.check(() -> new TurnConfig(t.strings("urls"), shared, t.duration("credentialLifetime", Duration.ofHours(1))));
    }

    private static void directory(Node top, List<Command> seed, Map<String, String> operators,
            Map<String, String> advisorNames, Map<String, List<String>> outcomes, Map<String, Map<String, String>> ringNames) {
        Set<String> authorities = new HashSet<>();
        for (Node a : top.list("authorities")) {
            a.only("id", "name");
            Authority authority = a.check(() -> new Authority(a.reqStr("id"), a.reqStr("name")));
            unique(a, authorities, authority.id(), "authority");
            seed.add(new Command.DefineAuthority(authority));
        }
        // Rings without overflow first, so that every overflow target exists when it is named.
        List<RingConfig> rings = new ArrayList<>();
        List<BookableService> services = new ArrayList<>();
        Set<String> ringIds = new LinkedHashSet<>();
        Set<String> serviceIds = new HashSet<>();
        for (Node r : top.list("rings")) {
            RingConfig cfg = ring(r);
            for (Node sv : r.list("services")) {
                BookableService s = service(sv, cfg);
                unique(sv, serviceIds, s.id(), "service");
                services.add(s);
            }
            if (!authorities.contains(cfg.authorityId())) {
                throw new ConfigException(r.path + ".authority: no authority '" + cfg.authorityId() + "' is defined");
            }
            unique(r, ringIds, cfg.id(), "ring");
            rings.add(cfg);
            outcomes.put(cfg.id(), outcomes(r));
            if (r.obj("names").present()) {
                ringNames.put(cfg.id(), perLanguage(r.obj("names")));
            }
        }
        for (int i = 0; i < rings.size(); i++) {
            RingConfig cfg = rings.get(i);
            if (cfg.overflowRingId() != null && !ringIds.contains(cfg.overflowRingId())) {
                throw new ConfigException(top.path + ".rings[" + i + "].overflow.ring: no ring '" + cfg.overflowRingId()
                        + "' is defined");
            }
        }
        for (RingConfig cfg : rings) {
            seed.add(new Command.ConfigureRing(cfg.toBuilder().overflow(null, null).build(), "config"));
        }
        for (RingConfig cfg : rings) {
            if (cfg.overflowRingId() != null) {
                seed.add(new Command.ConfigureRing(cfg, "config"));
            }
        }
        for (BookableService s : services) {
            seed.add(new Command.DefineService(s, "config"));
        }
        Set<String> pointIds = new HashSet<>();
        for (Node p : top.list("points")) {
            p.only("id", "name", "municipality", "rooms");
            ServicePoint point = p.check(() -> new ServicePoint(p.reqStr("id"), p.reqStr("name"), p.reqStr("municipality"),
                    p.integer("rooms", 1)));
            unique(p, pointIds, point.id(), "point");
            seed.add(new Command.DefinePoint(point));
        }
        Set<String> people = new HashSet<>();
        for (Node a : top.list("advisors")) {
            a.only("id", "name", "point");
            Advisor advisor = a.check(() -> new Advisor(a.reqStr("id"), a.reqStr("name"), a.reqStr("point")));
            if (!pointIds.contains(advisor.pointId())) {
                throw new ConfigException(a.path + ".point: no point '" + advisor.pointId() + "' is defined");
            }
            unique(a, people, advisor.id(), "user");
            advisorNames.put(advisor.id(), advisor.name());
            seed.add(new Command.DefineAdvisor(advisor));
        }
        for (Node e : top.list("experts")) {
            e.only("id", "name", "rings", "languages", "topics", "interprets");
            ExpertProfile x = e.check(() -> new ExpertProfile(e.reqStr("id"), e.reqStr("name"), Set.copyOf(e.strings("rings")),
                    languages(e, "languages", Set.of()), Set.copyOf(e.strings("topics")), Set.copyOf(e.strings("interprets"))));
            for (String ring : x.rings()) {
                if (!ringIds.contains(ring)) {
                    throw new ConfigException(e.path + ".rings: no ring '" + ring + "' is defined");
                }
            }
            unique(e, people, x.id(), "user");
            seed.add(new Command.DefineExpert(x, "config"));
        }
        for (Node o : top.list("operators")) {
            o.only("id", "name");
            String id = o.check(() -> Ids.check("operator", o.reqStr("id")));
            unique(o, people, id, "user");
            operators.put(id, o.str("name", id));
        }
    }

    private static RingConfig ring(Node r) {
        r.only("id", "authority", "name", "topics", "languages", "openingHours", "offerTimeout", "wrapUp",
                "maxMissedOffers", "declineCooldown", "languageEscalation", "overflow", "expectedHandleTime",
                "serviceLevelThreshold", "bookingCapacity", "services", "outcomes", "names", "interpreting");
        Node esc = r.obj("languageEscalation");
        esc.only("after", "fallback");
        Node over = r.obj("overflow");
        over.only("ring", "after");
        return r.check(() -> {
            RingConfig.Builder b = RingConfig.builder(r.reqStr("id"), r.reqStr("authority"));
            RingConfig d = b.build();
            b.name(r.str("name", d.name()))
                    .topics(Set.copyOf(r.strings("topics")))
                    .languages(languages(r, "languages", d.languages()))
                    .openingHours(OpeningHours.parse(r.str("openingHours", "always")))
                    .offerTimeout(r.duration("offerTimeout", d.offerTimeout()))
                    .wrapUp(r.duration("wrapUp", d.wrapUp()))
                    .maxMissedOffers(r.integer("maxMissedOffers", d.maxMissedOffers()))
                    .declineCooldown(r.duration("declineCooldown", d.declineCooldown()))
                    .expectedHandleTime(r.duration("expectedHandleTime", d.expectedHandleTime()))
                    .serviceLevelThreshold(r.duration("serviceLevelThreshold", d.serviceLevelThreshold()))
                    .bookingCapacity(r.integer("bookingCapacity", d.bookingCapacity()))
                    .interpreting(Set.copyOf(r.strings("interpreting")));
            if (esc.present()) {
                b.languageEscalation(esc.requiredDuration("after"), languages(esc, "fallback", Set.of()));
            }
            if (over.present()) {
                b.overflow(over.reqStr("ring"), over.requiredDuration("after"));
            }
            return b.build();
        });
    }

    /** {fi: …, sv: …, en: …}: a name per page language, each optional. */
    private static Map<String, String> perLanguage(Node n) {
        n.only("fi", "sv", "en");
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : List.of("fi", "sv", "en")) {
            String v = n.str(l, null);
            if (v != null) {
                if (v.isBlank() || v.length() > 200) {
                    throw new ConfigException(n.path + "." + l + ": a name of 1-200 characters");
                }
                out.put(l, v);
            }
        }
        return Map.copyOf(out);
    }

    /** The outcomes an expert may record for the ring's calls: ids, translated by the pages; never free text. */
    private static List<String> outcomes(Node r) {
        List<String> given = r.strings("outcomes");
        if (given.isEmpty()) {
            return DEFAULT_OUTCOMES;
        }
        if (given.size() > MAX_OUTCOMES) {
            throw new ConfigException(r.path + ".outcomes: at most " + MAX_OUTCOMES + " outcomes");
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String o : given) {
            r.check(() -> Ids.check("outcome", o));
            if (!seen.add(o)) {
                throw new ConfigException(r.path + ".outcomes: '" + o + "' is listed twice");
            }
        }
        return List.copyOf(seen);
    }

    private static BookableService service(Node s, RingConfig ring) {
        s.only("id", "name", "topic", "length", "bufferBefore", "bufferAfter", "horizon", "notice", "lateGrace");
        BookableService d = BookableService.of("x", ring.id(), "x", "x", Duration.ofMinutes(30));
        BookableService out = s.check(() -> new BookableService(s.reqStr("id"), ring.id(), s.reqStr("name"),
                s.reqStr("topic"), s.requiredDuration("length"), s.duration("bufferBefore", d.bufferBefore()),
                s.duration("bufferAfter", d.bufferAfter()), s.duration("horizon", d.horizon()),
                s.duration("notice", d.notice()), s.duration("lateGrace", d.lateGrace())));
        if (!ring.servesTopic(out.topic())) {
            throw new ConfigException(s.path + ".topic: ring " + ring.id() + " does not serve topic '" + out.topic() + "'");
        }
        return out;
    }

    private static Set<Language> languages(Node n, String key, Set<Language> dflt) {
        List<String> codes = n.strings(key);
        if (codes.isEmpty()) {
            return dflt;
        }
        Set<Language> out = EnumSet.noneOf(Language.class);
        for (String c : codes) {
            out.add(Language.parse(c));
        }
        return out;
    }

    private static void unique(Node n, Set<String> seen, String id, String kind) {
        if (!seen.add(id)) {
            throw new ConfigException(n.path + ": " + kind + " id '" + id + "' is used twice");
        }
    }

    /** A YAML node with its path in the file, for error messages. */
    private static final class Node {
        final JsonNode node;
        final String path;

        Node(JsonNode node, String path) {
            this.node = node;
            this.path = path;
        }

        boolean present() {
            return node != null && !node.isMissingNode() && !node.isNull();
        }

        void only(String... keys) {
            if (!present()) {
                return;
            }
            if (!node.isObject()) {
                throw new ConfigException(path + ": expected a mapping of settings");
            }
            Set<String> known = new HashSet<>(Arrays.asList(keys));
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!known.contains(k)) {
                    throw new ConfigException(path + ": unknown setting '" + k + "'; known here: " + String.join(", ", keys));
                }
            }
        }

        Node obj(String key) {
            JsonNode v = present() ? node.get(key) : null;
            if (v != null && !v.isNull() && !v.isObject()) {
                throw new ConfigException(path + "." + key + ": expected a mapping");
            }
            return new Node(v, path + "." + key);
        }

        List<Node> list(String key) {
            JsonNode v = present() ? node.get(key) : null;
            if (v == null || v.isNull()) {
                return List.of();
            }
            if (!v.isArray()) {
                throw new ConfigException(path + "." + key + ": expected a list");
            }
            List<Node> out = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                out.add(new Node(v.get(i), path + "." + key + "[" + i + "]"));
            }
            return out;
        }

        private JsonNode scalar(String key) {
            JsonNode v = present() ? node.get(key) : null;
            if (v != null && (v.isObject() || v.isArray())) {
                throw new ConfigException(path + "." + key + ": expected a single value");
            }
            return v == null || v.isNull() ? null : v;
        }

        String str(String key, String dflt) {
            JsonNode v = scalar(key);
            return v == null ? dflt : v.asText();
        }

        String reqStr(String key) {
            String v = str(key, null);
            if (v == null || v.isBlank()) {
                throw new ConfigException(path + "." + key + ": required");
            }
            return v;
        }

        int integer(String key, int dflt) {
            JsonNode v = scalar(key);
            if (v == null) {
                return dflt;
            }
            if (!v.canConvertToInt() || !(v.isIntegralNumber() || v.asText().matches("-?\\d+"))) {
                throw new ConfigException(path + "." + key + ": expected a whole number, got '" + v.asText() + "'");
            }
            return v.isIntegralNumber() ? v.intValue() : Integer.parseInt(v.asText());
        }

        boolean bool(String key, boolean dflt) {
            JsonNode v = scalar(key);
            if (v == null) {
                return dflt;
            }
            if (!v.isBoolean()) {
                throw new ConfigException(path + "." + key + ": expected true or false, got '" + v.asText() + "'");
            }
            return v.booleanValue();
        }

        Duration duration(String key, Duration dflt) {
            JsonNode v = scalar(key);
            if (v == null) {
                return dflt;
            }
            try {
                return Durations.parse(v.asText());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(path + "." + key + ": " + e.getMessage());
            }
        }

        Duration requiredDuration(String key) {
            Duration d = duration(key, null);
            if (d == null) {
                throw new ConfigException(path + "." + key + ": required");
            }
            return d;
        }

        List<String> strings(String key) {
            JsonNode v = present() ? node.get(key) : null;
            if (v == null || v.isNull()) {
                return List.of();
            }
            if (!v.isArray()) {
                throw new ConfigException(path + "." + key + ": expected a list, e.g. [fi, sv]");
            }
            List<String> out = new ArrayList<>();
            v.forEach(x -> out.add(x.asText()));
            return out;
        }

        /** Runs a constructor, turning its validation error into one that says where in the file. */
        <T> T check(java.util.function.Supplier<T> make) {
            try {
                return make.get();
            } catch (BrokerException | IllegalArgumentException e) {
                throw new ConfigException(path + ": " + e.getMessage());
            }
        }
    }
}
