package fi.palvelurinki.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.broker.CallKind;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.RingConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RingQueueTest {
    private static final RingState RING = new RingState(RingConfig.builder("kela", "kela").name("Kela")
            .topics(Set.of("pension")).languages(Set.of(Language.FI)).build());

    private static RequestState request(long id, int priority) {
        return new RequestState(id, CallKind.INSTANT, RING, "mikkeli", "anna", "pension", Language.FI, false, "",
                priority, Instant.EPOCH);
    }

    @Test
    void positionsAreTheOrderOfServiceAfterManyArrivalsAndDepartures() {
        Random rnd = new Random(7);
        RingQueue queue = new RingQueue();
        List<RequestState> reference = new ArrayList<>();
        for (long id = 1; id <= 5000; id++) {
            RequestState r = request(id, rnd.nextInt(10) == 0 ? 50 : 0);
            assertThat(queue.add(r)).isTrue();
            reference.add(r);
            if (rnd.nextInt(3) == 0) {
                RequestState gone = reference.remove(rnd.nextInt(reference.size()));
                assertThat(queue.remove(gone)).isTrue();
                assertThat(queue.positionOf(gone)).as("a request that left has no place").isZero();
            }
        }
        reference.sort(RequestState.ORDER);
        assertThat(queue.size()).isEqualTo(reference.size());
        assertThat(queue).containsExactlyElementsOf(reference);
        for (int i = 0; i < reference.size(); i++) {
            assertThat(queue.positionOf(reference.get(i))).isEqualTo(i + 1);
        }
    }

    @Test
    void aRequestIsQueuedOnceAndAHigherPriorityGoesAhead() {
        RingQueue queue = new RingQueue();
        RequestState first = request(1, 0);
        RequestState second = request(2, 0);
        RequestState booked = request(3, 50);
        queue.add(first);
        queue.add(second);
        assertThat(queue.add(first)).isFalse();
        assertThat(queue.size()).isEqualTo(2);
        queue.add(booked);
        assertThat(queue.positionOf(booked)).isEqualTo(1);
        assertThat(queue.positionOf(second)).isEqualTo(3);
        assertThat(queue.remove(booked)).isTrue();
        assertThat(queue.remove(booked)).isFalse();
        assertThat(queue.positionOf(second)).isEqualTo(2);
    }

    @Test
    void aWalkFromARequestStartsWhereItStandsOrWouldStand() {
        Random rnd = new Random(11);
        RingQueue queue = new RingQueue();
        List<RequestState> reference = new ArrayList<>();
        List<RequestState> gone = new ArrayList<>();
        for (long id = 1; id <= 3000; id++) {
            RequestState r = request(id, rnd.nextInt(5) == 0 ? 50 : 0);
            queue.add(r);
            reference.add(r);
            if (rnd.nextInt(4) == 0) {
                RequestState g = reference.remove(rnd.nextInt(reference.size()));
                queue.remove(g);
                gone.add(g);
            }
        }
        reference.sort(RequestState.ORDER);
        for (int i = 0; i < reference.size(); i += 97) {
            RequestState r = reference.get(i);
            assertThat(queue.countBefore(r)).isEqualTo(i);
            assertThat(queue.from(r)).toIterable().containsExactlyElementsOf(reference.subList(i, reference.size()));
        }
        for (RequestState g : gone.subList(0, 50)) {
            int before = (int) reference.stream().filter(r -> RequestState.ORDER.compare(r, g) < 0).count();
            assertThat(queue.countBefore(g)).as("a request that left: those that would be ahead").isEqualTo(before);
            assertThat(queue.from(g)).toIterable()
                    .containsExactlyElementsOf(reference.subList(before, reference.size()));
        }
        while (!reference.isEmpty()) {
            assertThat(queue.remove(reference.remove(rnd.nextInt(reference.size())))).isTrue();
        }
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.iterator().hasNext()).isFalse();
    }
}
