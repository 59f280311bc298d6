package fi.palvelurinki.broker.testing;

import fi.palvelurinki.broker.Broker;
import fi.palvelurinki.broker.BrokerConfig;
import fi.palvelurinki.broker.CallKind;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.Notification;
import fi.palvelurinki.broker.Party;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.point.Advisor;
import fi.palvelurinki.broker.point.ServicePoint;
import fi.palvelurinki.broker.ring.Authority;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.RingConfig;
import fi.palvelurinki.broker.routing.LongestIdlePolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes a journal the way production does — through a real {@link Broker} — on a manual clock, so that
 * a test knows to the millisecond when everything happened. Time is given in seconds since the start,
 * Tuesday 2026-11-24 10:00 Finnish time; moving the clock fires the broker's timers (offer timeouts,
 * wrap-up ends, cooldowns) each at its own due time, as it would in real time.
 */
public final class JournalScript implements AutoCloseable {
    public final ManualClock clock = ManualClock.tuesdayMorning();
    private final Instant start = clock.instant();
    private final ManualTimerService timers = new ManualTimerService(clock);
    private final Path dataDir;
    private final Queue<Notification.Offer> offers = new ConcurrentLinkedQueue<>();
    private Broker broker;

    private final java.util.function.UnaryOperator<BrokerConfig> backend;

    public JournalScript(Path dataDir) {
        this(dataDir, c -> c);
    }

    /** With the journal where {@code backend} puts it (e.g. {@link BrokerConfig#withPostgres}). */
    public JournalScript(Path dataDir, java.util.function.UnaryOperator<BrokerConfig> backend) {
        this.dataDir = dataDir;
        this.backend = backend;
        startBroker();
    }

    private void startBroker() {
        try {
            broker = Broker.start(backend.apply(BrokerConfig.defaults(dataDir).withFsync(false)
                            .withIntervals(Duration.ZERO, Duration.ZERO)),
                    clock, timers, new LongestIdlePolicy(), n -> {
                        if (n instanceof Notification.Offer o) {
                            offers.add(o);
                        }
                    }, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Instant start() {
        return start;
    }

    /** Seconds since the start. */
    public double now() {
        return Duration.between(start, clock.instant()).toMillis() / 1000.0;
    }

    /** When the broker's next timer is due, in seconds since the start; empty when none is armed. */
    public java.util.OptionalDouble nextTimer() {
        settle();
        return timers.nextDue().map(t -> java.util.OptionalDouble.of(Duration.between(start, t).toMillis() / 1000.0))
                .orElse(java.util.OptionalDouble.empty());
    }

    public Path journalDir() {
        return dataDir.resolve("journal");
    }

    /** Stops and starts the broker at the current time, as a deployment would (recovery is journaled). */
    public JournalScript restart() {
        broker.close();
        startBroker();
        return this;
    }

    /** Moves the clock to {@code seconds} after the start, firing every timer that comes due on the way. */
    public JournalScript at(double seconds) {
        Instant target = start.plusMillis(Math.round(seconds * 1000));
        settle(); // the last command's round has armed its timers
        while (true) {
            Optional<Instant> due = timers.nextDue();
            if (due.isEmpty() || due.get().isAfter(target)) {
                break;
            }
            if (due.get().isAfter(clock.instant())) {
                clock.set(due.get());
            }
            timers.runDue();
            settle();
        }
        clock.set(target);
        settle();
        return this;
    }

    /**
     * Three queries, each submitted when the one before has answered, so that each is handled in a later
     * round of the broker thread: after the first, every due timer has fired; the second is answered
     * once everything before it is durable, in the same step that releases notifications held for
     * durability (an offer held behind an expert's earlier presence change), which the third waits out.
     */
    private void settle() {
        for (int i = 0; i < 3; i++) {
            submit(new Command.ListRings());
        }
    }

    public Reply submit(Command c) {
        try {
            return broker.submit(c).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ configuration

    public JournalScript authority(String id, String name) {
        submit(new Command.DefineAuthority(new Authority(id, name)));
        return this;
    }

    public JournalScript ring(RingConfig ring) {
        submit(new Command.ConfigureRing(ring, "test"));
        return this;
    }

    public JournalScript point(String id, String name, String municipality) {
        submit(new Command.DefinePoint(new ServicePoint(id, name, municipality, 2)));
        return this;
    }

    public JournalScript advisor(String id, String pointId) {
        submit(new Command.DefineAdvisor(new Advisor(id, id, pointId)));
        return this;
    }

    public JournalScript expert(String id, String name, String... rings) {
        submit(new Command.DefineExpert(new ExpertProfile(id, name, Set.of(rings), Set.of(Language.FI), Set.of()), "test"));
        return this;
    }

    // ------------------------------------------------------------------ traffic

    public JournalScript presence(String expertId, Presence p) {
        submit(new Command.SetPresence(expertId, p));
        return this;
    }

    /** An instant call in Finnish on topic "general"; returns the request id. */
    public long request(String advisorId, String ringId) {
        return request(advisorId, ringId, CallKind.INSTANT);
    }

    public long request(String advisorId, String ringId, CallKind kind) {
        int priority = kind == CallKind.BOOKED ? Command.RequestCall.BOOKED_PRIORITY : 0;
        Reply.Queued q = (Reply.Queued) submit(new Command.RequestCall(advisorId, ringId, "general", Language.FI, false,
                "", kind, priority));
        return q.requestId();
    }

    /** Returns the call id. */
    public long accept(String expertId, long requestId) {
        return ((Reply.CallConnected) submit(new Command.AcceptOffer(expertId, requestId))).callId();
    }

    public JournalScript decline(String expertId, long requestId) {
        submit(new Command.DeclineOffer(expertId, requestId));
        return this;
    }

    public JournalScript cancel(String advisorId, long requestId) {
        submit(new Command.CancelRequest(advisorId, requestId));
        return this;
    }

    public JournalScript hangUp(String advisorId, long callId) {
        submit(new Command.Hangup(Party.ADVISOR, advisorId, callId));
        return this;
    }

    public JournalScript expertHangsUp(String expertId, long callId) {
        submit(new Command.Hangup(Party.EXPERT, expertId, callId));
        return this;
    }

    public JournalScript endWrapUp(String expertId) {
        submit(new Command.EndWrapUp(expertId));
        return this;
    }

    /** Offers made since the last call, in the order made: lets a script play the experts. */
    public List<Notification.Offer> newOffers() {
        List<Notification.Offer> out = new ArrayList<>();
        for (Notification.Offer o; (o = offers.poll()) != null; ) {
            out.add(o);
        }
        return out;
    }

    /** The request ringing at the expert now, or null: lets a script check the routing it relies on. */
    public Long offerOf(String expertId) {
        return ((Reply.ExpertStatus) submit(new Command.GetExpert(expertId))).offeredRequestId();
    }

    @Override
    public void close() {
        broker.close();
    }
}
