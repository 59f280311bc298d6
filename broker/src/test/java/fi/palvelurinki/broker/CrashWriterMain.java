package fi.palvelurinki.broker;

import fi.palvelurinki.broker.point.Advisor;
import fi.palvelurinki.broker.point.ServicePoint;
import fi.palvelurinki.broker.ring.Authority;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.RingConfig;
import fi.palvelurinki.broker.routing.LongestIdlePolicy;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The child process of {@link CrashRecoveryTest}: queues calls (or, with {@code bookings}, books
 * consecutive slots) as fast as the journal takes them and prints {@code ACK <id>} for each one the
 * broker has acknowledged, until it is killed.
 */
public final class CrashWriterMain {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        InstantSource clock = InstantSource.system();
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        Broker broker = Broker.start(BrokerConfig.defaults(dir).withLimits(1_000_000, 1_000_000), clock,
                new ScheduledTimerService(clock), new LongestIdlePolicy(), NotificationSink.DISCARD, null);
        broker.submit(new Command.DefineAuthority(new Authority("kela", "Kela"))).get(10, TimeUnit.SECONDS);
        broker.submit(new Command.ConfigureRing(RingConfig.builder("kela", "kela").build(), "crash-test"))
                .get(10, TimeUnit.SECONDS);
        broker.submit(new Command.DefinePoint(new ServicePoint("p", "Point", "Mikkeli", 1))).get(10, TimeUnit.SECONDS);
        broker.submit(new Command.DefineAdvisor(new Advisor("a", "Advisor", "p"))).get(10, TimeUnit.SECONDS);
        if (args.length > 1 && args[1].equals("bookings")) {
            bookForever(broker, clock, out);
            return;
        }
        if (args.length > 1 && args[1].equals("joint")) {
            jointOffersForever(broker, out);
            return;
        }
        out.println("READY");
        out.flush();
        Semaphore inFlight = new Semaphore(512);
        for (int i = 0; ; i++) {
            inFlight.acquire();
            broker.submit(Command.RequestCall.instant("a", "kela", "general", Language.FI, "customer " + i))
                    .whenComplete((reply, error) -> {
                        if (reply instanceof Reply.Queued q) {
                            synchronized (out) {
                                out.println("ACK " + q.requestId());
                                out.flush();
                            }
                        }
                        inFlight.release();
                    });
        }
    }

    /** One expert, five-minute slots around the clock: every slot from tomorrow on is booked in turn. */
    private static void bookForever(Broker broker, InstantSource clock, PrintStream out) throws Exception {
        broker.submit(new Command.DefineExpert(new fi.palvelurinki.broker.expert.ExpertProfile("x", "Expert",
                java.util.Set.of("kela"), java.util.Set.of(Language.FI), java.util.Set.of()), "crash-test"))
                .get(10, TimeUnit.SECONDS);
        broker.submit(new Command.DefineService(new fi.palvelurinki.broker.booking.BookableService("s", "kela", "Slot",
                "general", java.time.Duration.ofMinutes(5), java.time.Duration.ZERO, java.time.Duration.ZERO,
                java.time.Duration.ofDays(366), java.time.Duration.ZERO, java.time.Duration.ofMinutes(1)), "crash-test"))
                .get(10, TimeUnit.SECONDS);
        // The slots start tomorrow by the wall clock: the test learns when, so that it works on any date.
        java.time.Instant first = java.time.LocalDate.now(fi.palvelurinki.broker.ring.OpeningHours.ZONE).plusDays(1)
                .atStartOfDay(fi.palvelurinki.broker.ring.OpeningHours.ZONE).toInstant();
        out.println("FIRST " + first);
        out.println("READY");
        out.flush();
        Semaphore inFlight = new Semaphore(256);
        for (int i = 0; ; i++) {
            inFlight.acquire();
            broker.submit(new Command.Book("a", "kela", "s", first.plusSeconds(300L * i), Language.FI, null, "slot " + i))
                    .whenComplete((reply, error) -> {
                        if (reply instanceof Reply.BookingView b) {
                            synchronized (out) {
                                out.println("ACK " + b.booking().id());
                                out.flush();
                            }
                        }
                        inFlight.release();
                    });
        }
    }

    /**
     * Joint offers, one after another: for each, a new expert and a new interpreter sign in, a call with an
     * Arabic interpreter is requested (offered to both at once), and the expert accepts: {@code ACK <request>}
     * once the broker has acknowledged that acceptance (the expert is held, the interpreter's offer rings).
     */
    private static void jointOffersForever(Broker broker, PrintStream out) throws Exception {
        broker.submit(new Command.DefineAuthority(new Authority("tulkkaus", "Tulkkaus"))).get(10, TimeUnit.SECONDS);
        broker.submit(new Command.ConfigureRing(RingConfig.builder("tulkit", "tulkkaus")
                .interpreting(java.util.Set.of("ar")).build(), "crash-test")).get(10, TimeUnit.SECONDS);
        out.println("READY");
        out.flush();
        for (int i = 0; ; i++) {
            broker.submit(new Command.DefineExpert(new fi.palvelurinki.broker.expert.ExpertProfile("e" + i, "Expert",
                    java.util.Set.of("kela"), java.util.Set.of(Language.FI), java.util.Set.of()), "crash-test"));
            broker.submit(new Command.DefineExpert(new fi.palvelurinki.broker.expert.ExpertProfile("t" + i, "Interpreter",
                    java.util.Set.of("tulkit"), java.util.Set.of(Language.FI), java.util.Set.of()), "crash-test"));
            broker.submit(new Command.SetPresence("e" + i, fi.palvelurinki.broker.expert.Presence.AVAILABLE));
            broker.submit(new Command.SetPresence("t" + i, fi.palvelurinki.broker.expert.Presence.AVAILABLE));
            Reply.Queued q = (Reply.Queued) broker.submit(new Command.RequestCall("a", "kela", "general", Language.FI,
                    false, "customer " + i, CallKind.INSTANT, 0, "ar")).get(10, TimeUnit.SECONDS);
            broker.submit(new Command.AcceptOffer("e" + i, q.requestId())).get(10, TimeUnit.SECONDS);
            out.println("ACK " + q.requestId());
            out.flush();
        }
    }
}
