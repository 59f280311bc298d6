package fi.palvelurinki.signaling.ws;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.exception.BadPayloadException;
import org.eclipse.jetty.websocket.core.exception.MessageTooLargeException;

/**
 * One connection of {@code /ws} (and of the benchmark's plain relay) on Jetty's core WebSocket session: joins a
 * text message's frames, decodes it once with the JDK and hands the {@link TextEndpoint} the string.
 *
 * <p>Why not Jetty's API layer ({@code Session.Listener}): the relay's profile at its ceiling
 * ({@code docs/performance.md}, issue 20, Round 4) had 41 % of the server's samples in that layer's UTF-8 decoding
 * ({@code Utf8StringBuilder}, byte by byte into a {@code StringBuilder}) and more in its method-handle dispatch.
 * {@link String#String(byte[], int, int, java.nio.charset.Charset)} copies an ASCII message (every SDP and ICE
 * candidate is) with one vectorised check. Jetty's core still does the rest: the handshake, framing, masking, the
 * close handshake, the idle timeout, the frame and outgoing-queue limits.
 *
 * <p>Frames of one connection arrive one at a time (the next only after {@link CoreSession#demand()}), so the
 * message being joined needs no lock.
 */
public final class TextFrameHandler implements FrameHandler, TextSocket {
    private static final Logger LOG = Logger.getLogger(TextFrameHandler.class.getName());
    private final TextEndpoint endpoint;
    private volatile CoreSession session;
    /** The text message being joined from fragments; null between messages (a held connection keeps no buffer). */
    private byte[] partial;
    private int partialLength;
    /** Bytes of the binary message being refused so far (counted against its limit, not kept). */
    private long binaryLength;
    private byte dataType = OpCode.UNDEFINED;
    private final Callback sent = new Callback() {
        @Override
        public void failed(Throwable cause) {
            endpoint.onSendFailure(cause);
        }
    };

    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[8192]);

    /** This thread's scratch array, at least {@code n} long (a message is at most the text size limit). */
    private static byte[] scratch(int n) {
        byte[] b = SCRATCH.get();
        if (b.length < n) {
            b = new byte[Math.max(n, b.length * 2)];
            SCRATCH.set(b);
        }
        return b;
    }

    public TextFrameHandler(TextEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        session = coreSession;
        try {
            endpoint.onOpen(this);
        } catch (Throwable t) {
            callback.failed(t);
            return;
        }
        callback.succeeded();
        coreSession.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        switch (frame.getOpCode()) {
            case OpCode.TEXT -> {
                dataType = OpCode.TEXT;
                text(frame, callback);
            }
            case OpCode.BINARY -> {
                dataType = OpCode.BINARY;
                binary(frame, callback);
            }
            // Jetty's core has checked the sequence: a continuation always follows a data frame without fin.
            case OpCode.CONTINUATION -> {
                if (dataType == OpCode.TEXT) {
                    text(frame, callback);
                } else {
                    binary(frame, callback);
                }
            }
            case OpCode.PING -> session.sendFrame(new Frame(OpCode.PONG, true, frame.getPayload()), Callback.from(() -> {
                callback.succeeded();
                session.demand();
            }, failure -> callback.succeeded()), false);
            case OpCode.PONG -> {
                callback.succeeded();
                session.demand();
            }
            // The core answers the close frame and then calls onClosed.
            default -> callback.succeeded();
        }
    }

    private void text(Frame frame, Callback callback) {
        ByteBuffer payload = frame.getPayload();
        int n = payload == null ? 0 : payload.remaining();
        long max = session.getMaxTextMessageSize();
        if ((long) partialLength + n > max) {
            partial = null;
            partialLength = 0;
            callback.failed(new MessageTooLargeException("text message larger than " + max + " bytes"));
            return;
        }
        String text;
        if (frame.isFin() && partial == null) {
            // The whole message in one frame (nearly every one): decoded from the frame's own bytes when it has them.
            if (n > 0 && payload.hasArray()) {
                text = decode(payload.array(), payload.arrayOffset() + payload.position(), n);
            } else {
                // Jetty reads into direct buffers: the bytes are copied into this thread's scratch array and
                // decoded from there, so a message costs one allocation (its string), not two.
                byte[] bytes = scratch(n);
                if (n > 0) {
                    payload.get(payload.position(), bytes, 0, n);
                }
                text = decode(bytes, 0, n);
            }
        } else {
            if (partial == null) {
                partial = new byte[(int) Math.min(max, Math.max(n * 2L, 256))];
            } else if (partial.length < partialLength + n) {
                partial = Arrays.copyOf(partial, (int) Math.min(max, Math.max(partial.length * 2L, partialLength + n)));
            }
            if (n > 0) {
                payload.get(payload.position(), partial, partialLength, n);
            }
            partialLength += n;
            if (!frame.isFin()) {
                callback.succeeded();
                session.demand();
                return;
            }
            text = decode(partial, 0, partialLength);
            partial = null;
            partialLength = 0;
        }
        dataType = OpCode.UNDEFINED;
        if (text == null) {
            callback.failed(new BadPayloadException("invalid UTF-8 in a text message"));
            return;
        }
        // The frame's buffer may go back to Jetty before the message is handled: the text is a copy.
        callback.succeeded();
        handled(() -> endpoint.onText(text));
    }

    private void binary(Frame frame, Callback callback) {
        ByteBuffer payload = frame.getPayload();
        binaryLength += payload == null ? 0 : payload.remaining();
        long max = session.getMaxBinaryMessageSize();
        if (binaryLength > max) {
            binaryLength = 0;
            callback.failed(new MessageTooLargeException("binary message larger than " + max + " bytes"));
            return;
        }
        if (!frame.isFin()) {
            callback.succeeded();
            session.demand();
            return;
        }
        binaryLength = 0;
        dataType = OpCode.UNDEFINED;
        callback.succeeded();
        handled(endpoint::onBinary);
    }

    /** Runs the endpoint on a message, then asks for the next frame; what it throws closes the connection (1011). */
    private void handled(Runnable handle) {
        try {
            handle.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a message could not be handled; closing the connection", e);
            session.close(CloseStatus.SERVER_ERROR, "internal error", Callback.NOOP);
            return;
        }
        session.demand();
    }

    /**
     * The JDK decodes an ASCII array with a vectorised check and one copy, and replaces what is not UTF-8 with
     * U+FFFD. A message with U+FFFD in it is decoded again strictly: it may have been sent (EF BF BD) or have
     * been put there for bytes that are not UTF-8, which RFC 6455 says must close the connection (1007).
     *
     * @return the text, or null when the bytes are not UTF-8
     */
    public static String decode(byte[] bytes, int offset, int length) {
        String text = new String(bytes, offset, length, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') < 0) {
            return text;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, offset, length)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        partial = null;
        try {
            endpoint.onClose(closeStatus.getCode(), closeStatus.getReason());
        } finally {
            callback.succeeded();
        }
    }

    @Override
    public void sendText(String text) {
        session.sendFrame(new Frame(OpCode.TEXT, true, text), sent, false);
    }

    @Override
    public void sendUtf8(byte[] utf8) {
        session.sendFrame(new Frame(OpCode.TEXT, true, ByteBuffer.wrap(utf8)), sent, false);
    }

    @Override
    public boolean isOpen() {
        CoreSession s = session;
        return s != null && s.isOutputOpen();
    }

    @Override
    public void close(int code, String reason) {
        session.close(code, reason, Callback.NOOP);
    }

    @Override
    public void disconnect() {
        session.abort();
    }
}
