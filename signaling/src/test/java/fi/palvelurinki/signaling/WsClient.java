package fi.palvelurinki.signaling;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A protocol client over the JDK's WebSocket: what another team's client would be, with test helpers. */
final class WsClient implements WebSocket.Listener {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    final CompletableFuture<int[]> closed = new CompletableFuture<>();
    /** The payload of the first pong frame (an answer to a WebSocket ping, not the protocol's ping message). */
    final CompletableFuture<ByteBuffer> pongFrame = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile boolean reading = true;
    WebSocket ws;
    JsonNode welcome;

    static WsClient open(URI uri, String token) throws Exception {
        WsClient c = new WsClient();
        c.ws = HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .buildAsync(uri, c).get(10, TimeUnit.SECONDS);
        return c;
    }

    /** As a browser does it: the token travels as a subprotocol beside palvelurinki.v1. */
    static WsClient openWithSubprotocol(URI uri, String token) throws Exception {
        WsClient c = new WsClient();
        c.ws = HTTP.newWebSocketBuilder().subprotocols(PalvelurinkiServer.SUBPROTOCOL, "bearer." + token)
                .buildAsync(uri, c).get(10, TimeUnit.SECONDS);
        return c;
    }

    JsonNode hello() {
        return hello(null, 0);
    }

    JsonNode hello(String resumeToken, long lastSeq) {
        ObjectNode m = msg("hello");
        if (resumeToken != null) {
            m.put("resumeToken", resumeToken);
            m.put("lastSeq", lastSeq);
        }
        welcome = request(m);
        return welcome;
    }

    ObjectNode msg(String type) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", type);
        o.put("id", "m" + ids.incrementAndGet());
        return o;
    }

    void sendRaw(String text) {
        ws.sendText(text, true).join();
    }

    void send(ObjectNode m) {
        sendRaw(m.toString());
    }

    /** Sends and waits for the reply (or error) that echoes the message's id. */
    JsonNode request(ObjectNode m) {
        send(m);
        String id = m.get("id").asText();
        return awaitMessage(r -> id.equals(r.path("re").asText(null)));
    }

    JsonNode awaitMessage(Predicate<JsonNode> p) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (JsonNode n : received) {
                if (p.test(n)) {
                    found[0] = n;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    JsonNode awaitType(String type) {
        return awaitMessage(n -> type.equals(n.path("type").asText()));
    }

    /** The n-th (1-based) push of a type, waiting for it. */
    JsonNode awaitType(String type, int nth) {
        await().atMost(Duration.ofSeconds(10)).until(() -> all(type).size() >= nth);
        return all(type).get(nth - 1);
    }

    List<JsonNode> all(String type) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode n : received) {
            if (type.equals(n.path("type").asText())) {
                out.add(n);
            }
        }
        return out;
    }

    long lastSeq() {
        long max = 0;
        for (JsonNode n : received) {
            max = Math.max(max, n.path("seq").asLong());
        }
        return max;
    }

    /** Stops reading: messages pile up on the server, as with a client that hangs. */
    void stopReading() {
        reading = false;
    }

    /** Drops the connection without a close handshake, as a lost network does. */
    void drop() {
        ws.abort();
    }

    void close() {
        ws.sendClose(1000, "bye");
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                received.add(JSON.readTree(partial.toString()));
            } catch (Exception e) {
                throw new IllegalStateException("server sent bad JSON: " + partial, e);
            }
            partial.setLength(0);
        }
        if (reading) {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        throw new IllegalStateException("the protocol has no binary messages");
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        ByteBuffer copy = ByteBuffer.allocate(message.remaining()).put(message).flip();
        pongFrame.complete(copy);
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new int[] {statusCode});
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(new int[] {-1});
    }
}
