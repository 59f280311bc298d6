package fi.palvelurinki.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bookings over the API during the call traffic (scenario {@code bookingRate}): Poisson arrivals, each an
 * advisor booking a random slot of the next three days in a random ring ({@code POST /api/bookings}, the
 * 5-minute service the generated configuration gives each ring). A 201 is an acknowledged booking; a 409
 * (another booking took the slot's last place) is counted apart; anything else is an error, except while
 * the server is down in the restart scenario.
 */
final class Bookings {
    private static final ZoneId FINLAND = ZoneId.of("Europe/Helsinki");
    private static final int DAYS = 3;

    private final LoadRun run;
    /** Per server process: a connection kept alive to a killed server must not carry a request to the next. */
    private volatile HttpClient http = newClient();
    private volatile int httpGeneration;
    private final List<Population.Advisor> advisors;
    private final List<String> tokens = new ArrayList<>();
    private final Map<String, List<String>> slots = new HashMap<>();
    private final SplittableRandom random;
    private final AtomicLong notes = new AtomicLong();

    Bookings(LoadRun run) {
        this.run = run;
        this.advisors = run.pop.advisors;
        this.random = new SplittableRandom(run.s.seed() + 13);
        for (Population.Advisor a : advisors) {
            tokens.add(run.advisorToken(a));
        }
    }

    /** Reads each ring's slots of the next days, as the first advisor's point sees them. */
    void prepare() throws IOException, InterruptedException {
        LocalDate today = LocalDate.now(FINLAND);
        for (String ring : run.pop.rings) {
            List<String> starts = new ArrayList<>();
            for (int d = 1; d <= DAYS; d++) {
                JsonNode r = get("/api/slots?ring=" + ring + "&service=" + Population.service(ring) + "&date="
                        + today.plusDays(d) + "&language=fi", tokens.get(0));
                r.path("slots").forEach(s -> starts.add(s.path("start").asText()));
            }
            if (starts.isEmpty()) {
                throw new IOException("ring " + ring + " has no free slot in the next " + DAYS + " days");
            }
            slots.put(ring, starts);
        }
    }

    /** Books at Poisson times from now until {@code end} (nanoTime); returns when the last is sent. */
    void pace(long end) throws InterruptedException {
        RelayBench.pace(new Poisson(run.s.seed() + 17, run.s.bookingRate(), System.nanoTime()), end, t -> {
            int advisor = random.nextInt(advisors.size());
            String ring = run.pop.rings.get(random.nextInt(run.pop.rings.size()));
            List<String> starts = slots.get(ring);
            String start = starts.get(random.nextInt(starts.size()));
            run.ws.nextLoop().schedule(() -> book(t, advisor, ring, start), Math.max(0, t - System.nanoTime()),
                    TimeUnit.NANOSECONDS);
        });
    }

    private void book(long intended, int advisor, String ring, String start) {
        String body = "{\"ring\":\"" + ring + "\",\"service\":\"" + Population.service(ring) + "\",\"start\":\""
                + start + "\",\"language\":\"fi\",\"note\":\"b" + notes.incrementAndGet() + "\"}";
        int generation = run.generation;
        boolean sentWhileDown = run.serverDown;
        HttpClient client = client(generation);
        HttpRequest req = HttpRequest.newBuilder(run.http.resolve("/api/bookings")).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + tokens.get(advisor)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        run.stats.sent.increment();
        client.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
            long now = System.nanoTime();
            run.stats.received.increment();
            boolean down = sentWhileDown || generation < run.killed;
            if (e != null) {
                if (down) {
                    run.stats.bookingsServerDown.increment();
                } else {
                    run.stats.error("booking_failed:" + rootCause(e).getClass().getSimpleName());
                    if (LoadRun.DEBUG) {
                        System.err.println("booking " + body + " at " + now + " (sent " + intended + ") failed: " + e);
                        e.printStackTrace();
                    }
                }
            } else if (r.statusCode() == 201) {
                try {
                    JsonNode b = LoadRun.JSON.readTree(r.body()).path("booking");
                    run.stats.bookingsConfirmed.increment();
                    run.stats.booking.recordNanos(now - intended);
                    run.ledger.bookingConfirmed(generation, b.path("id").asLong(), Instant.parse(b.path("start").asText()));
                } catch (IOException | RuntimeException x) {
                    run.stats.error("booking_unparseable");
                }
            } else if (r.statusCode() == 409 && r.body().contains("\"slot_taken\"")) {
                run.stats.bookingsSlotTaken.increment();
            } else if (r.statusCode() == 503 && down) {
                run.stats.bookingsServerDown.increment();
            } else {
                run.stats.error("booking:" + r.statusCode());
                if (LoadRun.DEBUG) {
                    System.err.println("booking " + body + " -> " + r.statusCode() + " " + r.body());
                }
            }
        });
    }

    /** The confirmed bookings on the days of {@code starts}, by id, with their start, as the server has them. */
    Map<Long, Instant> confirmed(Collection<Instant> starts) throws IOException, InterruptedException {
        Map<Long, Instant> out = new HashMap<>();
        if (starts.isEmpty()) {
            return out;
        }
        LocalDate from = starts.stream().min(Instant::compareTo).orElseThrow().atZone(FINLAND).toLocalDate();
        LocalDate to = starts.stream().max(Instant::compareTo).orElseThrow().atZone(FINLAND).toLocalDate();
        JsonNode r = get("/api/bookings?from=" + from + "&to=" + to, run.operatorToken());
        for (JsonNode b : r.path("bookings")) {
            if ("confirmed".equals(b.path("status").asText())) {
                out.put(b.path("id").asLong(), Instant.parse(b.path("start").asText()));
            }
        }
        return out;
    }

    private static HttpClient newClient() {
        // Over https (loadtest --tls) the spawned server's certificate is a throwaway one: TlsFront trusts it.
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).sslContext(TlsFront.jdkClient()).build();
    }

    private synchronized HttpClient client(int generation) {
        if (generation != httpGeneration) {
            http = newClient();
            httpGeneration = generation;
        }
        return http;
    }

    private JsonNode get(String pathAndQuery, String token) throws IOException, InterruptedException {
        HttpResponse<String> r = client(run.generation).send(HttpRequest.newBuilder(URI.create(run.http.toString().replaceAll("/$", "")
                + pathAndQuery)).timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + pathAndQuery + " answered " + r.statusCode() + ": " + r.body());
        }
        return LoadRun.JSON.readTree(r.body());
    }

    private static Throwable rootCause(Throwable e) {
        while (e.getCause() != null && e.getCause() != e) {
            e = e.getCause();
        }
        return e;
    }
}
