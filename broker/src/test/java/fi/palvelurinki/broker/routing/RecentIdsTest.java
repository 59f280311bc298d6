package fi.palvelurinki.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Remembers and forgets exactly as the insertion-ordered {@code LinkedHashMap} it replaced did. */
class RecentIdsTest {

    private static LinkedHashMap<Long, Long> bounded(int capacity) {
        return new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
                return size() > capacity;
            }
        };
    }

    @Test
    void forgetsTheOldestFirstAndKeepsWhatEachSlotHolds() {
        SplittableRandom rnd = new SplittableRandom(20);
        for (int capacity : new int[] {1, 2, 3, 7, 16, 17, 100, 1_000}) {
            RecentIds recent = new RecentIds(capacity);
            long[] values = new long[0];
            LinkedHashMap<Long, Long> expected = bounded(capacity);
            long nextId = 1;
            for (int step = 0; step < 20_000; step++) {
                int op = rnd.nextInt(10);
                long id;
                if (op < 6) {
                    id = nextId;
                    nextId += 1 + rnd.nextInt(3);
                } else if (op < 7) {
                    // Put again, or out of order, or far off (ids of other kinds, zero, negative).
                    id = switch (rnd.nextInt(4)) {
                        case 0 -> 1 + rnd.nextLong(nextId);
                        case 1 -> 0;
                        case 2 -> -rnd.nextLong(1_000);
                        default -> rnd.nextLong();
                    };
                } else {
                    long probe = rnd.nextInt(3) == 0 ? rnd.nextLong() : 1 + rnd.nextLong(nextId + 5);
                    int slot = recent.slotOf(probe);
                    Long value = expected.get(probe);
                    assertThat(slot >= 0).as("remembers %d (capacity %d)", probe, capacity).isEqualTo(value != null);
                    if (value != null) {
                        assertThat(values[slot]).isEqualTo(value);
                    }
                    continue;
                }
                long value = rnd.nextLong();
                int slot = recent.add(id);
                if (slot >= values.length) {
                    values = java.util.Arrays.copyOf(values, recent.slots());
                }
                values[slot] = value;
                expected.put(id, value);
                assertThat(recent.size()).isEqualTo(expected.size());
            }
            for (Map.Entry<Long, Long> e : expected.entrySet()) {
                assertThat(values[recent.slotOf(e.getKey())]).isEqualTo(e.getValue());
            }
        }
    }

    @Test
    void aNewIdAtFullCapacityTakesTheForgottenOnesSlot() {
        RecentIds recent = new RecentIds(3);
        int first = recent.add(10);
        recent.add(11);
        recent.add(12);
        assertThat(recent.add(11)).as("put again: same slot, not newer").isEqualTo(recent.slotOf(11));
        assertThat(recent.add(13)).isEqualTo(first);
        assertThat(recent.slotOf(10)).isEqualTo(-1);
        assertThat(recent.add(14)).as("11 was put again but stays second oldest").isEqualTo(recent.slotOf(14));
        assertThat(recent.slotOf(11)).isEqualTo(-1);
        assertThat(recent.slotOf(12)).isNotNegative();
    }

    @Test
    void refusesNoCapacity() {
        assertThatThrownBy(() -> new RecentIds(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity must be positive");
    }
}
