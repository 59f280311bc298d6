package fi.palvelurinki.broker.routing;

/**
 * One concern of the routing engine: queues and offers, calls, presence, bookings, live updates, …
 *
 * <p>A part owns its state, the commands it answers, the events it emits and how they are applied
 * (live and on replay), and its timers. It declares the commands and events in {@link #register};
 * the engine dispatches to it and checks at construction that every command has exactly one owner
 * and every event at least one applier. Timers carry their part's handler
 * ({@link EngineContext#schedule}).
 *
 * <p>Parts talk through narrow interfaces, never each other's fields: {@link Routing} (offer a request,
 * serve an expert), {@link OfferGate} (a rule that keeps experts from requests), {@link Lifecycle}
 * (turning points of requests and calls, where another part may add its own events), {@link RingChanges}
 * (tell live updates a ring changed), and the lookups each part offers. A new kind of party or call is
 * a new part: it registers its commands and events, may react to {@link Lifecycle} turns, may add an
 * {@link OfferGate}, and queues requests through {@link QueuePart#queue}.
 *
 * <p>Rules for appliers, which also run on replay: an applier changes only its own part's state, makes
 * no decisions and sends nothing; when several parts apply one event, each may rely only on the event
 * and its own state (they run in the order the parts were given to the engine).
 */
interface EnginePart {
    void register(Wiring wiring);

    /**
     * After replay, before the broker takes commands: what a restart means for this part (nobody is
     * connected any more). May emit events. Parts recover in the order they were given to the engine.
     */
    default void recover() {
    }
}
