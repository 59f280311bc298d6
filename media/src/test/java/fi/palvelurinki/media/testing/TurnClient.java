package fi.palvelurinki.media.testing;

import java.io.Closeable;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.ErrorCodeAttribute;
import org.ice4j.attribute.NonceAttribute;
import org.ice4j.attribute.RealmAttribute;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.security.LongTermCredential;
import org.ice4j.security.LongTermCredentialSession;
import org.ice4j.socket.IceUdpSocketWrapper;
import org.ice4j.stack.StunStack;
import org.ice4j.StunMessageEvent;
import org.ice4j.stunclient.BlockingRequestSender;

/**
 * A TURN client that does what a browser does first (RFC 5766 section 6 with the long-term credential
 * mechanism of RFC 5389): an Allocate without credentials, the server's 401 with its realm and nonce,
 * then the Allocate again with USERNAME, REALM, NONCE and MESSAGE-INTEGRITY keyed by the password.
 * Built on ice4j's STUN stack and credential session, the code its TURN harvester uses.
 */
public final class TurnClient implements Closeable {
    /** How coturn answered the authenticated Allocate: 0 for success, else the STUN error code. */
    public record Outcome(int errorCode, String reason, boolean relayedAddress) {
        public boolean allocated() {
            return errorCode == 0 && relayedAddress;
        }
    }

    private final StunStack stack = new StunStack();
    private final DatagramSocket socket;
    private final TransportAddress local;

    public TurnClient() throws Exception {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        local = new TransportAddress(socket.getLocalAddress(), socket.getLocalPort(), Transport.UDP);
        stack.addSocket(new IceUdpSocketWrapper(socket));
    }

    public Outcome allocate(int port, String username, String password) throws Exception {
        TransportAddress server = new TransportAddress(InetAddress.getLoopbackAddress(), port, Transport.UDP);
        BlockingRequestSender sender = new BlockingRequestSender(stack, local);
        Message challenge = send(sender, MessageFactory.createAllocateRequest((byte) 17, false), server);
        ErrorCodeAttribute first = (ErrorCodeAttribute) challenge.getAttribute(Attribute.ERROR_CODE);
        if (first == null || first.getErrorCode() != ErrorCodeAttribute.UNAUTHORIZED) {
            throw new IllegalStateException("coturn did not ask for credentials: " + challenge);
        }
        byte[] realm = ((RealmAttribute) challenge.getAttribute(Attribute.REALM)).getRealm();
        byte[] nonce = ((NonceAttribute) challenge.getAttribute(Attribute.NONCE)).getNonce();
        LongTermCredentialSession session = new LongTermCredentialSession(new LongTermCredential(username, password), realm);
        session.setNonce(nonce);
        stack.getCredentialsManager().registerAuthority(session);
        Request allocate = MessageFactory.createAllocateRequest((byte) 17, false);
        session.addAttributes(allocate);
        Message answer = send(sender, allocate, server);
        ErrorCodeAttribute error = (ErrorCodeAttribute) answer.getAttribute(Attribute.ERROR_CODE);
        boolean relayed = answer.getAttribute(Attribute.XOR_RELAYED_ADDRESS) != null;
        return error == null ? new Outcome(0, "", relayed) : new Outcome(error.getErrorCode(), error.getReasonPhrase(), relayed);
    }

    private static Message send(BlockingRequestSender sender, Request r, TransportAddress server) throws Exception {
        StunMessageEvent e = sender.sendRequestAndWaitForResponse(r, server);
        if (e == null) {
            throw new IllegalStateException("no answer from the TURN server at " + server);
        }
        return e.getMessage();
    }

    @Override
    public void close() {
        stack.shutDown();
        socket.close();
    }
}
