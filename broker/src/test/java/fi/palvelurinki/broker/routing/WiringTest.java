package fi.palvelurinki.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.journal.DomainEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How parts are put together: one owner per command, every command and event owned. */
class WiringTest {
    @Test
    void twoPartsCannotAnswerTheSameCommand() {
        Wiring w = new Wiring();
        EnginePart a = x -> x.command(Command.ListRings.class, c -> Reply.Done.INSTANCE);
        w.part(a);
        a.register(w);
        assertThatThrownBy(() -> a.register(w)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ListRings");
    }

    @Test
    void aCommandOrEventThatNoPartTakesIsFoundAtConstruction() {
        Wiring w = new Wiring();
        assertThatThrownBy(w::commands).isInstanceOf(IllegalStateException.class).hasMessageContaining("no part handles");
        assertThatThrownBy(w::appliers).isInstanceOf(IllegalStateException.class).hasMessageContaining("no part applies");
    }

    @Test
    void severalPartsApplyOneEventInTheOrderTheyWereGiven() {
        Wiring w = new Wiring();
        List<String> order = new ArrayList<>();
        for (String name : List.of("first", "second")) {
            w.event(DomainEvent.Type.CALL_ENDED, DomainEvent.CallEnded.class, e -> order.add(name));
        }
        for (DomainEvent.Type t : DomainEvent.Type.values()) {
            if (t != DomainEvent.Type.CALL_ENDED) {
                w.event(t, DomainEvent.class, e -> { });
            }
        }
        for (var applier : w.appliers()[DomainEvent.Type.CALL_ENDED.ordinal()]) {
            applier.accept(new DomainEvent.CallEnded(null, 1, 1, "e", "r", "p", null, null));
        }
        assertThat(order).containsExactly("first", "second");
    }

    @Test
    void theEnginesPartsTakeEveryCommandAndEvent() {
        // Construction checks it: an engine whose parts leave a command unanswered does not start.
        assertThat(new Harness().engine).isNotNull();
    }
}
