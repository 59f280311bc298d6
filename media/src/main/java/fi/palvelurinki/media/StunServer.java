package fi.palvelurinki.media;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.ice4j.StunException;
import org.ice4j.StunMessageEvent;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.message.Response;
import org.ice4j.socket.IceUdpSocketWrapper;
import org.ice4j.stack.StunStack;

/**
 * A STUN binding service (RFC 5389) on one UDP socket, built on ice4j's {@link StunStack}: it tells
 * each client the address and port its request came from, which is all a browser needs to learn its
 * server-reflexive ICE candidate. Other requests (a TURN Allocate sent to the wrong server) are
 * dropped: ice4j can only form error responses to Binding requests.
 * ice4j stays inside this class: the module's API speaks only JDK types.
 */
public final class StunServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StunServer.class.getName());

    private final DatagramSocket socket;
    private final StunStack stack;
    private final TransportAddress local;
    private final AtomicLong answered = new AtomicLong();

    private StunServer(DatagramSocket socket) {
        this.socket = socket;
        this.local = new TransportAddress(socket.getLocalAddress(), socket.getLocalPort(), Transport.UDP);
        this.stack = new StunStack();
        stack.addSocket(new IceUdpSocketWrapper(socket));
        stack.addRequestListener(local, this::binding);
    }

    /** Binds the UDP socket and starts answering; fails if the port is taken. */
    public static StunServer start(InetSocketAddress bind) throws IOException {
        DatagramSocket socket = new DatagramSocket(null);
        try {
            socket.bind(bind);
            return new StunServer(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw new IOException("cannot start the STUN service on UDP " + bind + ": " + e.getMessage(), e);
        }
    }

    private void binding(StunMessageEvent evt) {
        Message m = evt.getMessage();
        TransportAddress from = evt.getRemoteAddress();
        if (m.getMessageType() != Message.BINDING_REQUEST) {
            LOG.fine(() -> "STUN request of type " + (int) m.getMessageType() + " from " + from + " dropped");
            return;
        }
        answered.incrementAndGet();
        Response r = MessageFactory.createBindingResponse((Request) m, from);
        try {
            stack.sendResponse(evt.getTransactionID().getBytes(), r, local, from);
        } catch (StunException | IOException e) {
            LOG.log(Level.FINE, "STUN response to " + from + " not sent", e);
        }
    }

    /** The address and port the service listens on (the real port when started on port 0). */
    public InetSocketAddress localAddress() {
        return new InetSocketAddress(socket.getLocalAddress(), socket.getLocalPort());
    }

    /** Binding requests received (and answered) since the start. */
    public long bindingRequests() {
        return answered.get();
    }

    @Override
    public void close() {
        stack.shutDown();
        socket.close();
    }
}
