package fi.palvelurinki.signaling.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.palvelurinki.broker.Notification;
import fi.palvelurinki.broker.RingStatus;
import fi.palvelurinki.broker.RingSummary;
import fi.palvelurinki.broker.booking.Booking;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.media.IceServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds what the server sends (docs/protocol.md). Replies carry {@code re}, the id of the message they
 * answer; every message gets its per-connection {@code seq} when it is sent.
 */
public final class ServerMessages {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ServerMessages() {}

    public static String write(ObjectNode o) {
        try {
            return ProtocolCodec.mapper().writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode reply(String type, String re) {
        ObjectNode o = F.objectNode();
        o.put("type", type);
        o.put("re", re);
        return o;
    }

    public static ObjectNode push(String type) {
        ObjectNode o = F.objectNode();
        o.put("type", type);
        return o;
    }

    public static ObjectNode error(String re, String code, String reason) {
        ObjectNode o = push("error");
        if (re != null) {
            o.put("re", re);
        }
        o.put("code", code);
        o.put("reason", reason);
        return o;
    }

    public static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    static void time(ObjectNode o, String name, Instant t) {
        if (t == null) {
            o.putNull(name);
        } else {
            o.put(name, t.toString());
        }
    }

    static void seconds(ObjectNode o, String name, Duration d) {
        if (d == null) {
            o.putNull(name);
        } else {
            o.put(name, d.toSeconds());
        }
    }

    static ArrayNode languages(Collection<Language> ls) {
        ArrayNode a = F.arrayNode();
        ls.stream().sorted().forEach(l -> a.add(l.code()));
        return a;
    }

    public static ArrayNode strings(Collection<String> ss) {
        ArrayNode a = F.arrayNode();
        ss.stream().sorted().forEach(a::add);
        return a;
    }

    /** The {@code iceServers} of {@code welcome}, in the shape of WebRTC's {@code RTCIceServer}. */
    public static ArrayNode iceServers(List<IceServer> servers) {
        ArrayNode a = F.arrayNode();
        for (IceServer s : servers) {
            ObjectNode o = a.addObject();
            ArrayNode urls = o.putArray("urls");
            s.urls().forEach(urls::add);
            if (s.username() != null) {
                o.put("username", s.username());
                o.put("credential", s.credential());
            }
        }
        return a;
    }

    public static ObjectNode ringSummary(RingSummary r) {
        ObjectNode o = F.objectNode();
        o.put("id", r.ringId());
        o.put("name", r.name());
        o.put("authority", r.authorityId());
        o.put("authorityName", r.authorityName());
        o.put("open", r.open());
        time(o, "nextOpening", r.nextOpening());
        o.set("topics", strings(r.topics()));
        o.set("languages", languages(r.languages()));
        o.put("waiting", r.waiting());
        o.put("staffed", r.staffed());
        o.put("available", r.available());
        seconds(o, "estimatedWaitSeconds", r.estimatedWait());
        o.set("interpreting", strings(r.interpreting()));
        return o;
    }

    public static ObjectNode ringStatus(RingStatus s) {
        ObjectNode o = F.objectNode();
        o.put("id", s.ringId());
        o.put("name", s.name());
        o.put("authority", s.authorityId());
        o.put("open", s.open());
        o.put("waiting", s.waiting());
        o.put("longestWaitSeconds", s.longestWait().toSeconds());
        seconds(o, "estimatedWaitSeconds", s.estimatedWait());
        ObjectNode experts = o.putObject("experts");
        for (Map.Entry<Presence, Integer> e : s.expertsByPresence().entrySet()) {
            experts.put(lower(e.getKey()), e.getValue());
        }
        o.put("offersPending", s.offersPending());
        o.put("callsInProgress", s.callsInProgress());
        o.put("queuedToday", s.queuedToday());
        o.put("answeredToday", s.answeredToday());
        o.put("abandonedToday", s.abandonedToday());
        if (s.serviceLevelToday() == null) {
            o.putNull("serviceLevelToday");
        } else {
            o.put("serviceLevelToday", Math.round(s.serviceLevelToday() * 10000) / 10000.0);
        }
        o.put("serviceLevelThresholdSeconds", s.serviceLevelThreshold().toSeconds());
        o.put("averageHandleSeconds", s.averageHandleTime().toSeconds());
        return o;
    }

    /**
     * What a home customer's page is told of their booking: no ids of people, no note (a link that leaks
     * shows nothing personal).
     */
    public static ObjectNode customerBooking(Booking b) {
        ObjectNode o = F.objectNode();
        o.put("serviceName", b.serviceName());
        o.put("language", b.language().code());
        time(o, "start", b.start());
        time(o, "end", b.end());
        o.put("localStart", b.start().atZone(fi.palvelurinki.broker.ring.OpeningHours.ZONE).toLocalDateTime().toString());
        o.put("status", lower(b.status()));
        return o;
    }

    public static ObjectNode booking(Booking b, String pointName) {
        ObjectNode o = F.objectNode();
        o.put("id", b.id());
        o.put("ring", b.ringId());
        o.put("service", b.serviceId());
        o.put("serviceName", b.serviceName());
        o.put("point", b.pointId());
        o.put("pointName", pointName);
        o.put("room", b.room());
        o.put("advisor", b.advisorId());
        if (b.expertId() == null) {
            o.putNull("expert");
        } else {
            o.put("expert", b.expertId());
        }
        o.put("language", b.language().code());
        o.put("note", b.note());
        time(o, "start", b.start());
        time(o, "end", b.end());
        o.put("localStart", b.start().atZone(fi.palvelurinki.broker.ring.OpeningHours.ZONE).toLocalDateTime().toString());
        o.put("status", lower(b.status()));
        o.put("fromHome", b.fromHome());
        if (b.interpreter() == null) {
            o.putNull("interpreter");
        } else {
            o.put("interpreter", b.interpreter());
        }
        o.put("version", b.version());
        if (b.requestId() != 0) {
            o.put("requestId", b.requestId());
        }
        if (b.actualStart() != null) {
            time(o, "actualStart", b.actualStart());
        }
        if (b.actualEnd() != null) {
            time(o, "actualEnd", b.actualEnd());
        }
        if (b.advisorLateSeconds() != null) {
            o.put("advisorLateSeconds", b.advisorLateSeconds());
        }
        if (b.expertLateSeconds() != null) {
            o.put("expertLateSeconds", b.expertLateSeconds());
        }
        if (b.noShowSide() != null) {
            o.put("noShowSide", lower(b.noShowSide()));
        }
        if (b.cancelledBy() != null) {
            o.put("cancelledBy", b.cancelledBy());
        }
        if (b.reason() != null) {
            o.put("reason", b.reason());
        }
        return o;
    }

    /** Names the notifications leave out: a point's (for bookings) and an advisor's (for {@code call_connected}). */
    public interface Names {
        String point(String id);

        /** An advisor's name; for the customer of a booking from home, who is nobody's advisor, "from home". */
        String advisor(String id);
    }

    /**
     * A party's key on the wire: its side and id, {@code advisor:anna}, {@code expert:eeva} (a home customer is on
     * the advisor's side, an interpreter on the expert's).
     */
    public static String partyKey(fi.palvelurinki.broker.Recipient r) {
        return r.role().name().toLowerCase(Locale.ROOT) + ":" + r.id();
    }

    /** The parties of a call but {@code self}, as call_connected's and call_joined's {@code members}. */
    public static ArrayNode membersBut(java.util.List<Notification.CallMember> all, fi.palvelurinki.broker.Recipient self) {
        ArrayNode a = F.arrayNode();
        for (Notification.CallMember m : all) {
            if (!m.party().equals(self)) {
                a.add(member(m));
            }
        }
        return a;
    }

    private static ObjectNode member(Notification.CallMember m) {
        ObjectNode o = F.objectNode();
        o.put("party", partyKey(m.party()));
        o.put("role", m.role());
        o.put("name", m.name());
        o.put("language", m.language());
        return o;
    }

    private static void nullable(ObjectNode o, String name, String value) {
        if (value == null) {
            o.putNull(name);
        } else {
            o.put(name, value);
        }
    }

    /** A broker notification as the push its recipient gets. */
    public static ObjectNode notification(Notification n, Instant now, Names names) {
        if (n instanceof Notification.Offer x) {
            ObjectNode o = push("offer");
            o.put("requestId", x.requestId());
            o.put("ring", x.ringId());
            o.put("ringName", x.ringName());
            o.put("point", x.pointId());
            o.put("pointName", x.pointName());
            o.put("municipality", x.municipality());
            o.put("advisorName", x.advisorName());
            o.put("topic", x.topic());
            o.put("language", x.language().code());
            o.put("note", x.triageNote());
            o.put("kind", lower(x.kind()));
            time(o, "queuedAt", x.queuedAt());
            time(o, "expiresAt", x.expiresAt());
            o.put("expiresInMs", Math.max(0, Duration.between(now, x.expiresAt()).toMillis()));
            o.put("callback", x.callback());
            o.put("role", x.role() == null ? "expert" : x.role());
            nullable(o, "interpreter", x.interpreter());
            if (x.joinCallId() == 0) {
                o.putNull("joinCallId");
            } else {
                o.put("joinCallId", x.joinCallId());
            }
            return o;
        } else if (n instanceof Notification.OfferHeld x) {
            ObjectNode o = push("offer_held");
            o.put("requestId", x.requestId());
            o.put("waitingFor", x.waitingFor());
            return o;
        } else if (n instanceof Notification.OfferRevoked x) {
            ObjectNode o = push("offer_revoked");
            o.put("requestId", x.requestId());
            o.put("reason", lower(x.reason()));
            return o;
        } else if (n instanceof Notification.PresenceChanged x) {
            ObjectNode o = push("presence");
            o.put("presence", lower(x.presence()));
            o.put("reason", x.reason());
            return o;
        } else if (n instanceof Notification.QueueUpdate x) {
            ObjectNode o = push("queue_update");
            o.put("requestId", x.requestId());
            o.put("position", x.position());
            seconds(o, "estimatedWaitSeconds", x.estimatedWait());
            return o;
        } else if (n instanceof Notification.Ringing x) {
            ObjectNode o = push("ringing");
            o.put("requestId", x.requestId());
            o.put("ringing", x.ringing());
            return o;
        } else if (n instanceof Notification.RequestEscalated x) {
            ObjectNode o = push("escalated");
            o.put("requestId", x.requestId());
            o.set("languages", languages(x.languages()));
            if (x.overflowRingId() == null) {
                o.putNull("overflowRing");
            } else {
                o.put("overflowRing", x.overflowRingId());
            }
            return o;
        } else if (n instanceof Notification.RequestEnded x) {
            ObjectNode o = push("request_ended");
            o.put("requestId", x.requestId());
            o.put("reason", lower(x.reason()));
            return o;
        } else if (n instanceof Notification.CallConnected x) {
            ObjectNode o = push("call_connected");
            o.put("callId", x.callId());
            o.put("requestId", x.requestId());
            o.put("ring", x.ringId());
            ObjectNode expert = o.putObject("expert");
            expert.put("id", x.expertId());
            expert.put("name", x.expertName());
            o.put("advisor", x.advisorId());
            ObjectNode point = o.putObject("point");
            point.put("id", x.pointId());
            point.put("name", x.pointName());
            // The advisor's side creates the WebRTC offer; the expert's side answers.
            boolean toAdvisor = x.recipient().role() == fi.palvelurinki.broker.Recipient.Role.ADVISOR;
            o.put("initiator", toAdvisor);
            o.put("party", partyKey(x.recipient()));
            ObjectNode other = o.putArray("members").addObject();
            if (toAdvisor) {
                other.put("party", partyKey(fi.palvelurinki.broker.Recipient.expert(x.expertId())));
                other.put("role", "expert");
                other.put("name", x.expertName());
            } else {
                other.put("party", partyKey(fi.palvelurinki.broker.Recipient.advisor(x.advisorId())));
                other.put("role", "advisor");
                other.put("name", names.advisor(x.advisorId()));
            }
            other.putNull("language");
            return o;
        } else if (n instanceof Notification.CallJoined x) {
            ObjectNode o = push("call_joined");
            o.put("callId", x.callId());
            o.put("requestId", x.requestId());
            o.put("ring", x.ringId());
            o.put("role", x.role());
            nullable(o, "language", x.language());
            ObjectNode point = o.putObject("point");
            point.put("id", x.pointId());
            point.put("name", x.pointName());
            o.put("party", partyKey(x.recipient()));
            ArrayNode members = o.putArray("members");
            x.members().forEach(m -> members.add(member(m)));
            return o;
        } else if (n instanceof Notification.PartyJoined x) {
            ObjectNode o = push("party_joined");
            o.put("callId", x.callId());
            o.set("member", member(x.member()));
            return o;
        } else if (n instanceof Notification.PartyLeft x) {
            ObjectNode o = push("party_left");
            o.put("callId", x.callId());
            o.put("party", partyKey(x.party()));
            o.put("reason", x.reason());
            return o;
        } else if (n instanceof Notification.PartyRequestEnded x) {
            ObjectNode o = push("party_request_ended");
            o.put("callId", x.callId());
            o.put("id", x.id());
            o.put("outcome", x.outcome());
            return o;
        } else if (n instanceof Notification.CallEnded x) {
            ObjectNode o = push("call_ended");
            o.put("callId", x.callId());
            o.put("reason", lower(x.reason()));
            if (x.wrapUpUntil() != null) {
                time(o, "wrapUpUntil", x.wrapUpUntil());
            }
            return o;
        } else if (n instanceof Notification.BookingChanged x) {
            ObjectNode o = push("booking");
            o.put("change", x.change());
            o.set("booking", booking(x.booking(), names.point(x.booking().pointId())));
            return o;
        } else if (n instanceof Notification.CallbackRinging x) {
            ObjectNode o = push("callback_ringing");
            o.put("requestId", x.requestId());
            o.put("requester", x.requesterId());
            o.put("ring", x.ringId());
            o.put("ringName", x.ringName());
            o.put("topic", x.topic());
            o.put("note", x.triageNote());
            ObjectNode expert = o.putObject("expert");
            expert.put("id", x.expertId());
            expert.put("name", x.expertName());
            o.put("attempt", x.attempt());
            time(o, "ringUntil", x.ringUntil());
            o.put("ringsForMs", Math.max(0, Duration.between(now, x.ringUntil()).toMillis()));
            return o;
        } else if (n instanceof Notification.CallbackRingEnded x) {
            ObjectNode o = push("callback_ring_ended");
            o.put("requestId", x.requestId());
            o.put("outcome", x.outcome());
            return o;
        } else if (n instanceof Notification.CallbackRetry x) {
            ObjectNode o = push("callback_retry");
            o.put("requestId", x.requestId());
            o.put("attempts", x.attempts());
            o.put("maxAttempts", x.maxAttempts());
            time(o, "retryAt", x.retryAt());
            return o;
        } else if (n instanceof Notification.RingStatusChanged x) {
            ObjectNode o = push("ring_status");
            o.set("ring", ringStatus(x.status()));
            return o;
        }
        throw new IllegalArgumentException("no wire form for " + n.getClass().getSimpleName());
    }

    /** The expert accepted a call-back: they wait while the point is rung. */
    public static ObjectNode callingPoint(String re, fi.palvelurinki.broker.Reply.CallingPoint p) {
        ObjectNode o = reply("calling_point", re);
        o.put("requestId", p.requestId());
        ObjectNode point = o.putObject("point");
        point.put("id", p.pointId());
        point.put("name", p.pointName());
        o.put("attempt", p.attempt());
        time(o, "ringUntil", p.ringUntil());
        return o;
    }

    /** A request's call-back state, in the advisor's list of requests. */
    public static ObjectNode callback(fi.palvelurinki.broker.Reply.CallbackView v) {
        ObjectNode o = F.objectNode();
        o.put("attempts", v.attempts());
        o.put("maxAttempts", v.maxAttempts());
        if (v.retryAt() != null) {
            time(o, "retryAt", v.retryAt());
        }
        if (v.ringUntil() != null) {
            time(o, "ringUntil", v.ringUntil());
            o.put("expertName", v.expertName());
        }
        return o;
    }
}
