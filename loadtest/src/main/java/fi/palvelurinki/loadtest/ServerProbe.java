package fi.palvelurinki.loadtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

/** Reads the server's {@code /metrics} and asks the benchmark endpoint for a full GC. */
public final class ServerProbe {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(60))
            .sslContext(TlsFront.jdkClient()).build();
    private final Supplier<URI> server;

    public ServerProbe(URI base) {
        this(() -> base);
    }

    /** Asks whichever server {@code server} names at the time (the node that serves, when there are two). */
    ServerProbe(Supplier<URI> server) {
        this.server = server;
    }

    /**
     * Full GC in the server (benchmark flag only; twice, so that what the first freed is settled), then the
     * heap in use as the server measured it right after, in bytes.
     */
    public long heapAfterGc() throws IOException, InterruptedException {
        gc();
        return gc();
    }

    private long gc() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.get().resolve("/bench/gc"))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("POST /bench/gc answered " + r.statusCode() + ": is the server started with --bench-relay?");
        }
        return Long.parseLong(r.body().trim());
    }

    /** Sum of jvm_memory_used_bytes over the heap pools. */
    public long heapUsed() throws IOException, InterruptedException {
        return (long) sum("jvm_memory_used_bytes{", "area=\"heap\"");
    }

    /** The sum of the samples of one metric whose labels contain {@code labelPart}. */
    public double sum(String metricPrefix, String labelPart) throws IOException, InterruptedException {
        String text = metrics();
        double total = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith(metricPrefix) && line.contains(labelPart)) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    public String metrics() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.get().resolve("/metrics")).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("/metrics answered " + r.statusCode());
        }
        return r.body();
    }

    /** Which node serves: of two on one PostgreSQL journal, the active answers /healthz 200 and the standby 503. */
    static final class Health {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .sslContext(TlsFront.jdkClient()).build();

        boolean serves(URI base) throws InterruptedException {
            try {
                return http.send(HttpRequest.newBuilder(base.resolve("/healthz")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        }
    }
}
