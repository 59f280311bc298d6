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

    /**
     * Timers of several kinds, each kind mostly set a fixed time ahead of an advancing clock (the lanes) and
     * sometimes not (the heap), added, removed and fired in random turns: they fire exactly in the order of
     * one sorted set by time and order of adding.
     */
    @Test
    void lanesAndHeapTogetherFireInTimeOrder() {
        Random rnd = new Random(20);
        TimerQueue.Handler[] kinds = new TimerQueue.Handler[5];
        for (int k = 0; k < kinds.length; k++) {
            kinds[k] = t -> { };
        }
        long[] ahead = {0, 1, 200, 30_000, 60_000};
        Comparator<TimerQueue.Timer> byTime = Comparator.comparing((TimerQueue.Timer t) -> t.at)
                .thenComparingLong(t -> t.order);
        for (int round = 0; round < 20; round++) {
            TimerQueue q = new TimerQueue();
            java.util.TreeSet<TimerQueue.Timer> expected = new java.util.TreeSet<>(byTime);
            List<TimerQueue.Timer> live = new ArrayList<>();
            long now = 1_000_000;
            for (int step = 0; step < 5_000; step++) {
                int op = rnd.nextInt(10);
                if (op < 5) {
                    int k = rnd.nextInt(kinds.length);
                    long at = rnd.nextInt(8) == 0 ? now + rnd.nextInt(70_000) - 1_000 : now + ahead[k];
                    TimerQueue.Timer t = q.add(Instant.ofEpochMilli(at).plusNanos(rnd.nextInt(3)), kinds[k], step, null, 0);
                    live.add(t);
                    expected.add(t);
                } else if (op < 8 && !live.isEmpty()) {
                    TimerQueue.Timer gone = live.remove(rnd.nextInt(live.size()));
                    q.cancel(gone);
                    q.cancel(gone);
                    expected.remove(gone);
                } else {
                    now += rnd.nextInt(op == 9 ? 20_000 : 50);
                    Instant due = Instant.ofEpochMilli(now);
                    TimerQueue.Timer t;
                    while ((t = q.pollDue(due)) != null) {
                        assertThat(t).isSameAs(expected.pollFirst());
                        assertThat(t.at).isBeforeOrEqualTo(due);
                        live.remove(t);
                        q.cancel(t);
                    }
                    assertThat(expected.isEmpty() || expected.first().at.isAfter(due)).isTrue();
                }
                assertThat(q.size()).isEqualTo(expected.size());
                assertThat(q.next()).isEqualTo(expected.isEmpty() ? null : expected.first().at);
            }
        }
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
