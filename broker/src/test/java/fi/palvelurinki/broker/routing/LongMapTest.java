package fi.palvelurinki.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Answers every look-up, insertion and removal as the {@code HashMap<Long, V>} it replaced did. */
class LongMapTest {

    @Test
    void behavesAsAHashMapThroughRandomTurnsOfSequentialAndScatteredIds() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int round = 0; round < 3; round++) {
            LongMap<String> map = new LongMap<>();
            Map<Long, String> expected = new HashMap<>();
            List<Long> live = new ArrayList<>();
            long next = 1;
            for (int step = 0; step < 100_000; step++) {
                int op = rnd.nextInt(100);
                long key;
                if (op < 40) {
                    // A new id in sequence (requests and calls), now and then far off or negative.
                    key = rnd.nextInt(50) == 0 ? rnd.nextLong() : next++;
                    String v = "v" + step;
                    boolean absentOnly = rnd.nextBoolean();
                    String before = absentOnly ? map.putIfAbsent(key, v) : map.put(key, v);
                    String exp = absentOnly ? expected.putIfAbsent(key, v) : expected.put(key, v);
                    same(before, exp);
                    if (exp == null) {
                        live.add(key);
                    }
                } else if (op < 75 && !live.isEmpty()) {
                    // Mostly the oldest end first, as requests are answered in order; some from anywhere.
                    int i = rnd.nextInt(4) == 0 ? rnd.nextInt(live.size()) : rnd.nextInt(Math.min(8, live.size()));
                    key = live.get(i);
                    live.set(i, live.get(live.size() - 1));
                    live.remove(live.size() - 1);
                    // (May be gone already: removed by the next branch, which leaves it listed here.)
                    same(map.remove(key), expected.remove(key));
                } else if (op < 80) {
                    key = next + rnd.nextInt(100) - 50;
                    same(map.remove(key), expected.remove(key));
                } else {
                    key = rnd.nextInt(10) == 0 || live.isEmpty() ? next - rnd.nextInt(5_000) : live.get(rnd.nextInt(live.size()));
                    same(map.get(key), expected.get(key));
                    same(map.containsKey(key), expected.containsKey(key));
                }
                same(map.size(), expected.size());
                // Grow a backlog now and then (the queues during a staff shortage), then let it drain.
                if (step % 50_000 == 10_000) {
                    for (int k = 0; k < 20_000; k++) {
                        map.put(next, "backlog");
                        expected.put(next, "backlog");
                        live.add(next++);
                    }
                }
            }
            List<String> want = new ArrayList<>(expected.values());
            want.sort(null);
            List<String> values = map.values();
            values.sort(null);
            assertThat(values).isEqualTo(want);
        }
    }

    /** Plain comparison: assertj in a loop of a million checks would be most of the test's time. */
    private static void same(Object actual, Object expected) {
        if (!java.util.Objects.equals(actual, expected)) {
            throw new AssertionError("expected " + expected + " but was " + actual);
        }
    }

    @Test
    void anOldIdStaysReachableWhileManyNewerOnesComeAndGo() {
        // A request that waits while a hundred thousand later ones are answered (another ring's queue).
        LongMap<String> map = new LongMap<>();
        map.put(1, "old");
        for (long id = 2; id < 100_000; id++) {
            map.put(id, "new");
            if (id > 9) {
                assertThat(map.remove(id - 8)).isEqualTo("new");
            }
        }
        assertThat(map.get(1)).isEqualTo("old");
        assertThat(map.size()).isEqualTo(1 + 8);
        assertThat(map.get(2)).isNull();
        assertThat(map.get(99_999)).isEqualTo("new");
        assertThat(map.remove(1)).isEqualTo("old");
        assertThat(map.get(1)).isNull();
    }

    @Test
    void refusesANullValue() {
        assertThatThrownBy(() -> new LongMap<String>().put(1, null)).isInstanceOf(NullPointerException.class);
    }
}
