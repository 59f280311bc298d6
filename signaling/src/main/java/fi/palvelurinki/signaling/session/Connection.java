package fi.palvelurinki.signaling.session;

import fi.palvelurinki.signaling.SignalingConfig;
import fi.palvelurinki.signaling.auth.Principal;
import fi.palvelurinki.signaling.metrics.SignalingMetrics;
import fi.palvelurinki.signaling.protocol.ClientMessage;
import fi.palvelurinki.signaling.protocol.ProtocolCodec;
import fi.palvelurinki.signaling.protocol.ProtocolException;
import fi.palvelurinki.signaling.protocol.ServerMessages;
import java.nio.ByteBuffer;
import java.nio.channels.WritePendingException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;

/**
 * One WebSocket connection of an authenticated user. Limits are applied before a message is parsed:
 * Jetty refuses messages over the size limit, and a token bucket refuses messages over the rate.
 */
public final class Connection implements Session.Listener.AutoDemanding {
    private static final Logger LOG = Logger.getLogger(Connection.class.getName());

    private final Principal principal;
    private final SessionRegistry registry;
    private final MessageHandler handler;
    private final SignalingConfig config;
    private final SignalingMetrics metrics;
    private volatile Session ws;
    private volatile ClientSession session;
    /** Counted against the user's connection limit (a connection refused for that limit never is). */
    volatile boolean counted;
    private final MessageRate rate;
    /** When anything last came in, on the registry's monotonic ticker (the heartbeat watch reads it). */
    private volatile long lastHeard;

    Connection(Principal principal, SessionRegistry registry, MessageHandler handler, SignalingConfig config,
            SignalingMetrics metrics, java.time.InstantSource clock) {
        this.principal = principal;
        this.registry = registry;
        this.handler = handler;
        this.config = config;
        this.metrics = metrics;
        this.rate = new MessageRate(config, clock);
    }

    public Principal principal() {
        return principal;
    }

    ClientSession session() {
        return session;
    }

    void session(ClientSession s) {
        session = s;
    }

    @Override
    public void onWebSocketOpen(Session s) {
        ws = s;
        lastHeard = registry.ticks();
        if (!registry.opened(this)) {
            s.close(StatusCode.POLICY_VIOLATION, "too many connections for this user", Callback.NOOP);
        }
    }

    @Override
    public void onWebSocketText(String text) {
        receive(text);
    }

    /** Refused as the protocol says, not dropped: a client sending binary would otherwise wait for a reply forever. */
    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        receive(null);
    }

    /** @param text the message, or null for a binary frame */
    private void receive(String text) {
        long arrived = System.nanoTime();
        lastHeard = registry.ticks();
        String re = null;
        try {
            rate.admit();
            if (text == null) {
                throw new ProtocolException(ProtocolException.BAD_JSON, "binary frames are refused: send each message"
                        + " as one JSON text frame", null);
            }
            ClientMessage m = ProtocolCodec.parse(text);
            re = m.id();
            if (session == null && m.kind() != ClientMessage.Kind.HELLO) {
                throw new ProtocolException(ProtocolException.HELLO_REQUIRED, "send hello first", re);
            }
            handler.handle(this, m, arrived);
        } catch (ProtocolException e) {
            metrics.protocolError(e.code());
            error(e.re() != null ? e.re() : re, e.code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "failed handling a message from " + principal.user(), e);
            metrics.protocolError("internal");
            error(re, "internal", "internal error");
        }
    }

    /** Sends an error in the session, or outside any session (seq 0) before hello. */
    void error(String re, String code, String reason) {
        String body = ServerMessages.write(ServerMessages.error(re, code, reason));
        ClientSession s = session;
        if (s != null) {
            s.send(body);
        } else {
            sendText("{\"seq\":0," + body.substring(1));
        }
    }

    /** Non-blocking. A client that stops reading is disconnected when its outgoing queue is full. */
    void sendText(String text) {
        Session s = ws;
        if (s == null || !s.isOpen()) {
            return;
        }
        s.sendText(text, Callback.from(() -> { }, failure -> {
            if (failure instanceof WritePendingException) {
                metrics.slowConsumerDisconnected();
                LOG.info(() -> "disconnecting " + principal.user() + ": not reading its messages");
                // No close handshake: the close frame would wait behind the very queue that is full.
                s.disconnect();
            }
        }));
    }

    long lastHeard() {
        return lastHeard;
    }

    /** Silent past the heartbeat limit: gone without a close handshake, which a dead peer would never answer. */
    void disconnectSilent() {
        Session s = ws;
        if (s != null) {
            LOG.fine(() -> "disconnecting " + principal.user() + ": no heartbeat");
            s.disconnect();
        }
    }

    /** Another connection resumed this one's session: this one is stale. */
    void replaced() {
        Session s = ws;
        if (s != null && s.isOpen()) {
            s.close(StatusCode.NORMAL, "resumed on another connection", Callback.NOOP);
        }
    }

    void close(int code, String reason) {
        Session s = ws;
        if (s != null && s.isOpen()) {
            s.close(code, reason, Callback.NOOP);
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        registry.closed(this);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.log(Level.FINE, "websocket error for " + principal.user(), cause);
    }
}
