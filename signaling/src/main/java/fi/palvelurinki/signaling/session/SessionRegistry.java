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

    /**
     * A party of a call in progress, as the relay knows them: their party key ({@code advisor:anna},
     * {@code expert:eeva}), since when they are in the call, and what they have sent.
     */
    public static final class Member {
        private final String key;
        /** The key as a JSON string, quotes included: put into every signal the member sends. */
        private final String keyJson;
        private final Role side;
        private final String user;
        private final Instant joinedAt;
        private final boolean founder;
        private final AtomicBoolean reported = new AtomicBoolean();
        /** ICE candidates sent, per party they were sent to: each pair of parties has its own peer connection. */
        private final Map<String, AtomicInteger> candidates = new ConcurrentHashMap<>(4);

        Member(Recipient party, Instant joinedAt, boolean founder) {
            this.founder = founder;
            this.side = party.role() == Recipient.Role.ADVISOR ? Role.ADVISOR : Role.EXPERT;
            this.user = party.id();
            this.key = ServerMessages.partyKey(party);
            this.keyJson = com.fasterxml.jackson.databind.node.TextNode.valueOf(key).toString();
            this.joinedAt = joinedAt;
        }

        public String key() {
            return key;
        }

        String keyJson() {
            return keyJson;
        }

        /** {@link Role#ADVISOR} (an advisor or a customer from home) or {@link Role#EXPERT} (experts, interpreters). */
        public Role side() {
            return side;
        }

        public String user() {
            return user;
        }

        /** The advisor or the expert who answered, not a party who joined later. */
        public boolean founder() {
            return founder;
        }

        /** When the call connected, or when this party joined it. */
        public Instant joinedAt() {
            return joinedAt;
        }

        AtomicBoolean reported() {
            return reported;
        }

        AtomicInteger candidatesTo(Member to) {
            return candidates.computeIfAbsent(to.key, k -> new AtomicInteger());
        }
    }

    /**
     * The parties of a call in progress, two to four, by party key: the advisor and the expert who answered, and
     * those who joined later (interpreters, a second authority's expert) until they leave. Changed only by the
     * broker's notifications (on its thread); read by the relay on any.
     */
    public static final class CallParties {
        private final long callId;
        private final String pointId;
        private final String advisorKey;
        private final String expertKey;
        private final Map<String, Member> members = new ConcurrentHashMap<>(8);

        CallParties(long callId, String advisorId, String expertId, String pointId, Instant connectedAt) {
            this.callId = callId;
            this.pointId = pointId;
            this.advisorKey = ServerMessages.partyKey(Recipient.advisor(advisorId));
            this.expertKey = ServerMessages.partyKey(Recipient.expert(expertId));
            members.put(advisorKey, new Member(Recipient.advisor(advisorId), connectedAt, true));
            members.put(expertKey, new Member(Recipient.expert(expertId), connectedAt, true));
        }

        public long callId() {
            return callId;
        }

        public String pointId() {
            return pointId;
        }

        /** The party with this key, or null. */
        public Member member(String key) {
            return members.get(key);
        }

        /** This user in this role, if a party of the call; null otherwise (operators never are). */
        public Member party(Role role, String user) {
            return role == Role.OPERATOR ? null : members.get(userKey(role, user));
        }

        public java.util.Collection<Member> members() {
            return members.values();
        }

        /** The one party besides {@code me}, or null when there are more (or none). */
        Member onlyOther(Member me) {
            Member other = null;
            for (Member m : members.values()) {
                if (m != me) {
                    if (other != null) {
                        return null;
                    }
                    other = m;
                }
            }
            return other;
        }

        private void join(Recipient party, Instant now) {
            members.computeIfAbsent(ServerMessages.partyKey(party), k -> new Member(party, now, false));
        }

        private void leave(Recipient party) {
            members.remove(ServerMessages.partyKey(party));
        }

        /** Is this the advisor or the expert who answered, whose leaving ends the call for everyone? */
        private boolean founder(Recipient party) {
            String key = ServerMessages.partyKey(party);
            return key.equals(advisorKey) || key.equals(expertKey);
        }
    }

    private final Broker broker;
    private final SignalingConfig config;
    private final SignalingMetrics metrics;
    private final InstantSource clock;
    private final TimerService timers;
    private final ServerMessages.Names names;
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
     * @param names  names the broker's notifications leave out, for the pushes
     * @param ticker     monotonic nanoseconds for the heartbeat watch ({@code System::nanoTime}; a test's own)
     */
    public SessionRegistry(Broker broker, SignalingConfig config, SignalingMetrics metrics, InstantSource clock,
            TimerService timers, ServerMessages.Names names, java.util.function.LongSupplier ticker) {
        this.broker = broker;
        this.ticker = ticker;
        this.names = names;
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
            CallParties call = new CallParties(c.callId(), c.advisorId(), c.expertId(), c.pointId(), clock.instant());
            for (String joined : c.joined()) {
                call.join(Recipient.expert(joined), clock.instant());
            }
            calls.put(c.callId(), call);
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

    /** To every session of a party of a call, the message built with its sequence number in it (a relayed signal). */
    void sendTo(Member party, java.util.function.LongFunction<byte[]> numbered) {
        Set<ClientSession> sessions = byUser.get(party.key());
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
            calls.put(c.callId(), new CallParties(c.callId(), c.advisorId(), c.expertId(), c.pointId(), clock.instant()));
        } else if (n instanceof Notification.PartyJoined j) {
            CallParties call = calls.get(j.callId());
            if (call != null) {
                call.join(j.member().party(), clock.instant());
            }
        } else if (n instanceof Notification.CallJoined j) {
            CallParties call = calls.get(j.callId());
            if (call != null) {
                for (Notification.CallMember m : j.members()) {
                    call.join(m.party(), clock.instant());
                }
                call.join(j.recipient(), clock.instant());
            }
        } else if (n instanceof Notification.PartyLeft l) {
            CallParties call = calls.get(l.callId());
            if (call != null) {
                call.leave(l.party());
            }
        }
        if (n instanceof Notification.RingStatusChanged r) {
            metrics.ringStatus(r.status());
        }
        String body = ServerMessages.write(ServerMessages.notification(n, clock.instant(), names));
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
        if (n instanceof Notification.CallEnded c) {
            // The call ends for everyone when its advisor or the expert who answered goes; a party who joined
            // later leaves alone (the others are told with party_left).
            CallParties call = calls.get(c.callId());
            if (call != null) {
                if (call.founder(c.recipient())) {
                    calls.remove(c.callId());
                } else {
                    call.leave(c.recipient());
                }
            }
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
