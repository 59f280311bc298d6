package fi.palvelurinki.app;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
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
        header = "A line client for trying the protocol by hand.",
        description = {"A line client for trying the protocol by hand (docs/protocol.md): each line you type is sent",
                "as one message; each message received is printed on one line. Sends its own pings so the",
                "connection stays up while you type (their pongs are not printed)."})
final class WsCommand implements java.util.concurrent.Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--url", defaultValue = "ws://localhost:8080/ws", split = ",",
            description = "Server (default ${DEFAULT-VALUE}); for two nodes a comma-separated list, tried in turn: a"
                    + " standby refuses, the active one answers.")
    java.util.List<URI> urls;

    @Option(names = "--token", required = true, description = "Bearer token (bin/palvelurinki token …).")
    String token;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (URI url : urls) {
            if (url.getScheme() == null || !(url.getScheme().equals("ws") || url.getScheme().equals("wss"))) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--url must start with ws:// or"
                        + " wss://, got " + url);
            }
        }
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        AtomicInteger pings = new AtomicInteger();
        StringBuilder partial = new StringBuilder();
        WebSocket ws = null;
        for (int i = 0; ws == null; i++) {
            URI url = urls.get(i);
            boolean lastUrl = i == urls.size() - 1;
            try {
                ws = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + token)
                        .buildAsync(url, new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                                partial.append(data);
                                if (lastUrl) {
                                    String m = partial.toString();
                                    partial.setLength(0);
                                    if (!m.contains("\"re\":\"auto-ping-")) {
                                        out.println(m);
                                    }
                                }
                                w.request(1);
                                return null;
                            }

                            @Override
                            public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
                                err.println("closed: " + status + " " + reason);
                                closed.complete(status == 1000 ? 0 : 1);
                                return null;
                            }

                            @Override
                            public void onError(WebSocket w, Throwable error) {
                                err.println("error: " + error);
                                closed.complete(1);
                            }
                        }).get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                err.println("could not connect to " + url + ": " + why(e.getCause()));
                if (lastUrl) {
                    return 1;
                }
            } catch (java.util.concurrent.TimeoutException e) {
                err.println("could not connect to " + url + ": no answer within 10 s");
                if (lastUrl) {
                    return 1;
                }
            }
        }
        WebSocket connected = ws;
        ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ping");
            t.setDaemon(true);
            return t;
        });
        pinger.scheduleAtFixedRate(() -> connected.sendText("{\"type\":\"ping\",\"id\":\"auto-ping-" + pings.incrementAndGet()
                + "\"}", true), 10, 10, TimeUnit.SECONDS);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.isBlank()) {
                        connected.sendText(line.strip(), true).join();
                    }
                }
                connected.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
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

    /** Tells a refused token from a server that is not there: the JDK's exceptions say "null" for both. */
    static String why(Throwable t) {
        if (t instanceof WebSocketHandshakeException h) {
            int status = h.getResponse().statusCode();
            return status == 401 ? "the server refused the token (HTTP 401): it is expired, signed with another "
                    + "server's secret, or names a user the server does not have; get one with bin/palvelurinki token"
                    : "the server answered HTTP " + status + " instead of opening a WebSocket: is the path /ws?";
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.net.ConnectException) {
                return "nothing is listening there (connection refused): is the server running, on this port?";
            }
            if (c instanceof java.net.UnknownHostException || c instanceof java.nio.channels.UnresolvedAddressException) {
                return "unknown host";
            }
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
