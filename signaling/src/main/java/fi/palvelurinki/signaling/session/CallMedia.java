package fi.palvelurinki.signaling.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.palvelurinki.broker.Broker;
import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.CallQuality;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.Party;
import fi.palvelurinki.broker.TimerService;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.media.MediaConfig;
import fi.palvelurinki.media.PeerToPeerMedia;
import fi.palvelurinki.signaling.auth.Principal;
import fi.palvelurinki.signaling.auth.Role;
import fi.palvelurinki.signaling.protocol.ClientMessage;
import fi.palvelurinki.signaling.protocol.ProtocolException;
import fi.palvelurinki.signaling.protocol.ServerMessages;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pages' media as the server sees it: the ICE configuration each user gets (TURN credentials of
 * their own, renewed on request), calls whose media was lost (a page restarts ICE; if nothing comes
 * back within {@link MediaConfig#recoveryTimeout()}, the broker ends the call with reason
 * {@code media_lost}), and quality reports, accepted only from the call's parties (two to four) and at most one per
 * party per {@link #MIN_REPORT_SPACING}, journaled through the broker.
 */
public final class CallMedia {
    /** Pages report every 10 s; anything much faster only fills the journal. */
    public static final Duration MIN_REPORT_SPACING = Duration.ofSeconds(4);

    private final PeerToPeerMedia media;
    private final Duration recovery;
    private final SessionRegistry registry;
    private final Broker broker;
    private final InstantSource clock;
    private final TimerService timers;
    private final Map<Long, Watch> watches = new ConcurrentHashMap<>();

    /** One call's media: the pending end while its media is lost, and when each party (by key) last reported quality. */
    private static final class Watch {
        TimerService.Cancellable ending;
        final Map<String, Instant> reported = new java.util.HashMap<>(8);
    }

    /** @param media the ICE configuration; null: none (tests of the protocol alone) */
    public CallMedia(PeerToPeerMedia media, SessionRegistry registry, Broker broker, InstantSource clock,
            TimerService timers) {
        this.media = media;
        this.recovery = media == null ? MediaConfig.DEFAULT_RECOVERY : media.config().recoveryTimeout();
        this.registry = registry;
        this.broker = broker;
        this.clock = clock;
        this.timers = timers;
    }

    /** The welcome's media fields for {@code user}: ICE servers with their lifetime, the transport policy. */
    void describe(ObjectNode o, String user) {
        iceServers(o, user);
        o.put("iceTransportPolicy", media != null && media.config().relayOnly() ? "relay" : "all");
        o.put("mediaRecoverySeconds", recovery.toSeconds());
    }

    /** The reply to {@code ice_servers}: the same, freshly minted. */
    ObjectNode iceServersReply(String re, String user) {
        ObjectNode o = ServerMessages.reply("ice_servers", re);
        iceServers(o, user);
        return o;
    }

    private void iceServers(ObjectNode o, String user) {
        o.set("iceServers", ServerMessages.iceServers(media == null ? List.of() : media.iceServersFor(user)));
        if (media != null && media.credentialLifetimeSeconds() > 0) {
            o.put("iceServersTtlSeconds", media.credentialLifetimeSeconds());
        }
    }

    /**
     * A party's page lost its media or has it again. Lost starts the recovery time unless it runs already;
     * restored by either party stops it: the two browsers share one ICE session, connected again on one
     * side means connected on both. In a call of three or four only the advisor and the expert who answered
     * count, for their connection; what a joined party says is taken and changes nothing.
     */
    void mediaState(Principal p, ClientMessage.MediaState m) {
        long callId = m.callId();
        if (!partyOf(p, callId, m.id()).founder()) {
            // A joined party's lost media must not end the call for everyone: they leave it instead (hangup,
            // or gone past the resume grace). The call's media is its advisor's and its expert's connection.
            return;
        }
        Watch w = watches.computeIfAbsent(callId, id -> new Watch());
        synchronized (w) {
            if (m.lost() && w.ending == null) {
                w.ending = timers.schedule(clock.instant().plus(recovery), () -> mediaNotBack(callId));
            } else if (!m.lost() && w.ending != null) {
                w.ending.cancel();
                w.ending = null;
            }
        }
    }

    private void mediaNotBack(long callId) {
        Watch w = watches.get(callId);
        if (w != null) {
            synchronized (w) {
                w.ending = null;
            }
        }
        broker.submit(new Command.EndCallMediaLost(callId));
    }

    /** The broker command recording a quality report, after the party and the report's bounds are checked. */
    Command quality(Principal p, ClientMessage.CallQualityReport r) {
        long callId = r.callId();
        SessionRegistry.Member me = partyOf(p, callId, r.id());
        CallQuality q;
        try {
            q = new CallQuality(r.rttMs(), r.lossPermille(), r.bitrateKbps(), r.framesDecoded(), r.intervalMs());
        } catch (BrokerException e) {
            throw new ProtocolException(ProtocolException.INVALID_FIELD, "call_quality: " + e.getMessage(), r.id());
        }
        Instant now = clock.instant();
        Watch w = watches.computeIfAbsent(callId, id -> new Watch());
        synchronized (w) {
            Instant last = w.reported.get(me.key());
            if (last != null && now.isBefore(last.plus(MIN_REPORT_SPACING))) {
                throw new ProtocolException(ProtocolException.RATE_LIMITED, "at most one call_quality per "
                        + MIN_REPORT_SPACING.toSeconds() + " s", r.id());
            }
            w.reported.put(me.key(), now);
        }
        // The broker knows a report's side, not its person: a joined interpreter's counts as the expert side's.
        return new Command.ReportCallQuality(callId, me.side() == Role.ADVISOR ? Party.ADVISOR : Party.EXPERT, q);
    }

    private SessionRegistry.Member partyOf(Principal p, long callId, String id) {
        SessionRegistry.CallParties call = registry.call(callId);
        SessionRegistry.Member me = call == null ? null : call.party(p.role(), p.user());
        if (me == null) {
            throw new ProtocolException(ProtocolException.NOT_IN_CALL, "you are not a party of a call " + callId
                    + " in progress", id);
        }
        return me;
    }

    /** Whether the call's media is lost now and the recovery time runs (for operators' tools and tests). */
    public boolean mediaLost(long callId) {
        Watch w = watches.get(callId);
        if (w == null) {
            return false;
        }
        synchronized (w) {
            return w.ending != null;
        }
    }

    /** Broker event listener: an ended call needs no watch any more. */
    public void onEvents(List<DomainEvent> events) {
        for (DomainEvent e : events) {
            if (e instanceof DomainEvent.CallEnded ended) {
                Watch w = watches.remove(ended.callId());
                if (w != null) {
                    synchronized (w) {
                        if (w.ending != null) {
                            w.ending.cancel();
                        }
                    }
                }
            }
        }
    }
}
