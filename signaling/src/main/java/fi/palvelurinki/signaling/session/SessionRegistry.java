package fi.palvelurinki.signaling.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import fi.palvelurinki.broker.Broker;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.Notification;
import fi.palvelurinki.broker.NotificationSink;
import fi.palvelurinki.broker.Recipient;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.TimerService;
import fi.palvelurinki.signaling.SignalingConfig;
import fi.palvelurinki.signaling.auth.Principal;
import fi.palvelurinki.signaling.auth.Role;
import fi.palvelurinki.signaling.metrics.SignalingMetrics;
import fi.palvelurinki.signaling.protocol.ServerMessages;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * Every client session, live or dropped-but-resumable, and the calls whose parties may signal each
 * other. It is the broker's {@link NotificationSink}: a notification goes to every session of its
 * recipient, live ones at once, dropped ones into their resume buffer.
 *
 * <p>A dropped session waits for its grace period in a Caffeine cache whose ticker and scheduler are
 * the server's injected clock and timers. When it expires and the user has no other session, the
 * broker is told the party is gone (requests abandoned, calls ended, expert OFFLINE).
 */
public final class SessionRegistry implements NotificationSink {
    private static final Logger LOG = Logger.getLogger(SessionRegistry.class.getName());

    /** The two parties of a connected call, and how many ICE candidates each has sent. */
    public record CallParties(long callId, String advisorId, String expertId, String pointId, Instant connectedAt,
            AtomicInteger advisorCandidates, AtomicInteger expertCandidates, AtomicBoolean advisorReported,
            AtomicBoolean expertReported) {

        /** Is this user, in this role, one of the call's two parties? */
        public boolean party(Role role, String user) {
            return switch (role.side()) {
                case ADVISOR, CUSTOMER -> advisorId.equals(user);
                case EXPERT -> expertId.equals(user);
                case OPERATOR -> false;
            };
        }
    }

    private final Broker broker;
    private final SignalingConfig config;
    private final SignalingMetrics metrics;
    private final InstantSource clock;
    private final TimerService timers;
    private final java.util.function.UnaryOperator<String> pointNames;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, ClientSession> byToken = new ConcurrentHashMap<>();
    private final Map<String, Set<ClientSession>> byUser = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();
    private final Map<Role, AtomicInteger> connectionsByRole = new ConcurrentHashMap<>();
    private final Map<Long, CallParties> calls = new ConcurrentHashMap<>();
    private final Cache<String, ClientSession> dropped;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final java.util.function.LongSupplier ticker;
    private volatile boolean stopped;

    /**
     * @param pointNames a service point's name by id, for pushes about bookings
     * @param ticker     monotonic nanoseconds for the heartbeat watch ({@code System::nanoTime}; a test's own)
     */
    public SessionRegistry(Broker broker, SignalingConfig config, SignalingMetrics metrics, InstantSource clock,
            TimerService timers, java.util.function.UnaryOperator<String> pointNames,
            java.util.function.LongSupplier ticker) {
        this.broker = broker;
        this.ticker = ticker;
        this.pointNames = pointNames;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.timers = timers;
        for (Role r : Role.values()) {
            connectionsByRole.put(r, new AtomicInteger());
        }
        this.dropped = Caffeine.newBuilder()
                .expireAfterWrite(config.resumeGrace())
                .ticker(ticker(clock))
                .scheduler(scheduler(clock, timers))
                .executor(Runnable::run)
                .recordStats()
                .removalListener((String token, ClientSession s, RemovalCause cause) -> {
                    if (cause == RemovalCause.EXPIRED && s != null) {
                        expired(s);
                    }
                })
                .build();
        scheduleHeartbeatWatch();
    }

    static String userKey(Role role, String user) {
        // A customer's sessions are found where the broker sends to its side of the call (Booking.customerId).
        return role.side().wireName() + ":" + user;
    }

    /** The grace-period cache, for its statistics. */
    public Cache<String, ClientSession> droppedSessions() {
        return dropped;
    }

    public int connections(Role role) {
        return connectionsByRole.get(role).get();
    }

    /** Runs the grace-period bookkeeping now (it also runs by itself on the injected timers). */
    public void cleanUp() {
        dropped.cleanUp();
    }

    // ------------------------------------------------------------------ heartbeats

    long ticks() {
        return ticker.getAsLong();
    }

    /**
     * Every half heartbeat interval (on the injected timers), connections silent for 2.5 intervals are
     * disconnected, and their sessions wait for a resume. Silence is measured on a monotonic ticker, not the
     * wall clock: a clock step (NTP, a test moving its clock by hours) must not drop everybody at once.
     */
    private void scheduleHeartbeatWatch() {
        timers.schedule(clock.instant().plus(config.heartbeatInterval().dividedBy(2)), () -> {
            if (stopped) {
                return;
            }
            disconnectSilent();
            scheduleHeartbeatWatch();
        });
    }

