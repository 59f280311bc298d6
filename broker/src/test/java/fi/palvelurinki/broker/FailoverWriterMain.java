package fi.palvelurinki.broker;

import fi.palvelurinki.broker.point.Advisor;
import fi.palvelurinki.broker.point.ServicePoint;
import fi.palvelurinki.broker.ring.Authority;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.RingConfig;
import fi.palvelurinki.broker.routing.LongestIdlePolicy;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The active node of {@link FailoverTest}: a broker on the journal in PostgreSQL (args: URL, lease TTL in
 * ms) that queues calls as fast as the journal takes them, printing {@code ACK <id>} for each one
 * acknowledged and {@code REFUSED <why>} once when the broker stops accepting, until it is killed.
 */
public final class FailoverWriterMain {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        Duration ttl = Duration.ofMillis(Long.parseLong(args[1]));
        InstantSource clock = InstantSource.system();
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        BrokerConfig config = BrokerConfig.defaults(java.nio.file.Path.of("unused")).withLimits(1_000_000, 1_000_000)
                .withPostgres(new BrokerConfig.Postgres(url, "http://active", ttl));
        Broker broker = Broker.start(config, clock, new ScheduledTimerService(clock), new LongestIdlePolicy(),
                NotificationSink.DISCARD, null);
        broker.submit(new Command.DefineAuthority(new Authority("kela", "Kela"))).get(10, TimeUnit.SECONDS);
        broker.submit(new Command.ConfigureRing(RingConfig.builder("kela", "kela").build(), "failover-test"))
                .get(10, TimeUnit.SECONDS);
        broker.submit(new Command.DefinePoint(new ServicePoint("p", "Point", "Mikkeli", 1))).get(10, TimeUnit.SECONDS);
        broker.submit(new Command.DefineAdvisor(new Advisor("a", "Advisor", "p"))).get(10, TimeUnit.SECONDS);
        out.println("READY");
        out.flush();
        Semaphore inFlight = new Semaphore(256);
        AtomicBoolean refused = new AtomicBoolean();
        for (int i = 0; ; i++) {
            inFlight.acquire();
            broker.submit(Command.RequestCall.instant("a", "kela", "general", Language.FI, "customer " + i))
                    .whenComplete((reply, error) -> {
                        synchronized (out) {
                            if (reply instanceof Reply.Queued q) {
                                out.println("ACK " + q.requestId());
                            } else if (error != null && refused.compareAndSet(false, true)) {
                                out.println("REFUSED " + error.getMessage());
                            }
                            out.flush();
                        }
                        inFlight.release();
                    });
            if (refused.get()) {
                inFlight.acquire();
                inFlight.release();
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
            }
        }
    }
}
