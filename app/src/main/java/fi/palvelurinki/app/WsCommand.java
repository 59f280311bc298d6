package fi.palvelurinki.app;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ws", mixinStandardHelpOptions = true,
        description = {"A line client for trying the protocol by hand (docs/protocol.md): each line you type is sent",
                "as one message; each message received is printed on one line. Sends its own pings so the",
                "connection stays up while you type (their pongs are not printed)."})
final class WsCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--url", defaultValue = "ws://localhost:8080/ws", description = "Server (default ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--token", required = true, description = "Bearer token (bin/palvelurinki token …).")
    String token;

    @Override
    public Integer call() throws Exception {
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        AtomicInteger pings = new AtomicInteger();
        StringBuilder partial = new StringBuilder();
        WebSocket ws;
        try {
            ws = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + token)
                    .buildAsync(url, new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            partial.append(data);
                            if (last) {
                                String m = partial.toString();
                                partial.setLength(0);
                                if (!m.contains("\"re\":\"auto-ping-")) {
                                    System.out.println(m);
                                }
                            }
                            w.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
                            System.err.println("closed: " + status + " " + reason);
                            closed.complete(status == 1000 ? 0 : 1);
                            return null;
                        }

                        @Override
                        public void onError(WebSocket w, Throwable error) {
                            System.err.println("error: " + error);
                            closed.complete(1);
                        }
                    }).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            System.err.println("could not connect to " + url + ": " + e.getCause().getMessage());
            return 1;
        }
        ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ping");
            t.setDaemon(true);
            return t;
        });
        pinger.scheduleAtFixedRate(() -> ws.sendText("{\"type\":\"ping\",\"id\":\"auto-ping-" + pings.incrementAndGet()
                + "\"}", true), 10, 10, TimeUnit.SECONDS);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.isBlank()) {
                        ws.sendText(line.strip(), true).join();
                    }
                }
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
            } catch (Exception e) {
                closed.complete(1);
            }
        }, "stdin");
        reader.setDaemon(true);
        reader.start();
        int rc = closed.get();
        pinger.shutdownNow();
        return rc;
    }
}