    /** Disconnects the connections not heard from for 2.5 heartbeat intervals; returns how many. */
    public int disconnectSilent() {
        long limit = config.heartbeatInterval().toNanos() * 5 / 2;
        long now = ticks();
        int n = 0;
        for (Connection c : open) {
            if (now - c.lastHeard() > limit) {
                c.disconnectSilent();
                n++;
            }
        }
        return n;
    }

    /** Stops the heartbeat watch (the server is closing). */
    public void stop() {
        stopped = true;
    }

    // ------------------------------------------------------------------ connections and sessions

    /** @return false if the user already has the maximum number of connections */
    boolean opened(Connection c) {
        AtomicInteger n = connections.computeIfAbsent(userKey(c.principal().role(), c.principal().user()),
                k -> new AtomicInteger());
        if (n.incrementAndGet() > config.connectionsPerUser()) {
            n.decrementAndGet();
            return false;
        }
        c.counted = true;
        open.add(c);
        connectionsByRole.get(c.principal().role()).incrementAndGet();
        metrics.connectionOpened(c.principal().role());
        return true;
    }

    void closed(Connection c) {
        if (!c.counted) {
            return;
        }
        c.counted = false;
        open.remove(c);
        ClientSession s = c.session();
        AtomicInteger n = connections.get(userKey(c.principal().role(), c.principal().user()));
        if (n != null) {
            n.decrementAndGet();
        }
        connectionsByRole.get(c.principal().role()).decrementAndGet();
        metrics.connectionClosed(c.principal().role());
        if (s != null && s.detach(c)) {
            dropped.put(s.resumeToken(), s);
        }
    }

    ClientSession newSession(Connection c) {
        byte[] b = new byte[18];
        random.nextBytes(b);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        ClientSession s = new ClientSession(token, c.principal(), config.resumeBufferMessages());
        s.attach(c);
        byToken.put(token, s);
        byUser.computeIfAbsent(s.userKey(), k -> ConcurrentHashMap.newKeySet()).add(s);
        return s;
    }

    /** The session to resume, attached to {@code c} with what it missed sent; null if it cannot be resumed. */
    ClientSession resume(Connection c, String token, long lastSeq) {
        ClientSession s = byToken.get(token);
        if (s == null || !s.principal().user().equals(c.principal().user())
                || s.principal().role() != c.principal().role()) {
            return null;
        }
        if (!s.resume(c, lastSeq)) {
            return null;
        }
        dropped.invalidate(token);
        return s;
    }

    /**
     * {@code s} replaces the user's other sessions: they are forgotten without the user counting as gone
     * (their requests stay), and their connections are closed with 4409.
     */
    void takeOver(ClientSession s) {
        Set<ClientSession> mine = byUser.get(s.userKey());
        if (mine == null) {
            return;
        }
        for (ClientSession old : List.copyOf(mine)) {
            if (old == s) {
                continue;
            }
            mine.remove(old);
            byToken.remove(old.resumeToken());
            dropped.invalidate(old.resumeToken());
            old.takenOver();
        }
    }

    private void expired(ClientSession s) {
        byToken.remove(s.resumeToken());
        Set<ClientSession> mine = byUser.get(s.userKey());
        if (mine != null) {
            mine.remove(s);
            if (!mine.isEmpty()) {
                return;
            }
            byUser.remove(s.userKey(), mine);
        }
        gone(s.principal().role(), s.principal().user());
    }

    private void gone(Role role, String user) {
        LOG.info(() -> role.wireName() + " " + user + " did not come back within the grace period");
        switch (role) {
            case ADVISOR, CUSTOMER -> broker.submit(new Command.AdvisorGone(user));
            case EXPERT -> broker.submit(new Command.ExpertGone(user));
            case OPERATOR -> { }
        }
    }

    /** A user expected back after a restart. */
    public record Expected(Role role, String user) {}

    /**
     * After a restart, the users whose requests or calls survived it get the usual grace period to come
     * back, counted from when the server listens. The grace is the users', not the server's: a restarted
     * server welcoming thousands at once on a busy machine can take longer than the grace to reach them
     * all. So the grace ends only once a whole grace period has passed in which none of the expected users
     * came back; then those still missing are gone (a call ends as their disconnection). A user whose
     * connection is open but not yet welcomed is not missing: they are looked at again a period later.
     */
    public void expectBack(Collection<Expected> users) {
        expectBack(List.copyOf(users), users.size());
    }

