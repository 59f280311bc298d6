package fi.palvelurinki.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.Notification;
import fi.palvelurinki.broker.ring.Language;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Queue updates for long queues: a round goes through the queue in steps, and a restart tells nobody. */
class LiveUpdatesPartTest {
    private static Harness longQueues() {
        return new Harness(new LongestIdlePolicy(), c -> c.withLimits(200_000, 100_000)
                .withIntervals(Duration.ofMillis(500), Duration.ofSeconds(1))).standard();
    }

    @Test
    void aLongQueueIsToldInStepsAndEveryMoveArrivesWithTheRightPlace() {
        Harness h = longQueues();
        for (int i = 0; i < 12_000; i++) {
            h.call("anna", "kela", "pension", Language.FI);
        }
        h.tick(Duration.ofSeconds(1));
        for (long id = 1; id <= 2_000; id++) {
            h.run(new Command.CancelRequest("anna", id));
        }
        h.clear();
        h.tick(Duration.ofSeconds(1));
        List<Notification.QueueUpdate> first = h.sent(Notification.QueueUpdate.class);
        assertThat(first).as("one step").hasSize(LiveUpdatesPart.STEP);
        h.tick(Duration.ZERO);
        List<Notification.QueueUpdate> all = h.sent(Notification.QueueUpdate.class);
        assertThat(all).as("the second step, without any command in between").hasSize(10_000);
        Map<Long, Integer> told = new HashMap<>();
        for (Notification.QueueUpdate u : all) {
            assertThat(told.put(u.requestId(), u.position())).as("told once").isNull();
        }
        for (long id = 2_001; id <= 12_000; id++) {
            // Everyone moved up by 2,000 places, 10 % or more of their place: worth telling.
            assertThat(told.get(id)).isEqualTo((int) (id - 2_000));
        }
        h.clear();
        h.tick(Duration.ofSeconds(1));
        assertThat(h.sent(Notification.QueueUpdate.class)).as("nothing moved since").isEmpty();
    }

    @Test
    void afterARestartNobodyIsToldUntilTheirPlaceChanges() {
        Harness live = new Harness().standard();
        for (int i = 0; i < 30; i++) {
            live.call(i % 2 == 0 ? "anna" : "bo", "kela", "pension", Language.FI);
        }
        Harness after = new Harness();
        for (var entry : Harness.numbered(live.journal)) {
            after.engine.replay(entry);
        }
        after.clock.set(live.clock.instant().plusSeconds(20));
        after.engine.recover();
        after.collect();
        assertThat(after.sent(Notification.QueueUpdate.class)).as("nobody is connected after a restart").isEmpty();
        after.run(new Command.CancelRequest("anna", 1));
        assertThat(after.sent(Notification.QueueUpdate.class)).extracting(Notification.QueueUpdate::position)
                .as("the first 20 places move by one; further back a move of one is not news")
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 20).boxed().toList());
    }
}
