package fi.palvelurinki.broker.routing;

import fi.palvelurinki.broker.BrokerConfig;
import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.Notification;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.JournalEntry;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The routing state machine: a thin dispatcher over the parts that own rings, experts, points,
 * requests, calls and bookings, and every decision about them (see {@link EnginePart} and
 * {@code docs/architecture.md} for the map).
 *
 * <p>Single-threaded by design (the broker thread owns it; see {@code Broker}). Event-sourced: a command
 * is first validated in full — a refused command throws {@link BrokerException} and changes nothing —
 * then its effects are emitted as {@link DomainEvent}s, each applied to the state at once. Replaying the
 * journal applies the same events, so recovered state equals live state. Decisions (offers, timeouts,
 * escalations) are made only in command and timer handling, never while applying, and their
 * notifications are collected for the caller to deliver.
 */
public final class RoutingEngine {
    private final InstantSource clock;
    private final EngineContext cx;
    private final List<EnginePart> parts;
    private final Map<Class<?>, Function<Command, Reply>> commands;
    private final Consumer<DomainEvent>[][] appliers;
    private final QueuePart queues;
    private final LiveUpdatesPart updates;
    private long nowMillis;
    private Instant nowInstant;

    public RoutingEngine(InstantSource clock, RoutingPolicy policy, BrokerConfig config) {
        this.clock = Objects.requireNonNull(clock);
        Objects.requireNonNull(policy);
        this.cx = new EngineContext(Objects.requireNonNull(config), this::apply);
        DirectoryPart directory = new DirectoryPart(cx);
        queues = new QueuePart(cx, policy, directory);
        PresencePart presence = new PresencePart(cx, directory);
        CallsPart calls = new CallsPart(cx, directory);
        BookingsPart bookings = new BookingsPart(cx, directory);
        CallbacksPart callbacks = new CallbacksPart(cx, directory);
        InterpretersPart interpreters = new InterpretersPart(cx, directory);
        updates = new LiveUpdatesPart(cx);
        QueriesPart queries = new QueriesPart(cx, directory, bookings);
        SignInsPart signIns = new SignInsPart(cx);
        // Order matters only where parts share an event or a turning point: they are told in this order.
        parts = List.of(directory, queues, presence, calls, bookings, callbacks, interpreters, updates, queries, signIns);
        Lifecycle lifecycle = Lifecycle.of(List.of(queues, bookings, callbacks, interpreters));
        Routing routing = queues.routing();
        directory.connect(presence, routing, lifecycle, updates);
        queues.connect(calls, callbacks, interpreters, lifecycle, updates,
                OfferGate.both(OfferGate.both(bookings.gate(), callbacks), interpreters));
        presence.connect(queues, calls, updates);
        calls.connect(queues, presence, interpreters, lifecycle, updates);
        interpreters.connect(queues, calls, bookings::interpretersHeld);
        bookings.connect(queues, routing, interpreters);
        callbacks.connect(queues);
        updates.connect(directory, queries, interpreters);
        Wiring wiring = new Wiring();
        for (EnginePart p : parts) {
            wiring.part(p);
            p.register(wiring);
        }
        commands = wiring.commands();
        appliers = wiring.appliers();
    }

    // ------------------------------------------------------------------ outputs

    /** Sequence number of the last event emitted or replayed. */
    public long lastSeq() {
        return cx.lastSeq;
    }

    /** Events emitted since the last call, in order; the caller journals them. */
    public List<DomainEvent> drainEvents() {
        return drain(cx.events);
    }

    public List<Notification> drainNotifications() {
        return drain(cx.notifications);
    }

    /**
     * Moves the notifications made since the last drain to the end of {@code into}: for the broker thread,
     * which reuses one list (a new list per command was a visible share of its allocation).
     */
    public void drainNotificationsInto(List<Notification> into) {
        List<Notification> from = cx.notifications;
        for (int i = 0, size = from.size(); i < size; i++) {
            into.add(from.get(i));
        }
        from.clear();
    }

    private static <T> List<T> drain(List<T> from) {
        if (from.isEmpty()) {
            return List.of();
        }
        List<T> out = new ArrayList<>(from);
        from.clear();
        return out;
    }

    /** Routing decisions evaluated so far (matching a request to experts, or an expert to the queues). */
    public long decisions() {
        return queues.decisions();
    }

    public long offers() {
        return queues.offers();
    }

    /** The earliest instant at which {@link #fireDueTimers()} has work, or null. */
    public Instant nextDeadline() {
        return cx.timers.next();
    }

    // ------------------------------------------------------------------ replay and recovery

    /** Applies a recorded event. No decisions, no notifications. */
    public void replay(JournalEntry entry) {
        if (entry.seq() != cx.lastSeq + 1) {
            throw new IllegalStateException("journal seq " + entry.seq() + " follows " + cx.lastSeq);
        }
        cx.now = entry.event().at();
        apply(entry.event());
        cx.lastSeq = entry.seq();
    }

    /**
     * After replay: nobody is connected any more. Each part records what that means (experts OFFLINE,
     * offers withdrawn, calls ended); waiting requests keep their order and their escalation timers.
     * Nobody is told: nobody is connected.
     */
    public void recover() {
        cx.now = now();
        for (EnginePart p : parts) {
            p.recover();
        }
        cx.notifications.clear();
    }

    // ------------------------------------------------------------------ commands, timers, updates

    /**
     * Handles one command at the clock's current time, in the part that owns it.
     *
     * @throws BrokerException if the command is refused; the state is then unchanged
     */
    public Reply handle(Command command) {
        cx.now = now();
        Function<Command, Reply> handler = commands.get(command.getClass());
        if (handler == null) {
            throw new IllegalArgumentException("unhandled command " + command.getClass().getName());
        }
        return handler.apply(command);
    }

    /** Fires every timer due at the clock's current time, each in the part that set it. */
    public void fireDueTimers() {
        cx.now = now();
        TimerQueue.Timer t;
        while ((t = cx.timers.pollDue(cx.now)) != null) {
            t.handler().fire(t);
        }
    }

    /**
     * Publishes queue positions and estimated waits that changed, and ring figures for operators, for
     * rings whose state changed — each at most once per configured interval.
     */
    public void publishUpdates() {
        if (updates.idle()) {
            return;
        }
        cx.now = now();
        updates.publish();
    }

    /**
     * The clock in whole milliseconds. The same instant while the millisecond lasts: every command and round
     * asks, and two new {@code Instant}s each time (the reading and its truncation) were a visible share of the
     * broker thread's allocation.
     */
    private Instant now() {
        long millis = clock.millis();
        if (millis != nowMillis || nowInstant == null) {
            nowMillis = millis;
            nowInstant = Instant.ofEpochMilli(millis);
        }
        return nowInstant;
    }

    private void apply(DomainEvent event) {
        for (Consumer<DomainEvent> a : appliers[event.type().ordinal()]) {
            a.accept(event);
        }
    }
}
