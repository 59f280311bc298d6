package fi.palvelurinki.signaling.session;

import fi.palvelurinki.signaling.SignalingConfig;
import fi.palvelurinki.signaling.auth.Principal;
import fi.palvelurinki.signaling.metrics.SignalingMetrics;
import fi.palvelurinki.signaling.protocol.ClientMessage;
import fi.palvelurinki.signaling.protocol.ProtocolCodec;
import fi.palvelurinki.signaling.protocol.ProtocolException;
import fi.palvelurinki.signaling.protocol.ServerMessages;
import fi.palvelurinki.signaling.ws.TextEndpoint;
import fi.palvelurinki.signaling.ws.TextSocket;
import java.nio.channels.WritePendingException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One WebSocket connection of an authenticated user. Limits are applied before a message is parsed:
 * the frame handler refuses messages over the size limit, and a token bucket refuses messages over the rate.
 */
public final class Connection implements TextEndpoint {
    /** RFC 6455 close codes used here. */
    private static final int NORMAL = 1000;
    private static final int POLICY_VIOLATION = 1008;

    private static final Logger LOG = Logger.getLogger(Connection.class.getName());

    private final Principal principal;
    private final SessionRegistry registry;
    private final MessageHandler handler;
    private final SignalingConfig config;
    private final SignalingMetrics metrics;
    private volatile TextSocket ws;
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
    public void onOpen(TextSocket s) {
        ws = s;
        lastHeard = registry.ticks();
        if (!registry.opened(this)) {
            s.close(POLICY_VIOLATION, "too many connections for this user");
        }
    }

    @Override
    public void onText(String text) {
        receive(text);
    }

    /** Refused as the protocol says, not dropped: a client sending binary would otherwise wait for a reply forever. */
    @Override
    public void onBinary() {
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
        TextSocket s = ws;
        if (s != null && s.isOpen()) {
            s.sendText(text);
        }
    }

    /** As {@link #sendText}, the frame's text given as UTF-8 (sent as it is, not copied). */
    void sendUtf8(byte[] utf8) {
        TextSocket s = ws;
        if (s != null && s.isOpen()) {
            s.sendUtf8(utf8);
        }
    }

    @Override
    public void onSendFailure(Throwable failure) {
        TextSocket s = ws;
        if (failure instanceof WritePendingException && s != null) {
            metrics.slowConsumerDisconnected();
            LOG.info(() -> "disconnecting " + principal.user() + ": not reading its messages");
            // No close handshake: the close frame would wait behind the very queue that is full.
            s.disconnect();
        }
    }

    long lastHeard() {
        return lastHeard;
    }

    /** Silent past the heartbeat limit: gone without a close handshake, which a dead peer would never answer. */
    void disconnectSilent() {
        TextSocket s = ws;
        if (s != null) {
            LOG.fine(() -> "disconnecting " + principal.user() + ": no heartbeat");
            s.disconnect();
        }
    }

    /** Another connection resumed this one's session: this one is stale. */
    void replaced() {
        TextSocket s = ws;
        if (s != null && s.isOpen()) {
            s.close(NORMAL, "resumed on another connection");
        }
    }

    void close(int code, String reason) {
        TextSocket s = ws;
        if (s != null && s.isOpen()) {
            s.close(code, reason);
        }
    }

    @Override
    public void onClose(int statusCode, String reason) {
        registry.closed(this);
    }
}
