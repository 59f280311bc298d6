package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fi.palvelurinki.signaling.auth.Role;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the WebSocket layer of {@code /ws} does with frames, over real sockets: messages in fragments are joined,
 * pings are answered, the size limits count every fragment, and bytes that are not UTF-8 close the connection as
 * RFC 6455 says. (Messages themselves: the protocol tests.)
 */
class WebSocketFramesTest extends ServerTestBase {

    @Test
    void aMessageInFragmentsIsJoinedAndAnswered() throws Exception {
        WsClient c = f.connect(Role.ADVISOR, "anna");
        c.ws.sendText("{\"type\":\"ping\",", false).join();
        c.ws.sendText("\"id\":\"päivä", false).join();
        c.ws.sendText("-1\"}", true).join();
        JsonNode pong = c.awaitType("pong");
        assertThat(pong.path("re").asText()).as("non-ASCII across fragments").isEqualTo("päivä-1");
        assertThat(c.request(c.msg("ping")).path("type").asText()).as("the next message is read").isEqualTo("pong");
    }

    @Test
    void aPingFrameIsAnsweredWithItsPayload() throws Exception {
        WsClient c = f.connect(Role.ADVISOR, "anna");
        c.ws.sendPing(ByteBuffer.wrap("are you there".getBytes(StandardCharsets.US_ASCII))).join();
        ByteBuffer pong = c.pongFrame.get(10, TimeUnit.SECONDS);
        assertThat(StandardCharsets.US_ASCII.decode(pong).toString()).isEqualTo("are you there");
        assertThat(c.request(c.msg("ping")).path("type").asText()).isEqualTo("pong");
    }

    @Test
    void fragmentsTogetherOverTheLimitCloseWith1009() throws Exception {
        WsClient c = f.connect(Role.ADVISOR, "anna");
        c.ws.sendText("{\"type\":\"ping\",\"id\":\"" + "x".repeat(40_000), false).join();
        c.ws.sendText("y".repeat(40_000) + "\"}", true);
        assertThat(c.closed.get(10, TimeUnit.SECONDS)[0]).as("1009: message too big (64 KiB in all)").isEqualTo(1009);
    }

    @Test
    void aBinaryMessageInFragmentsIsRefusedOnceAndOverOneKiBCloses() throws Exception {
        WsClient c = f.connect(Role.ADVISOR, "anna");
        c.ws.sendBinary(ByteBuffer.wrap(new byte[300]), false).join();
        c.ws.sendBinary(ByteBuffer.wrap(new byte[300]), true).join();
        assertThat(c.awaitType("error").path("code").asText()).isEqualTo("bad_json");
        assertThat(c.request(c.msg("ping")).path("type").asText()).isEqualTo("pong");
        assertThat(c.all("error")).as("one message, one refusal").hasSize(1);

        c.ws.sendBinary(ByteBuffer.wrap(new byte[600]), false).join();
        c.ws.sendBinary(ByteBuffer.wrap(new byte[600]), true);
        assertThat(c.closed.get(10, TimeUnit.SECONDS)[0]).as("1009 over 1 KiB").isEqualTo(1009);
    }

    @Test
    void bytesThatAreNotUtf8CloseWith1007AndAreNotActedOn() throws Exception {
        try (Socket s = new Socket("127.0.0.1", f.ws().getPort())) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            upgrade(in, out, f.token(Role.ADVISOR, "anna"));
            // A ping message whose id has a lone continuation byte (0x80): not UTF-8.
            byte[] bad = "{\"type\":\"ping\",\"id\":\"a?\"}".getBytes(StandardCharsets.US_ASCII);
            bad[bad.length - 3] = (byte) 0x80;
            out.write(maskedFrame(0x1, bad));
            out.flush();
            DataInputStream frames = new DataInputStream(in);
            int opcode = frames.readUnsignedByte() & 0x0F;
            int length = frames.readUnsignedByte() & 0x7F;
            byte[] payload = new byte[length];
            frames.readFully(payload);
            assertThat(opcode).as("a close frame, no pong").isEqualTo(0x8);
            assertThat(((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF)).isEqualTo(1007);
        }
    }

    @Test
    void aReplacementCharacterSentAsUtf8IsText() throws Exception {
        WsClient c = f.connect(Role.ADVISOR, "anna");
        c.sendRaw("{\"type\":\"ping\",\"id\":\"a\uFFFDb\"}");
        assertThat(c.awaitType("pong").path("re").asText()).isEqualTo("a\uFFFDb");
    }

    private static void upgrade(InputStream in, OutputStream out, String token) throws Exception {
        String key = Base64.getEncoder().encodeToString("palvelurinki-tst".getBytes(StandardCharsets.US_ASCII));
        out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer " + token
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("the server answered the upgrade").isNotNegative();
            head.write(b);
        }
        assertThat(head.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 101");
    }

    /** A client's frame (masked, as RFC 6455 requires of clients), fin set, payload under 126 bytes. */
    private static byte[] maskedFrame(int opcode, byte[] payload) {
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        byte[] frame = new byte[2 + 4 + payload.length];
        frame[0] = (byte) (0x80 | opcode);
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }
}
