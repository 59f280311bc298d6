package fi.palvelurinki.broker.testing;

import static org.awaitility.Awaitility.await;

import fi.palvelurinki.broker.Broker;
import fi.palvelurinki.broker.Command;
import java.util.concurrent.TimeUnit;

/**
 * Waits until the broker has done everything already asked of it: commands and timer wake-ups queued
 * before this call are handled, their events durable and every notification they made delivered. A test
 * that asserts "nothing happened" after moving the clock must call this first, or a timer that fired too
 * early could still be on its way and the assertion would pass anyway.
 */
public final class Settle {
    private Settle() {}

    public static void settle(Broker broker) {
        // A query is answered inside its round, before that round fires the timers that came due: the
        // second query runs in a later round, after everything queued before the first.
        roundTrip(broker);
        roundTrip(broker);
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> broker.health().durableSeq() == broker.health().appendedSeq());
        // Notifications held for durability are released at the end of a round that sees them durable.
        roundTrip(broker);
        roundTrip(broker);
    }

    private static void roundTrip(Broker broker) {
        try {
            broker.submit(new Command.GetRingStatus(null)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the broker did not answer", e);
        }
    }
}
