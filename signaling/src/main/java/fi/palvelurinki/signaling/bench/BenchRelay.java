package fi.palvelurinki.signaling.bench;

import fi.palvelurinki.signaling.SignalingConfig;
import fi.palvelurinki.signaling.protocol.ClientMessage;
import fi.palvelurinki.signaling.protocol.ProtocolCodec;
import fi.palvelurinki.signaling.protocol.ProtocolException;
import fi.palvelurinki.signaling.protocol.ServerMessages;
import fi.palvelurinki.signaling.session.ClientSession;
import fi.palvelurinki.signaling.session.MessageRate;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import fi.palvelurinki.signaling.ws.TextEndpoint;
import fi.palvelurinki.signaling.ws.TextSocket;

/**
 * The load generator's baseline, served at {@code /bench/relay?pair=KEY} only when the benchmark flag
 * ({@code signaling.benchRelay}, {@code serve --bench-relay}) is on: the same Jetty WebSocket stack as
 * {@code /ws} — the same authentication before the upgrade, size limit, message-rate bucket and strict
 * codec — but no broker, sessions or calls. The first two connections with the same {@code pair} are
 * paired; each {@code signal} message one sends is read as on {@code /ws}, built into the {@code signal}
 * push the other party of a call would get (its payload as sent), numbered, and sent to the other. The
 * difference between the two relays is thus the broker-side logic: the call lookup, the session's
 * resume buffer and the metrics.
 */
public final class BenchRelay {
    private final SignalingConfig config;
    private final ConcurrentHashMap<String, Endpoint> waiting = new ConcurrentHashMap<>();

    private final java.time.InstantSource clock;

    public BenchRelay(SignalingConfig config, java.time.InstantSource clock) {
        this.config = config;
        this.clock = clock;
    }

    /**
     * The WebSocket endpoint for an authenticated connection asking for {@code pair}. Paired here, during the
     * handshake, not when the connection opens: a client that has its 101 may send before the server has
     * opened its partner's side, and that message must reach the partner, not be refused as unpaired.
     */
    public TextEndpoint endpoint(String pair) {
        Endpoint e = new Endpoint(pair);
        Endpoint other = waiting.remove(pair);
        if (other == null) {
            Endpoint raced = waiting.putIfAbsent(pair, e);
            if (raced != null) {
                waiting.remove(pair, raced);
                e.link(raced);
            }
        } else {
            e.link(other);
        }
        return e;
    }

    public final class Endpoint implements TextEndpoint {
        private final String pair;
        private volatile TextSocket ws;
        private volatile Endpoint peer;
        private long nextSeq = 1;
        /** Messages for this side that came before it opened, sent when it does. */
        private List<byte[]> early;
        private final MessageRate rate = new MessageRate(config, clock);

        Endpoint(String pair) {
            this.pair = pair;
        }

        @Override
        public synchronized void onOpen(TextSocket s) {
            ws = s;
            if (early != null) {
                for (byte[] text : early) {
                    s.sendUtf8(text);
                }
                early = null;
            }
        }

        private void link(Endpoint other) {
            other.peer = this;
            this.peer = other;
        }

        @Override
        public void onText(String text) {
            String re = null;
            try {
                rate.admit();
                ClientMessage m = ProtocolCodec.parse(text);
                re = m.id();
                if (!(m instanceof ClientMessage.Signal sig)) {
                    throw new ProtocolException(ProtocolException.FORBIDDEN, "the bench relay takes signal messages only", re);
                }
                if (sig.part() == ClientMessage.Signal.Part.SDP && sig.sdpLength() > config.maxSdpBytes()) {
                    throw new ProtocolException(ProtocolException.SDP_TOO_LARGE, "SDP too large", re);
                }
                Endpoint to = peer;
                if (to == null) {
                    throw new ProtocolException(ProtocolException.NOT_IN_CALL, "not paired yet", re);
                }
                to.send(seq -> sig.push(seq, "advisor", "\"advisor:bench\""));
            } catch (ProtocolException e) {
                String body = ServerMessages.write(ServerMessages.error(e.re() != null ? e.re() : re, e.code(), e.getMessage()));
                send(seq -> ClientSession.numbered(seq, body).getBytes(StandardCharsets.UTF_8));
            }
        }

        /** Numbers the message as a session would and sends it; a client that does not read is dropped. */
        synchronized void send(java.util.function.LongFunction<byte[]> numbered) {
            TextSocket s = ws;
            byte[] text = numbered.apply(nextSeq++);
            if (s == null) {
                if (early == null) {
                    early = new ArrayList<>();
                }
                early.add(text);
            } else if (s.isOpen()) {
                s.sendUtf8(text);
            }
        }

        /** The load generator sends none; ignored. */
        @Override
        public void onBinary() {
        }

        /** A client that does not read is dropped. */
        @Override
        public void onSendFailure(Throwable cause) {
            TextSocket s = ws;
            if (s != null) {
                s.disconnect();
            }
        }

        @Override
        public void onClose(int statusCode, String reason) {
            waiting.remove(pair, this);
            Endpoint p = peer;
            if (p != null) {
                p.peer = null;
            }
        }
    }
}
