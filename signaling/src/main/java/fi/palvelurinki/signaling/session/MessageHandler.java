package fi.palvelurinki.signaling.session;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.palvelurinki.broker.Broker;
import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.CallKind;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.Party;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.RingStatus;
import fi.palvelurinki.broker.RingSummary;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.signaling.SignalingConfig;
import fi.palvelurinki.signaling.auth.Principal;
import fi.palvelurinki.signaling.auth.Role;
import fi.palvelurinki.signaling.metrics.SignalingMetrics;
import fi.palvelurinki.signaling.protocol.ClientMessage;
import fi.palvelurinki.signaling.protocol.ProtocolException;
import fi.palvelurinki.signaling.protocol.ServerMessages;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Turns client messages into broker commands and broker replies into protocol replies. Roles are
 * enforced here, per message type; the broker enforces the rest (only the expert an offer rings at
 * may answer it, only a call's parties may hang it up…).
 */
public final class MessageHandler {
    private static final Map<Role, Set<ClientMessage.Kind>> ALLOWED = Map.of(
            Role.ADVISOR, EnumSet.of(ClientMessage.Kind.HELLO, ClientMessage.Kind.PING, ClientMessage.Kind.LIST_RINGS,
                    ClientMessage.Kind.REQUEST_CALL, ClientMessage.Kind.CANCEL_REQUEST, ClientMessage.Kind.HANGUP,
                    ClientMessage.Kind.SIGNAL, ClientMessage.Kind.MEDIA_REPORT, ClientMessage.Kind.START_BOOKING,
                    ClientMessage.Kind.ICE_SERVERS, ClientMessage.Kind.MEDIA_STATE, ClientMessage.Kind.CALL_QUALITY,
                    ClientMessage.Kind.LIST_REQUESTS, ClientMessage.Kind.REQUEST_CALLBACK,
                    ClientMessage.Kind.ANSWER_CALLBACK, ClientMessage.Kind.ADD_PARTY, ClientMessage.Kind.CANCEL_PARTY),
            Role.EXPERT, EnumSet.of(ClientMessage.Kind.HELLO, ClientMessage.Kind.PING, ClientMessage.Kind.LIST_RINGS,
                    ClientMessage.Kind.SET_PRESENCE, ClientMessage.Kind.ACCEPT_OFFER, ClientMessage.Kind.DECLINE_OFFER,
                    ClientMessage.Kind.END_WRAP_UP, ClientMessage.Kind.HANGUP, ClientMessage.Kind.SIGNAL,
                    ClientMessage.Kind.MEDIA_REPORT, ClientMessage.Kind.ICE_SERVERS, ClientMessage.Kind.MEDIA_STATE,
                    ClientMessage.Kind.CALL_QUALITY, ClientMessage.Kind.RECORD_OUTCOME, ClientMessage.Kind.ADD_PARTY,
                    ClientMessage.Kind.CANCEL_PARTY),
            Role.OPERATOR, EnumSet.of(ClientMessage.Kind.HELLO, ClientMessage.Kind.PING, ClientMessage.Kind.LIST_RINGS,
                    ClientMessage.Kind.WATCH_RINGS),
            // Nothing but their own booking's call: no rings, no other requests, no bookings.
            Role.CUSTOMER, EnumSet.of(ClientMessage.Kind.HELLO, ClientMessage.Kind.PING, ClientMessage.Kind.JOIN,
                    ClientMessage.Kind.DEVICE_CHECK, ClientMessage.Kind.HANGUP, ClientMessage.Kind.SIGNAL,
                    ClientMessage.Kind.MEDIA_REPORT, ClientMessage.Kind.ICE_SERVERS, ClientMessage.Kind.MEDIA_STATE,
                    ClientMessage.Kind.CALL_QUALITY));

    /** A time to video over an hour measures something else (docs/protocol.md). */
    static final long MAX_TIME_TO_VIDEO_MS = 3_600_000;
    /** From the expert's Accept click to the call connected: a round trip and an fsync, generously. */
    static final long ACCEPT_ALLOWANCE_MS = 60_000;

    private final Broker broker;
    private final SessionRegistry registry;
    private final Directory directory;
    private final SignalingConfig config;
    private final SignalingMetrics metrics;
    private final CallMedia media;
    private final java.time.InstantSource clock;

    public MessageHandler(Broker broker, SessionRegistry registry, Directory directory, SignalingConfig config,
            SignalingMetrics metrics, CallMedia media, java.time.InstantSource clock) {
        this.broker = broker;
        this.registry = registry;
        this.directory = directory;
        this.config = config;
        this.metrics = metrics;
        this.media = media;
        this.clock = clock;
    }

    /** The WebSocket endpoint for a user whose token checked out. */
    public Connection connection(Principal p) {
        return new Connection(p, registry, this, config, metrics, clock);
    }

    void handle(Connection c, ClientMessage m, long arrivedNanos) {
        Role role = c.principal().role();
        if (!ALLOWED.get(role).contains(m.kind())) {
            throw new ProtocolException(ProtocolException.FORBIDDEN, "an " + role.wireName() + " cannot send "
                    + m.kind().wire(), m.id());
        }
        String user = c.principal().user();
        switch (m.kind()) {
            case HELLO -> hello(c, (ClientMessage.Hello) m);
            case PING -> ping(c, (ClientMessage.Ping) m);
            case LIST_RINGS -> ask(c, m.id(), new Command.ListRings(), r -> {
                ObjectNode o = ServerMessages.reply("rings", m.id());
                ArrayNode rings = o.putArray("rings");
                for (RingSummary s : ((Reply.RingList) r).rings()) {
                    ObjectNode ring = ServerMessages.ringSummary(s);
                    ring.set("outcomes", ServerMessages.strings(directory.outcomes(s.ringId())));
                    ObjectNode names = ring.putObject("names");
                    directory.ringNames(s.ringId()).forEach(names::put);
                    ObjectNode topicNames = ring.putObject("topicNames");
                    for (String topic : s.topics()) {
                        Map<String, String> byLanguage = directory.topicNames(topic);
                        if (!byLanguage.isEmpty()) {
                            ObjectNode t = topicNames.putObject(topic);
                            byLanguage.forEach(t::put);
                        }
                    }
                    rings.add(ring);
                }
                return o;
            });
            case REQUEST_CALL -> {
                ClientMessage.RequestCall rc = (ClientMessage.RequestCall) m;
                Language language = language(rc.language(), m.id());
                ask(c, m.id(), new Command.RequestCall(user, rc.ring(), rc.topic(), language, rc.fallbackConsent(),
                        rc.note(), CallKind.INSTANT, 0, interpreting(rc.interpreter(), m.id())),
                        r -> queued(m.id(), (Reply.Queued) r));
            }
            case ADD_PARTY -> {
                ClientMessage.AddParty ap = (ClientMessage.AddParty) m;
                ask(c, m.id(), new Command.AddParty(ap.callId(), party(role), user, interpreting(ap.interpreter(), m.id()),
                        ap.ring(), ap.topic(), ap.note()), r -> {
                            Reply.PartyRequested pr = (Reply.PartyRequested) r;
                            ObjectNode o = ServerMessages.reply("party_requested", m.id());
                            o.put("callId", pr.callId());
                            o.put("kind", pr.kind());
                            o.put("id", pr.id());
                            o.put("position", pr.position());
                            return o;
                        });
            }
            case CANCEL_PARTY -> {
                ClientMessage.CancelParty cp = (ClientMessage.CancelParty) m;
                ok(c, m.id(), new Command.CancelParty(cp.callId(), party(role), user, cp.requestId()));
            }
            case LIST_REQUESTS -> {
                ClientMessage.ListRequests lr = (ClientMessage.ListRequests) m;
                ask(c, m.id(), new Command.GetAdvisorRequests(user, lr.after(), lr.limit()), r -> {
                    Reply.Requests rs = (Reply.Requests) r;
                    ObjectNode o = ServerMessages.reply("requests", m.id());
                    requests(o.putArray("requests"), rs);
                    o.put("total", rs.total());
                    putNext(o, "next", rs);
                    return o;
                });
            }
            case START_BOOKING -> ask(c, m.id(), new Command.StartBooking(user, ((ClientMessage.StartBooking) m).bookingId()),
                    r -> queued(m.id(), (Reply.Queued) r));
            case REQUEST_CALLBACK -> ask(c, m.id(), new Command.RequestCallback(user,
                    ((ClientMessage.RequestCallback) m).requestId()), r -> queued(m.id(), (Reply.Queued) r));
            case ANSWER_CALLBACK -> ok(c, m.id(), new Command.AnswerCallback(user, ((ClientMessage.AnswerCallback) m).requestId()));
            case CANCEL_REQUEST -> ok(c, m.id(), new Command.CancelRequest(user, ((ClientMessage.CancelRequest) m).requestId()));
            case SET_PRESENCE -> ok(c, m.id(), new Command.SetPresence(user,
                    presence(((ClientMessage.SetPresence) m).presence(), m.id())));
            case ACCEPT_OFFER -> ask(c, m.id(), new Command.AcceptOffer(user, ((ClientMessage.AcceptOffer) m).requestId()),
                    r -> r instanceof Reply.CallingPoint p ? ServerMessages.callingPoint(m.id(), p)
                            : ServerMessages.reply("ok", m.id()));
            case DECLINE_OFFER -> ok(c, m.id(), new Command.DeclineOffer(user, ((ClientMessage.DeclineOffer) m).requestId()));
            case END_WRAP_UP -> ok(c, m.id(), new Command.EndWrapUp(user));
            case HANGUP -> ok(c, m.id(), new Command.Hangup(party(role), user, ((ClientMessage.Hangup) m).callId()));
            case SIGNAL -> relay(c, (ClientMessage.Signal) m, arrivedNanos);
            case WATCH_RINGS -> {
                c.session().watchRings();
                ask(c, m.id(), new Command.GetRingStatus(null), r -> {
                    ObjectNode o = ServerMessages.reply("ring_statuses", m.id());
                    ArrayNode rings = o.putArray("rings");
                    for (RingStatus s : ((Reply.RingStatuses) r).rings()) {
                        rings.add(ServerMessages.ringStatus(s));
                    }
                    return o;
                });
            }
            case MEDIA_REPORT -> mediaReport(c, (ClientMessage.MediaReport) m);
            case JOIN -> ask(c, m.id(), new Command.CustomerJoin(c.principal().bookingId(), c.principal().linkVersion()),
                    r -> queued(m.id(), (Reply.Queued) r));
            case DEVICE_CHECK -> ok(c, m.id(), new Command.ReportDeviceCheck(c.principal().bookingId(),
                    c.principal().linkVersion(), ((ClientMessage.DeviceCheck) m).problem()));
            case ICE_SERVERS -> c.session().send(ServerMessages.write(media.iceServersReply(m.id(), user)));
            case MEDIA_STATE -> {
                media.mediaState(c.principal(), (ClientMessage.MediaState) m);
                c.session().send(ServerMessages.write(ServerMessages.reply("ok", m.id())));
            }
            case CALL_QUALITY -> ok(c, m.id(), media.quality(c.principal(), (ClientMessage.CallQualityReport) m));
            case RECORD_OUTCOME -> {
                ClientMessage.RecordOutcome ro = (ClientMessage.RecordOutcome) m;
                // The ring's list is checked here, the call (ended, this expert's, once) by the broker.
                boolean listed = directory.experts().containsKey(user) && directory.expert(user).rings().stream()
                        .anyMatch(ring -> directory.outcomes(ring).contains(ro.outcome()));
                if (!listed) {
                    throw new ProtocolException(ProtocolException.INVALID_FIELD, "record_outcome: '" + ro.outcome()
                            + "' is not an outcome of your rings", m.id());
                }
                ok(c, m.id(), new Command.RecordCallOutcome(user, ro.callId(), ro.outcome()));
            }
        }
    }

    private static ObjectNode queued(String re, Reply.Queued q) {
        ObjectNode o = ServerMessages.reply("queued", re);
        o.put("requestId", q.requestId());
        o.put("ring", q.ringId());
        o.put("position", q.position());
        if (q.estimatedWait() == null) {
            o.putNull("estimatedWaitSeconds");
        } else {
            o.put("estimatedWaitSeconds", q.estimatedWait().toSeconds());
        }
        o.put("queuedAt", q.queuedAt().toString());
        return o;
    }

    private static void ping(Connection c, ClientMessage.Ping p) {
        if (!c.session().acknowledge(p.lastSeq())) {
            throw new ProtocolException(ProtocolException.INVALID_FIELD, "\"lastSeq\" " + p.lastSeq()
                    + " was never sent on this session", p.id());
        }
        c.session().send(ServerMessages.write(ServerMessages.reply("pong", p.id())));
    }

    private void hello(Connection c, ClientMessage.Hello h) {
        if (c.session() != null) {
            throw new ProtocolException(ProtocolException.ALREADY_HELLO, "this connection already said hello", h.id());
        }
        ClientSession s = null;
        String resumeError = null;
        if (h.resumeToken() != null) {
            s = registry.resume(c, h.resumeToken(), h.lastSeq());
            if (s == null) {
                resumeError = "the session has expired or the messages after seq " + h.lastSeq()
                        + " are no longer kept; state follows";
            }
        }
        boolean resumed = s != null;
        if (s == null) {
            s = registry.newSession(c);
        }
        c.session(s);
        ClientSession session = s;
        String error = resumeError;
        Principal p = c.principal();
        CompletableFuture<Reply> state = switch (p.role()) {
            case ADVISOR -> broker.submit(new Command.GetAdvisorRequests(p.user()));
            case EXPERT -> broker.submit(new Command.GetExpert(p.user()));
            case OPERATOR -> CompletableFuture.completedFuture(null);
            case CUSTOMER -> broker.submit(new Command.GetBooking(p.bookingId()));
        };
        if (p.role() == Role.CUSTOMER && !resumed) {
            // The link opened on another device takes over, as a resume would: one customer, one party.
            registry.takeOver(session);
        }
        // A party in a call also learns who else is in it, to reopen a connection to each after a reload.
        CompletableFuture<Reply[]> withCall = state.handle((r, e) -> r).thenCompose(r -> {
            Long call = callOf(r);
            if (call == null) {
                return CompletableFuture.completedFuture(new Reply[] {r, null});
            }
            return broker.submit(new Command.GetCallMembers(call)).handle((m, e) -> new Reply[] {r, m});
        });
        withCall.whenComplete((pair, e) -> {
            Reply r = pair == null ? null : pair[0];
            Reply.CallMembers members = pair != null && pair[1] instanceof Reply.CallMembers m ? m : null;
            ObjectNode o = ServerMessages.reply("welcome", h.id());
            o.put("user", p.user());
            o.put("role", p.role().wireName());
            o.put("name", directory.displayName(p));
            if (p.point() != null) {
                o.put("point", p.point());
                var point = directory.point(p.point());
                o.put("pointName", point == null ? p.point() : point.name());
            }
            if (p.role() == Role.EXPERT) {
                ArrayNode rings = o.putArray("rings");
                var x = directory.expert(p.user());
                (x == null ? Set.<String>of() : x.rings()).stream().sorted().forEach(rings::add);
            }
            o.put("resumeToken", session.resumeToken());
            o.put("resumed", resumed);
            if (error != null) {
                o.put("resumeError", error);
            }
            o.put("heartbeatSeconds", config.heartbeatInterval().toSeconds());
            o.put("resumeGraceSeconds", config.resumeGrace().toSeconds());
            ObjectNode limits = o.putObject("limits");
            limits.put("maxMessageBytes", config.maxMessageBytes());
            limits.put("maxSdpBytes", config.maxSdpBytes());
            limits.put("maxCandidatesPerCall", config.maxCandidatesPerCall());
            limits.put("messagesPerSecond", config.messagesPerSecond());
            limits.put("messageBurst", config.messageBurst());
            media.describe(o, p.user());
            ObjectNode st = o.putObject("state");
            if (r instanceof Reply.Requests rs) {
                // The first page only: an advisor with thousands of requests gets the rest with list_requests.
                ArrayNode list = st.putArray("requests");
                requests(list, rs);
                if (members != null) {
                    fi.palvelurinki.broker.Recipient self = fi.palvelurinki.broker.Recipient.advisor(p.user());
                    for (com.fasterxml.jackson.databind.JsonNode q : list) {
                        if (q.path("callId").asLong() == members.callId()) {
                            ((ObjectNode) q).put("party", ServerMessages.partyKey(self));
                            ((ObjectNode) q).set("members", ServerMessages.membersBut(members.members(), self));
                        }
                    }
                }
                st.put("requestsTotal", rs.total());
                putNext(st, "requestsNext", rs);
            } else if (r instanceof Reply.BookingView bv) {
                st.set("booking", ServerMessages.customerBooking(bv.booking()));
            } else if (r instanceof Reply.ExpertStatus x) {
                st.put("presence", ServerMessages.lower(x.presence()));
                if (x.offeredRequestId() != null) {
                    st.put("offeredRequestId", x.offeredRequestId());
                }
                if (x.callId() != null) {
                    st.put("callId", x.callId());
                    if (members != null) {
                        fi.palvelurinki.broker.Recipient self = fi.palvelurinki.broker.Recipient.expert(p.user());
                        st.put("party", ServerMessages.partyKey(self));
                        st.set("members", ServerMessages.membersBut(members.members(), self));
                    }
                }
                if (x.wrapUpUntil() != null) {
                    st.put("wrapUpUntil", x.wrapUpUntil().toString());
                }
            }
            long seq = session.send(ServerMessages.write(o));
            if (!resumed) {
                // Only a client that read this welcome has the token to resume with, and it read all before
                // it: none of it is ever sent again (a resumed session's welcome is, if the client drops
                // before reading it and resumes again with the seq it had).
                session.acknowledge(seq);
            }
        });
    }

    /** The call the welcome's state names (an advisor's first connected request, an expert's call), or null. */
    private static Long callOf(Reply r) {
        if (r instanceof Reply.ExpertStatus x) {
            return x.callId();
        }
        if (r instanceof Reply.Requests rs) {
            for (Reply.RequestStatus q : rs.requests()) {
                if (q.callId() != null) {
                    return q.callId();
                }
            }
        }
        return null;
    }

    private static void requests(ArrayNode list, Reply.Requests rs) {
        for (Reply.RequestStatus q : rs.requests()) {
            ObjectNode x = list.addObject();
            x.put("requestId", q.requestId());
            x.put("ring", q.ringId());
            x.put("state", q.state().toLowerCase(java.util.Locale.ROOT));
            if (q.position() != null) {
                x.put("position", q.position());
            }
            if (q.estimatedWait() != null) {
                x.put("estimatedWaitSeconds", q.estimatedWait().toSeconds());
            }
            if (q.callId() != null) {
                x.put("callId", q.callId());
            }
            if (q.callback() != null) {
                x.set("callback", ServerMessages.callback(q.callback()));
            }
        }
    }

    private static void putNext(ObjectNode o, String field, Reply.Requests rs) {
        if (rs.next() == null) {
            o.putNull(field);
        } else {
            o.put(field, rs.next());
        }
    }

    static Party party(Role role) {
        return role.side() == Role.ADVISOR ? Party.ADVISOR : Party.EXPERT;
    }

    /** The sender as a party of a call in progress, or {@code not_in_call} (never one, or left it). */
    private SessionRegistry.Member partyOf(Connection c, long callId, String re) {
        SessionRegistry.CallParties call = registry.call(callId);
        SessionRegistry.Member me = call == null ? null : call.party(c.principal().role(), c.principal().user());
        if (me == null) {
            throw new ProtocolException(ProtocolException.NOT_IN_CALL, "you are not a party of a call " + callId
                    + " in progress", re);
        }
        return me;
    }

    /**
     * Counted in {@code palvelurinki_time_to_video_seconds} only when it could be true: from a party of the
     * call, once per party, and no longer than the party can have waited. The expert's figure starts at
     * Accept, so it cannot exceed the time since the call connected (or they joined it) by more than the accept's
     * round trip; the advisor's includes the wait in the queue, so only the overall bound applies.
     */
    private void mediaReport(Connection c, ClientMessage.MediaReport r) {
        SessionRegistry.Member me = partyOf(c, r.callId(), r.id());
        Role role = c.principal().role();
        long connectedMs = Math.max(0, Duration.between(me.joinedAt(), clock.instant()).toMillis());
        long bound = role == Role.EXPERT ? Math.min(MAX_TIME_TO_VIDEO_MS, connectedMs + ACCEPT_ALLOWANCE_MS)
                : MAX_TIME_TO_VIDEO_MS;
        if (r.timeToVideoMs() > bound) {
            throw new ProtocolException(ProtocolException.INVALID_FIELD, "\"timeToVideoMs\" " + r.timeToVideoMs()
                    + " cannot be: at most " + bound + " ms" + (role == Role.EXPERT ? " (the call connected "
                    + connectedMs / 1000 + " s ago)" : ""), r.id());
        }
        if (!me.reported().compareAndSet(false, true)) {
            throw new ProtocolException(ProtocolException.ALREADY_REPORTED, "you already reported the time to video of"
                    + " call " + r.callId(), r.id());
        }
        metrics.timeToVideo(role.wireName(), r.timeToVideoMs());
        c.session().send(ServerMessages.write(ServerMessages.reply("ok", r.id())));
    }

    /**
     * Relays a signal to the party it names ({@code to}), or in a call of two to the other party. In a call of three
     * or four each pair of parties has its own peer connection, so {@code to} is required there.
     */
    private void relay(Connection c, ClientMessage.Signal sig, long arrivedNanos) {
        SessionRegistry.CallParties call = registry.call(sig.callId());
        SessionRegistry.Member me = call == null ? null : call.party(c.principal().role(), c.principal().user());
        if (me == null) {
            throw new ProtocolException(ProtocolException.NOT_IN_CALL, "you are not a party of a call " + sig.callId()
                    + " in progress", sig.id());
        }
        if (sig.part() == ClientMessage.Signal.Part.SDP && sig.sdpLength() > config.maxSdpBytes()) {
            throw new ProtocolException(ProtocolException.SDP_TOO_LARGE, "the SDP is " + sig.sdpLength()
                    + " characters, at most " + config.maxSdpBytes() + " allowed", sig.id());
        }
        SessionRegistry.Member to;
        if (sig.to() == null) {
            to = call.onlyOther(me);
            if (to == null) {
                throw new ProtocolException(ProtocolException.INVALID_FIELD, "signal: call " + sig.callId() + " has "
                        + call.members().size() + " parties: \"to\" must name the one this signal is for", sig.id());
            }
        } else {
            to = call.member(sig.to());
            if (to == null || to == me) {
                throw new ProtocolException(ProtocolException.NOT_A_PARTY, "signal: '" + sig.to() + "' is not "
                        + (to == me ? "another" : "a") + " party of call " + sig.callId(), sig.id());
            }
        }
        if (sig.part() == ClientMessage.Signal.Part.CANDIDATE
                && me.candidatesTo(to).incrementAndGet() > config.maxCandidatesPerCall()) {
            throw new ProtocolException(ProtocolException.TOO_MANY_CANDIDATES, "at most "
                    + config.maxCandidatesPerCall() + " ICE candidates per party of a call for each other party", sig.id());
        }
        String from = me.side().wireName();
        String fromParty = me.keyJson();
        registry.sendTo(to, seq -> sig.push(seq, from, fromParty));
        metrics.relayed(System.nanoTime() - arrivedNanos);
    }

    private void ok(Connection c, String id, Command command) {
        ask(c, id, command, r -> ServerMessages.reply("ok", id));
    }

    /** Submits a command; its reply (or error) is sent in the session when the broker answers. */
    private void ask(Connection c, String id, Command command, Function<Reply, ObjectNode> reply) {
        ClientSession s = c.session();
        broker.submit(command).whenComplete((r, e) -> {
            if (e == null) {
                s.send(ServerMessages.write(reply.apply(r)));
                return;
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof BrokerException b) {
                metrics.protocolError(b.code().wireName());
                s.send(ServerMessages.write(ServerMessages.error(id, b.code().wireName(), b.getMessage())));
            } else {
                metrics.protocolError("internal");
                s.send(ServerMessages.write(ServerMessages.error(id, "internal", "internal error")));
            }
        });
    }

    private static Language language(String code, String id) {
        try {
            return Language.parse(code);
        } catch (BrokerException e) {
            throw new ProtocolException(ProtocolException.INVALID_FIELD, e.getMessage(), id);
        }
    }

    /** An interpreting language as the broker knows it (lower case, checked), or null; a bad one is {@code invalid_field}. */
    private static String interpreting(String code, String id) {
        if (code == null) {
            return null;
        }
        try {
            return fi.palvelurinki.broker.ring.Interpreting.check(code);
        } catch (BrokerException e) {
            throw new ProtocolException(ProtocolException.INVALID_FIELD, e.getMessage(), id);
        }
    }

    private static Presence presence(String p, String id) {
        return switch (p) {
            case "available" -> Presence.AVAILABLE;
            case "away" -> Presence.AWAY;
            case "offline" -> Presence.OFFLINE;
            default -> throw new ProtocolException(ProtocolException.INVALID_FIELD,
                    "presence must be available, away or offline", id);
        };
    }
}
