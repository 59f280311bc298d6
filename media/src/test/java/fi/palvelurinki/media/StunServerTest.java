package fi.palvelurinki.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Speaks RFC 5389 on the wire, written out by hand, so that the test does not trust ice4j to check itself. */
class StunServerTest {
    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final int XOR_MAPPED_ADDRESS = 0x0020;

    private StunServer server;
    private DatagramSocket client;

    @BeforeEach
    void start() throws Exception {
        server = StunServer.start(new InetSocketAddress("127.0.0.1", 0));
        client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        // Generous: the first exchange waits for ice4j to initialise, seconds on a loaded machine.
        client.setSoTimeout(30_000);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void answersABindingRequestWithTheAddressItCameFrom() throws Exception {
        byte[] tid = transactionId();
        ByteBuffer answer = exchange(bindingRequest(tid));

        assertThat(answer.getShort(0) & 0xffff).as("message type: Binding success response").isEqualTo(0x0101);
        assertThat(answer.getInt(4)).as("magic cookie").isEqualTo(MAGIC_COOKIE);
        assertThat(Arrays.copyOfRange(answer.array(), 8, 20)).as("transaction id").isEqualTo(tid);
        InetSocketAddress mapped = xorMappedAddress(answer);
        assertThat(mapped).isEqualTo(client.getLocalSocketAddress());
        assertThat(server.bindingRequests()).isEqualTo(1);
    }

    @Test
    void ignoresWhatIsNotABindingRequestAndGoesOnAnswering() throws Exception {
        byte[] junk = "GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        client.send(new DatagramPacket(junk, junk.length, server.localAddress()));
        ByteBuffer allocate = bindingRequest(transactionId());
        allocate.putShort(0, (short) 0x0003); // a TURN Allocate: this is no TURN server
        client.send(new DatagramPacket(allocate.array(), 20, server.localAddress()));

        byte[] tid = transactionId();
        ByteBuffer answer = exchange(bindingRequest(tid));
        assertThat(answer.getShort(0) & 0xffff).isEqualTo(0x0101);
        assertThat(Arrays.copyOfRange(answer.array(), 8, 20)).isEqualTo(tid);
        assertThat(server.bindingRequests()).isEqualTo(1);
    }

    @Test
    void aTakenPortIsAClearError() {
        int taken = server.localAddress().getPort();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> StunServer.start(new InetSocketAddress("127.0.0.1", taken)))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("cannot start the STUN service on UDP")
                .hasMessageContaining(String.valueOf(taken));
    }

    private ByteBuffer exchange(ByteBuffer request) throws Exception {
        byte[] out = request.array();
        client.send(new DatagramPacket(out, out.length, server.localAddress()));
        byte[] in = new byte[1500];
        DatagramPacket p = new DatagramPacket(in, in.length);
        client.receive(p);
        return ByteBuffer.wrap(Arrays.copyOf(in, p.getLength()));
    }

    private static byte[] transactionId() {
        byte[] tid = new byte[12];
        new SecureRandom().nextBytes(tid);
        return tid;
    }

    private static ByteBuffer bindingRequest(byte[] tid) {
        ByteBuffer b = ByteBuffer.allocate(20);
        b.putShort((short) 0x0001).putShort((short) 0).putInt(MAGIC_COOKIE).put(tid);
        return b;
    }

    private static InetSocketAddress xorMappedAddress(ByteBuffer m) throws Exception {
        int length = m.getShort(2) & 0xffff;
        int at = 20;
        while (at < 20 + length) {
            int type = m.getShort(at) & 0xffff;
            int len = m.getShort(at + 2) & 0xffff;
            if (type == XOR_MAPPED_ADDRESS) {
                assertThat(m.get(at + 5)).as("IPv4 family").isEqualTo((byte) 1);
                int port = (m.getShort(at + 6) & 0xffff) ^ (MAGIC_COOKIE >>> 16);
                int addr = m.getInt(at + 8) ^ MAGIC_COOKIE;
                return new InetSocketAddress(InetAddress.getByAddress(ByteBuffer.allocate(4).putInt(addr).array()), port);
            }
            at += 4 + ((len + 3) & ~3);
        }
        throw new AssertionError("no XOR-MAPPED-ADDRESS in the response");
    }
}
