package fi.palvelurinki.signaling;

import fi.palvelurinki.signaling.ws.TextEndpoint;
import fi.palvelurinki.signaling.ws.TextFrameHandler;
import org.eclipse.jetty.websocket.core.server.WebSocketCreator;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;
import fi.palvelurinki.broker.Broker;
import fi.palvelurinki.broker.BrokerConfig;
import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.ErrorCode;
import fi.palvelurinki.broker.NotificationSink;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.RingStatus;
import fi.palvelurinki.broker.Standby;
import fi.palvelurinki.broker.TimerService;
import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.ring.RingConfig;
import fi.palvelurinki.broker.routing.LongestIdlePolicy;
import fi.palvelurinki.signaling.auth.Principal;
import fi.palvelurinki.signaling.bench.BenchRelay;
import fi.palvelurinki.signaling.auth.Role;
import fi.palvelurinki.signaling.auth.TokenService;
import fi.palvelurinki.signaling.auth.oidc.OidcConfig;
import fi.palvelurinki.signaling.auth.oidc.OidcSignIn;
import fi.palvelurinki.broker.journal.DomainEvent;
import java.util.concurrent.ConcurrentHashMap;
import fi.palvelurinki.signaling.config.ConfigFile;
import fi.palvelurinki.signaling.http.HttpApi;
import fi.palvelurinki.signaling.http.JoinLinks;
import fi.palvelurinki.signaling.metrics.MicrometerMetrics;
import fi.palvelurinki.media.PeerToPeerMedia;
import fi.palvelurinki.signaling.session.CallMedia;
import fi.palvelurinki.signaling.session.Directory;
import fi.palvelurinki.signaling.session.MessageHandler;
import fi.palvelurinki.signaling.protocol.ServerMessages;
import fi.palvelurinki.signaling.session.SessionRegistry;
import fi.palvelurinki.signaling.tls.HttpsFront;
import fi.palvelurinki.signaling.tls.WebTransport;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import java.util.logging.Logger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The running product: the broker with its journal, the WebSocket protocol at {@code /ws}, the HTTP API,
 * metrics and health. Built from a {@link ConfigFile.Deployment}; time and timers are injected so that
 * tests drive offers, timeouts and grace periods with a manual clock.
 */