    private void expectBack(List<Expected> users, int missingBefore) {
        if (users.isEmpty()) {
            return;
        }
        timers.schedule(clock.instant().plus(config.resumeGrace()), () -> {
            List<Expected> missing = new ArrayList<>();
            List<Expected> connecting = new ArrayList<>();
            for (Expected u : users) {
                String key = userKey(u.role(), u.user());
                if (byUser.containsKey(key)) {
                    continue;
                }
                AtomicInteger open = connections.get(key);
                (open != null && open.get() > 0 ? connecting : missing).add(u);
            }
            int stillMissing = missing.size() + connecting.size();
            if (stillMissing < missingBefore) {
                List<Expected> all = new ArrayList<>(missing);
                all.addAll(connecting);
                expectBack(all, stillMissing);
                return;
            }
            missing.forEach(u -> gone(u.role(), u.user()));
            expectBack(connecting, connecting.size());
        });
    }

    /**
     * Calls that survived a restart: their parties may relay signals and hang up again as soon as they are
     * back. {@code connectedAt} is now, not the call's start, since the time-to-video bound counts from it.
     */
    public void restoreCalls(Collection<Reply.CallInProgress> inProgress) {
        for (Reply.CallInProgress c : inProgress) {
            calls.put(c.callId(), new CallParties(c.callId(), c.advisorId(), c.expertId(), c.pointId(), clock.instant(),
                    new AtomicInteger(), new AtomicInteger(), new AtomicBoolean(), new AtomicBoolean()));
        }
    }

    // ------------------------------------------------------------------ calls

    public CallParties call(long callId) {
        return calls.get(callId);
    }

    /** Sends a message body to every session of a user. */
    void sendTo(Role role, String user, String body) {
        Set<ClientSession> sessions = byUser.get(userKey(role, user));
        if (sessions != null) {
            for (ClientSession s : sessions) {
                s.send(body);
            }
        }
    }

    /** As above, the message built with its sequence number in it (a relayed signal: one copy of its payload). */
    void sendTo(Role role, String user, java.util.function.LongFunction<String> numbered) {
        Set<ClientSession> sessions = byUser.get(userKey(role, user));
        if (sessions != null) {
            for (ClientSession s : sessions) {
                s.sendNumbered(numbered);
            }
        }
    }

    // ------------------------------------------------------------------ notifications (broker thread)

    @Override
    public void deliver(Notification n) {
        if (n instanceof Notification.CallConnected c && c.recipient().role() == Recipient.Role.ADVISOR) {
            calls.put(c.callId(), new CallParties(c.callId(), c.advisorId(), c.expertId(), c.pointId(), clock.instant(),
                    new AtomicInteger(), new AtomicInteger(), new AtomicBoolean(), new AtomicBoolean()));
        }
        if (n instanceof Notification.RingStatusChanged r) {
            metrics.ringStatus(r.status());
        }
        String body = ServerMessages.write(ServerMessages.notification(n, clock.instant(), pointNames));
        Recipient to = n.recipient();
        switch (to.role()) {
            case ADVISOR -> sendTo(Role.ADVISOR, to.id(), body);
            case EXPERT -> sendTo(Role.EXPERT, to.id(), body);
            case OPERATORS -> {
                for (ClientSession s : byToken.values()) {
                    if (s.watchingRings()) {
                        s.send(body);
                    }
                }
            }
        }
        if (n instanceof Notification.CallEnded c && c.recipient().role() == Recipient.Role.EXPERT) {
            calls.remove(c.callId());
        }
    }

    // ------------------------------------------------------------------ Caffeine on the injected clock

    private static Ticker ticker(InstantSource clock) {
        return () -> {
            Instant t = clock.instant();
            return t.getEpochSecond() * 1_000_000_000L + t.getNano();
        };
    }

    private static Scheduler scheduler(InstantSource clock, TimerService timers) {
        return (executor, command, delay, unit) -> {
            TimerService.Cancellable c = timers.schedule(clock.instant().plusNanos(unit.toNanos(delay)),
                    () -> executor.execute(command));
            return new CancellableFuture(c);
        };
    }

    private static final class CancellableFuture implements Future<Object> {
        private final TimerService.Cancellable c;
        private volatile boolean cancelled;

        CancellableFuture(TimerService.Cancellable c) {
            this.c = c;
        }

        @Override
        public boolean cancel(boolean mayInterrupt) {
            cancelled = true;
            c.cancel();
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return cancelled;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }

    /** Sessions of one user, live or waiting to resume (for tests and the operator API). */
    public List<String> sessionsOf(Role role, String user) {
        Set<ClientSession> s = byUser.get(userKey(role, user));
        return s == null ? List.of() : s.stream().map(ClientSession::resumeToken).toList();
    }
}
