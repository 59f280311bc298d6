package fi.palvelurinki.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fi.palvelurinki.broker.CallKind;
import fi.palvelurinki.broker.ring.Language;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The sorted ring buffer answers as the TreeMap it replaced did, whatever the order of changes. */
class RequestsByIdTest {

    private static RequestState request(long id) {
        return new RequestState(id, CallKind.INSTANT, null, "p", "a", "general", Language.FI, false, "", 0, Instant.EPOCH);
    }

    @Test
    void keepsIdOrderThroughAppendsInsertsAndRemovalsAtEitherEndAndBetween() {
        SplittableRandom rnd = new SplittableRandom(20);
        for (int round = 0; round < 50; round++) {
            RequestsById mine = new RequestsById();
            TreeMap<Long, RequestState> expected = new TreeMap<>();
            long nextId = 1;
            for (int step = 0; step < 2_000; step++) {
                int op = rnd.nextInt(10);
                if (op < 4) {
                    // New requests: ids only grow.
                    RequestState r = request(nextId);
                    nextId += 1 + rnd.nextInt(3);
                    assertThat(mine.add(r)).isTrue();
                    expected.put(r.id, r);
                } else if (op < 5 && nextId > 2) {
                    // Out of order (not what the engine does, but what the structure must survive).
                    long id = 1 + rnd.nextLong(nextId - 1);
                    RequestState r = request(id);
                    assertThat(mine.add(r)).isEqualTo(!expected.containsKey(id));
                    expected.putIfAbsent(id, r);
                } else if (op < 7 && !expected.isEmpty()) {
                    // Answered: mostly the oldest.
                    RequestState r = rnd.nextBoolean() ? expected.firstEntry().getValue() : expected.lastEntry().getValue();
                    assertThat(mine.remove(r)).isTrue();
                    expected.remove(r.id);
                } else if (nextId > 2) {
                    long id = 1 + rnd.nextLong(nextId - 1);
                    assertThat(mine.remove(request(id))).isEqualTo(expected.remove(id) != null);
                }
                if (step % 97 == 0) {
                    assertThat(mine.toList()).containsExactlyElementsOf(expected.values());
                }
            }
            assertThat(mine.size()).isEqualTo(expected.size());
            List<RequestState> iterated = new ArrayList<>();
            mine.forEach(iterated::add);
            assertThat(iterated).containsExactlyElementsOf(expected.values());
            if (!expected.isEmpty()) {
                assertThat(mine.first()).isSameAs(expected.firstEntry().getValue());
                long after = expected.firstKey() + (expected.lastKey() - expected.firstKey()) / 2;
                int from = mine.indexAfter(after);
                assertThat(mine.toList().subList(from, mine.size()))
                        .containsExactlyElementsOf(expected.tailMap(after, false).values());
            }
        }
    }

    @Test
    void emptyHasNoFirstAndEverythingIsAfterAnyId() {
        RequestsById none = new RequestsById();
        assertThat(none.isEmpty()).isTrue();
        assertThat(none.indexAfter(0)).isZero();
        assertThat(none.remove(request(1))).isFalse();
        assertThatThrownBy(none::first).isInstanceOf(NoSuchElementException.class);
        RequestsById some = new RequestsById();
        some.add(request(5));
        some.add(request(9));
        assertThat(some.indexAfter(0)).isZero();
        assertThat(some.indexAfter(5)).isEqualTo(1);
        assertThat(some.indexAfter(9)).isEqualTo(2);
    }
}
