package fi.palvelurinki.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimerQueueTest {
    private static final TimerQueue.Handler NOTHING = t -> { };

    @Test
    void firesInTimeOrderAndCancelledTimersNever() {
        Random rnd = new Random(42);
        TimerQueue q = new TimerQueue();
        List<TimerQueue.Timer> live = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            live.add(q.add(Instant.ofEpochMilli(rnd.nextInt(1000)), NOTHING, i, null, 0));
            if (rnd.nextInt(3) == 0) {
                TimerQueue.Timer gone = live.remove(rnd.nextInt(live.size()));
                q.cancel(gone);
                q.cancel(gone);
            }
        }
        assertThat(q.size()).isEqualTo(live.size());
        live.sort(Comparator.comparing((TimerQueue.Timer t) -> t.at).thenComparingLong(t -> t.order));
        List<TimerQueue.Timer> fired = new ArrayList<>();
        TimerQueue.Timer t;
        while ((t = q.pollDue(Instant.ofEpochMilli(2000))) != null) {
            fired.add(t);
        }
        assertThat(fired).containsExactlyElementsOf(live);
    }

    @Test
    void onlyDueTimersAreTaken() {
        TimerQueue q = new TimerQueue();
        q.add(Instant.ofEpochMilli(10), NOTHING, 1, null, 0);
        assertThat(q.pollDue(Instant.ofEpochMilli(9))).isNull();
        assertThat(q.next()).isEqualTo(Instant.ofEpochMilli(10));
        assertThat(q.pollDue(Instant.ofEpochMilli(10)).id()).isEqualTo(1);
        assertThat(q.next()).isNull();
    }
}
