package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fi.palvelurinki.signaling.auth.Role;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Candidates bounced advisor → expert → advisor through the relay arrive complete and in order. The
 * round-trip time on loopback is printed for the record (speed is measured by the load test, not
 * asserted here).
 */
class RelayRoundTripTest extends ServerTestBase {

    /** A bare client that hands each message to a queue, so that nothing polls. */
    static final class Pipe implements WebSocket.Listener {
        final BlockingQueue<JsonNode> in = new LinkedBlockingQueue<>();
        final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    in.add(WsClient.JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        JsonNode next(String type) throws InterruptedException {
            while (true) {
                JsonNode n = in.poll(10, TimeUnit.SECONDS);
                assertThat(n).as("a " + type + " arrives").isNotNull();
                if (type.equals(n.path("type").asText())) {
                    return n;
                }
            }
        }
    }

    @Test
    void candidatesBounceThroughTheRelayInOrder() throws Exception {
        Call call = connectedCall("anna", "e1");
        long callId = call.callId();
        call.advisor().close();
        call.expert().close();

        HttpClient http = HttpClient.newHttpClient();
        Pipe ap = new Pipe();
        Pipe ep = new Pipe();
        WebSocket aw = http.newWebSocketBuilder().header("Authorization", "Bearer " + f.token(Role.ADVISOR, "anna"))
                .buildAsync(f.ws(), ap).get(10, TimeUnit.SECONDS);
        WebSocket ew = http.newWebSocketBuilder().header("Authorization", "Bearer " + f.token(Role.EXPERT, "e1"))
                .buildAsync(f.ws(), ep).get(10, TimeUnit.SECONDS);
        aw.sendText("{\"type\":\"hello\",\"id\":\"h\"}", true).join();
        ew.sendText("{\"type\":\"hello\",\"id\":\"h\"}", true).join();
        ap.next("welcome");
        ep.next("welcome");

        int n = 1000; // SDP messages: not counted against the candidates limit
        long[] rtt = new long[n];
        for (int i = 0; i < n; i++) {
            String c = "{\"type\":\"signal\",\"id\":\"s" + i + "\",\"callId\":" + callId
                    + ",\"sdp\":{\"type\":\"offer\",\"sdp\":\"probe " + i + "\"}}";
            long t0 = System.nanoTime();
            aw.sendText(c, true).join();
            JsonNode atExpert = ep.next("signal");
            assertThat(atExpert.path("sdp").path("sdp").asText()).isEqualTo("probe " + i);
            ew.sendText(c.replace("\"offer\"", "\"answer\""), true).join();
            JsonNode back = ap.next("signal");
            rtt[i] = System.nanoTime() - t0;
            assertThat(back.path("sdp").path("sdp").asText()).isEqualTo("probe " + i);
            assertThat(back.path("from").asText()).isEqualTo("expert");
        }
        Arrays.sort(rtt);
        System.out.printf("relay round trip on loopback over %d round trips: median %.0f µs, p90 %.0f µs, max %.0f µs%n",
                n, rtt[n / 2] / 1e3, rtt[n * 9 / 10] / 1e3, rtt[n - 1] / 1e3);
    }
}
