package fi.palvelurinki.media.bridge;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stub of the Colibri2 REST contract on loopback, NOT a videobridge: it records each request (method, raw path,
 * content type, body) and replays the answers it was given, in order. What a real bridge would answer is
 * Jitsi's fixtures' business ({@link JitsiFixtures}).
 */
final class Colibri2ContractStub implements AutoCloseable {
    record Request(String method, String rawPath, String contentType, String body) {
    }

    record Answer(int status, String body) {
    }

    private final HttpServer server;
    // Handlers off the dispatcher thread: a silent one must not hold up stopping the server.
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final List<Request> requests = new ArrayList<>();
    private final Deque<Answer> answers = new ArrayDeque<>();
    private volatile CountDownLatch released = new CountDownLatch(1);
    private volatile boolean silent;

    Colibri2ContractStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(handlers);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Queues the answer to the next request. */
    synchronized Colibri2ContractStub answer(int status, String body) {
        answers.add(new Answer(status, body));
        return this;
    }

    /**
     * Forgets requests and answers and speaks again; a silent request still hanging is let go. One stub serves a
     * whole test class, because stopping the JDK's server takes up to a second.
     */
    synchronized void reset() {
        requests.clear();
        answers.clear();
        silent = false;
        CountDownLatch old = released;
        released = new CountDownLatch(1);
        old.countDown();
    }

    /** From now on, requests are read and never answered (a hung bridge). */
    void goSilent() {
        silent = true;
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange x) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Answer a;
        CountDownLatch latch;
        synchronized (this) {
            latch = released;
            requests.add(new Request(x.getRequestMethod(), x.getRequestURI().getRawPath(),
                    x.getRequestHeaders().getFirst("Content-Type"), body));
            a = answers.poll();
        }
        if (silent) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.close();
            return;
        }
        if (a == null) {
            a = new Answer(500, "stub: no answer queued");
        }
        byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
        try (OutputStream o = x.getResponseBody()) {
            o.write(out);
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }
}
