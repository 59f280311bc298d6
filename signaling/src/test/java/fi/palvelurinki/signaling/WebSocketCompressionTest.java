package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.signaling.auth.Role;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The upgrade a browser sends offers permessage-deflate; the server declines it, so that no session holds a
 * zlib deflater and inflater (docs/performance.md, memory per session).
 */
class WebSocketCompressionTest extends ServerTestBase {

    private List<String> upgradeResponse(String path) throws Exception {
        try (Socket s = new Socket("127.0.0.1", f.server.port())) {
            s.setSoTimeout(10_000);
            String request = "GET " + path + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + f.server.port() + "\r\n"
                    + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    // What Chromium sends.
                    + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                    + "Sec-WebSocket-Protocol: palvelurinki.v1, bearer." + f.token(Role.ADVISOR, "anna") + "\r\n\r\n";
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            List<String> lines = new ArrayList<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                lines.add(line);
            }
            return lines;
        }
    }

    @Test
    void theUpgradeDeclinesPerMessageDeflateThatBrowsersOffer() throws Exception {
        List<String> response = upgradeResponse("/ws");
        assertThat(response.get(0)).isEqualTo("HTTP/1.1 101 Switching Protocols");
        assertThat(response).contains("Sec-WebSocket-Protocol: palvelurinki.v1");
        assertThat(response).noneMatch(h -> h.toLowerCase(java.util.Locale.ROOT).startsWith("sec-websocket-extensions"));
    }
}