public final class PalvelurinkiServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PalvelurinkiServer.class.getName());
    /** Offered by clients (with {@code bearer.<token>} beside it, for browsers, which cannot set headers). */
    public static final String SUBPROTOCOL = "palvelurinki.v1";
    /** Listen backlog: room for a reconnect storm of thousands of clients (docs/performance.md). */
    static final int ACCEPT_QUEUE = 8192;

    /**
     * @param reapplyConfig make rings and experts match the file even where operators changed them
     *                      through the API since (normally the journal's settings are kept)
     * @param extraHandler  handler for everything else (the web pages), or null
     * @param media         the ICE servers (STUN, TURN credentials) handed to clients, and the media recovery
     *                      time; null: none
     */
    public record Options(SignalingConfig signaling, BrokerConfig broker, ConfigFile.Deployment deployment,
            byte[] tokenSecret, InstantSource clock, TimerService timers, boolean reapplyConfig, Handler extraHandler,
            PeerToPeerMedia media, WebTransport transport, java.util.function.LongSupplier heartbeatTicker) {

        public Options {
            transport = transport == null ? WebTransport.plain() : transport;
        }

        /** Heartbeats measured on {@code System.nanoTime()}. */
        public Options(SignalingConfig signaling, BrokerConfig broker, ConfigFile.Deployment deployment,
                byte[] tokenSecret, InstantSource clock, TimerService timers, boolean reapplyConfig, Handler extraHandler,
                PeerToPeerMedia media) {
            this(signaling, broker, deployment, tokenSecret, clock, timers, reapplyConfig, extraHandler, media,
                    WebTransport.plain(), System::nanoTime);
        }
    }

    private final Options options;
    private final Broker broker;
    private final MicrometerMetrics metrics;
    private final Directory directory;
    private final SessionRegistry registry;
    private final CallMedia callMedia;
    private final TokenService tokens;
    private final JoinLinks joinLinks;
    private final Server server;
    private final ServerConnector connector;

    private PalvelurinkiServer(Options o, Standby.Takeover takeover) throws Exception {
        this.options = o;
        this.metrics = new MicrometerMetrics();
        // Nobody can be connected before the registry exists: what the broker says until then is dropped.
        AtomicReference<SessionRegistry> sink = new AtomicReference<>();
        NotificationSink toSessions = n -> {
            SessionRegistry r = sink.get();
            if (r != null) {
                r.deliver(n);
            }
        };
        this.broker = takeover != null ? Broker.takeOver(takeover, o.timers(), toSessions, metrics)
                : Broker.start(o.broker(), o.clock(), o.timers(), new LongestIdlePolicy(), toSessions, metrics);
        try {
            broker.addEventListener(metrics::onEvents);
            applyConfiguration(o.deployment(), o.reapplyConfig());
            Reply.Directory dir = (Reply.Directory) ask(new Command.GetDirectory());
            warnAboutDirectory(dir, o.deployment().operators().keySet());
            this.directory = new Directory(dir, o.deployment().operators(), o.deployment().outcomes(),
                    o.deployment().names());
            broker.addEventListener(directory::onEvents);
            this.registry = new SessionRegistry(broker, o.signaling(), metrics, o.clock(), o.timers(),
                    new ServerMessages.Names() {
                        @Override
                        public String point(String id) {
                            var p = directory.point(id);
                            return p == null ? id : p.name();
                        }

                        @Override
                        public String advisor(String id) {
                            var a = directory.advisor(id);
                            return a == null ? "from home" : a.name();
                        }
                    }, o.heartbeatTicker());
            sink.set(registry);
            Map<Role, IntSupplier> byRole = new EnumMap<>(Role.class);
            for (Role r : Role.values()) {
                byRole.put(r, () -> registry.connections(r));
            }
            metrics.bindConnections(byRole);
            metrics.bindResumeCache(registry.droppedSessions());
            for (RingStatus s : ((Reply.RingStatuses) ask(new Command.GetRingStatus(null))).rings()) {
                metrics.ringStatus(s);
            }
            // One query for all: asking per advisor walked every request once per advisor (issue: restart time).
            List<String> expectedBack = ((Reply.Advisors) ask(new Command.GetAdvisorsWithRequests())).advisorIds();
            List<Reply.CallInProgress> survived = ((Reply.CallsInProgress) ask(new Command.GetCallsInProgress())).calls();
            registry.restoreCalls(survived);
            this.tokens = new TokenService(o.tokenSecret(), o.clock());
            OidcConfig oidc = o.deployment().oidc();
            tokens.onlySignInSessions(oidc != null && !oidc.devTokens());
            if (oidc != null) {
                // Sign-outs and operators' sign-ins outlive a restart: they are in the journal.
                Reply.SignIns signIns = (Reply.SignIns) ask(new Command.GetSignIns());
                tokens.restoreEnded(signIns.endedSessions());
                signIns.operators().forEach(id -> directory.admitOperator(id, id));
            }
            this.callMedia = new CallMedia(o.media(), registry, broker, o.clock(), o.timers());
            broker.addEventListener(callMedia::onEvents);
            MessageHandler handler = new MessageHandler(broker, registry, directory, o.signaling(), metrics, callMedia,
                    o.clock());

            // Jetty hands each connection with data to a pool thread. Our WebSocket work never blocks, so Jetty's
            // default of 200 threads only meant that a flood of 200 sockets made 200 threads runnable at once: on
            // one CPU the relay's ceiling fell to less than half, and the JIT compiler, one thread among them, took
            // a minute to compile the relay's path (docs/performance.md, issue 20, Round 4). The few HTTP handlers
            // that wait for the broker wait milliseconds.
            int maxThreads = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
            QueuedThreadPool threads = new QueuedThreadPool(maxThreads, Math.min(8, maxThreads));
            threads.setName("http");
            this.server = new Server(threads);
            this.connector = HttpsFront.connector(server, o.transport(), o.signaling().host(), o.signaling().port());
            // The JVM's default listen backlog is 50: when thousands of clients reconnect at once (a network
            // blip), the rest of their SYNs were dropped and retried after 1, 3, 7, 15, 31 s — past the resume
            // grace. The kernel caps this at net.core.somaxconn.
            connector.setAcceptQueueSize(ACCEPT_QUEUE);
            server.addConnector(connector);
            Handler web = o.extraHandler();
            if (oidc != null) {
                Set<String> ringIds = ConcurrentHashMap.newKeySet();
                dir.rings().forEach(r -> ringIds.add(r.id()));
                broker.addEventListener(events -> events.forEach(e -> {
                    if (e instanceof DomainEvent.RingConfigured r) {
                        ringIds.add(r.ring().id());
                    }
                }));
                OidcSignIn signIn = new OidcSignIn(oidc, tokens, directory, broker, o.clock(), ringIds::contains);
                web = web == null ? signIn : new Handler.Sequence(signIn, web);
            }
            this.joinLinks = new JoinLinks(tokens, o.signaling().homeJoinLead());
            HttpApi api = new HttpApi(broker, this::authenticate, metrics, directory, o.clock(),
                    Broker.journalSource(o.broker()), web, joinLinks);
            // Jetty's core upgrade and session, with our frame handler (TextFrameHandler says why not Jetty's API
            // layer); each session keeps nothing of the handshake's HTTP exchange.
            WebSocketUpgradeHandler ws = new WebSocketUpgradeHandler(WebSocketServerComponents.ensureWebSocketComponents(server));
            ws.getConfiguration().setMaxTextMessageSize(o.signaling().maxMessageBytes());
            ws.getConfiguration().setMaxBinaryMessageSize(1024);
            // The heartbeat watch (SessionRegistry) drops silent connections after 2.5 intervals; Jetty's
            // own idle timeout is only the backstop for a socket that watch could not reach.
            ws.getConfiguration().setIdleTimeout(o.signaling().heartbeatInterval().multipliedBy(5).plusMinutes(1));
            ws.getConfiguration().setMaxOutgoingFrames(o.signaling().outgoingQueueFrames());
            map(ws, "/ws", (req, resp, callback) -> {
                if (req.hasSubProtocol(SUBPROTOCOL)) {
                    resp.setAcceptedSubProtocol(SUBPROTOCOL);
                }
                withoutCompression(resp);
                Optional<Principal> p = authenticate(req, req.getSubProtocols());
                if (p.isEmpty()) {
                    HttpApi.unauthorized(req, resp, callback);
                    return null;
                }
                return handler.connection(p.get());
            });
            if (o.signaling().benchRelay()) {
                BenchRelay relay = new BenchRelay(o.signaling(), o.clock());
                map(ws, "/bench/relay", (req, resp, callback) -> {
                    if (req.hasSubProtocol(SUBPROTOCOL)) {
                        resp.setAcceptedSubProtocol(SUBPROTOCOL);
                    }
                    withoutCompression(resp);
                    String pair = pairOf(req.getHttpURI().getQuery());
                    if (pair == null || authenticate(req, req.getSubProtocols()).isEmpty()) {
                        HttpApi.unauthorized(req, resp, callback);
                        return null;
                    }
                    return relay.endpoint(pair);
                });
            }
            ws.setHandler(o.signaling().benchRelay() ? new BenchGc(api) : api);
            server.setHandler(HttpsFront.front(ws, o.transport()));
            server.start();
            // The grace counts from now: start-up time is the server's, not the users' to lose.
            List<SessionRegistry.Expected> back = new java.util.ArrayList<>();
            expectedBack.forEach(a -> back.add(new SessionRegistry.Expected(Role.ADVISOR, a)));
            survived.stream().flatMap(c -> java.util.stream.Stream.concat(java.util.stream.Stream.of(c.expertId()),
                    c.joined().stream())).distinct().forEach(e -> back.add(new SessionRegistry.Expected(Role.EXPERT, e)));
            registry.expectBack(back);
            LOG.info(() -> "Palvelurinki listening on " + (o.transport().tls() ? "https " : "") + o.signaling().host() + ":" + port() + ", journal in "
                    + Broker.journalSource(o.broker()).describe() + " (" + broker.replayedEvents() + " events replayed)");
        } catch (BrokerException e) {
            String problem = broker.health().problem();
            broker.close();
            if (e.code() == ErrorCode.UNAVAILABLE && problem != null) {
                // e.g. the journal cannot be written: one line for the operator, not a stack trace
                throw new java.io.IOException(problem + "; the server cannot start without it", e);
            }
            throw e;
        } catch (Exception | Error e) {
            broker.close();
            throw e;
        }
    }

    /**
     * Browsers offer permessage-deflate, and Jetty accepts it by default: every page's connection then holds a
     * zlib deflater and inflater (measured: about 110 KB of the server's memory per session, beside 38 KB
     * without) and every message is compressed. Signalling is small messages on a link that carries video;
     * the 4.5 KB SDPs, one message in ten, are not worth it.
     */
    private static void withoutCompression(org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse resp) {
        resp.setExtensions(List.of());
    }

    /** {@code creator} answers a {@link TextEndpoint}, or null once it has answered the request itself (a 401). */
    private static void map(WebSocketUpgradeHandler ws, String path, WebSocketCreator creator) {
        ws.addMapping(path, WebSocketNegotiator.from(creator, (endpoint, req, resp) -> new TextFrameHandler((TextEndpoint) endpoint)));
    }

    private static String pairOf(String query) {
        if (query == null) {
            return null;
        }
        for (String kv : query.split("&")) {
            if (kv.startsWith("pair=") && kv.length() > 5 && kv.length() <= 69) {
                return kv.substring(5);
            }
        }
        return null;
    }

    /** Benchmark flag only: {@code POST /bench/gc} runs a full GC and answers the heap then in use, in bytes. */
    private static final class BenchGc extends Handler.Wrapper {
        BenchGc(Handler next) {
            super(next);
        }

        @Override
        public boolean handle(Request request, Response response, org.eclipse.jetty.util.Callback callback)
                throws Exception {
            if (!"/bench/gc".equals(Request.getPathInContext(request)) || !"POST".equals(request.getMethod())) {
                return super.handle(request, response, callback);
            }
            System.gc();
            Runtime rt = Runtime.getRuntime();
            long used = rt.totalMemory() - rt.freeMemory();
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            org.eclipse.jetty.io.Content.Sink.write(response, true, used + "\n", callback);
            return true;
        }
    }

    public static PalvelurinkiServer start(Options o) throws Exception {
        return new PalvelurinkiServer(o, null);
    }

    /** Starts the server on the state of a standby that has just taken over the journal. */
    public static PalvelurinkiServer start(Options o, Standby.Takeover takeover) throws Exception {
        return new PalvelurinkiServer(o, takeover);
    }

    public int port() {
        return connector.getLocalPort();
    }

    public Broker broker() {
        return broker;
    }

    public TokenService tokens() {
        return tokens;
    }

    public JoinLinks joinLinks() {
        return joinLinks;
    }

    public SessionRegistry sessions() {
        return registry;
    }

    public CallMedia callMedia() {
        return callMedia;
    }

    public MicrometerMetrics metrics() {
        return metrics;
    }

    public Directory directory() {
        return directory;
    }

    public Options options() {
        return options;
    }

    /** A token for someone in the directory, named as configured (advisor's point, expert's rings). */
    public String tokenFor(Role role, String user, Duration ttl) {
        return switch (role) {
            case ADVISOR -> tokens.issue(user, role, directory.advisor(user).pointId(), List.of(), ttl);
            case EXPERT -> tokens.issue(user, role, null, List.copyOf(directory.expert(user).rings()), ttl);
            case OPERATOR -> tokens.issue(user, role, null, List.of(), ttl);
            case CUSTOMER -> throw new IllegalArgumentException("a customer's token is their booking's join link");
        };
    }

    private Optional<Principal> authenticate(Request request) {
        return authenticate(request, List.of());
    }

    private Optional<Principal> authenticate(Request request, List<String> subprotocols) {
        String token = null;
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = header.substring(7).trim();
        }
        if (token == null) {
            for (String p : subprotocols) {
                if (p.startsWith("bearer.")) {
                    token = p.substring(7);
                }
            }
        }
        return tokens.verify(token).filter(directory::admits);
    }

    // ------------------------------------------------------------------ configuration

    /**
     * The file seeds the broker. Authorities, points and advisors are made to match it. Rings and
     * experts that the broker does not know are created; those it knows keep their journaled settings
     * (operators may have changed them through the API), unless {@code reapply} — a difference is
     * logged so that nobody wonders why an edit of the file did not take.
     */
    private void applyConfiguration(ConfigFile.Deployment d, boolean reapply) throws Exception {
        Reply.Directory current = (Reply.Directory) ask(new Command.GetDirectory());
        Map<String, RingConfig> rings = new LinkedHashMap<>();
        current.rings().forEach(r -> rings.put(r.id(), r));
        Map<String, ExpertProfile> experts = new LinkedHashMap<>();
        current.experts().forEach(e -> experts.put(e.id(), e));
        Map<String, RingConfig> finalRing = new LinkedHashMap<>();
        for (Command c : d.seed()) {
            if (c instanceof Command.ConfigureRing r) {
                finalRing.put(r.ring().id(), r.ring());
            }
        }
        List<CompletableFuture<Reply>> pending = new ArrayList<>();
        for (Command c : d.seed()) {
            if (c instanceof Command.ConfigureRing r) {
                RingConfig known = rings.get(r.ring().id());
                RingConfig wanted = finalRing.get(r.ring().id());
                if (known != null && !known.equals(wanted) && !reapply) {
                    if (r.ring() == wanted) {
                        LOG.warning(() -> "ring " + r.ring().id() + " differs from the configuration file; keeping "
                                + "its journaled settings (start with --reapply-config to take the file's)");
                    }
                    continue;
                }
            } else if (c instanceof Command.DefineExpert x) {
                ExpertProfile known = experts.get(x.expert().id());
                if (known != null && !known.equals(x.expert()) && !reapply) {
                    LOG.warning(() -> "expert " + x.expert().id() + " differs from the configuration file; keeping "
                            + "the journaled profile (start with --reapply-config to take the file's)");
                    continue;
                }
            }
            // Rings must exist before what refers to them: wait for each ring before going on.
            CompletableFuture<Reply> f = broker.submit(c);
            if (c instanceof Command.ConfigureRing || c instanceof Command.DefineAuthority) {
                f.get(30, TimeUnit.SECONDS);
            } else {
                pending.add(f);
            }
        }
        for (CompletableFuture<Reply> f : pending) {
            f.get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * What would start but not work as meant: a ring nobody answers (its requests would only wait), and a
     * user id held in two roles (an expert made through the API before an advisor of that id was configured).
     */
    private static void warnAboutDirectory(Reply.Directory dir, Set<String> operators) {
        Set<String> staffed = new HashSet<>();
        dir.experts().forEach(e -> staffed.addAll(e.rings()));
        for (RingConfig r : dir.rings()) {
            if (!staffed.contains(r.id())) {
                LOG.warning(() -> "ring " + r.id() + " has no experts: its requests can only wait (add experts to it in "
                        + "the configuration's experts or with PUT /api/experts/ID)");
            }
        }
        Set<String> advisors = new HashSet<>();
        dir.advisors().forEach(a -> advisors.add(a.id()));
        for (ExpertProfile e : dir.experts()) {
            if (advisors.contains(e.id()) || operators.contains(e.id())) {
                LOG.warning(() -> "user id " + e.id() + " is both an expert and " + (advisors.contains(e.id())
                        ? "an advisor" : "an operator") + "; ids are meant to be unique across roles: rename one");
            }
        }
    }

    private Reply ask(Command c) throws Exception {
        try {
            return broker.submit(c).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        registry.stop();
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warning(() -> "stopping Jetty: " + e);
        }
        broker.close();
    }
}
