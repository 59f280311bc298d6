package fi.palvelurinki.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What counts as acknowledged by the killed server, and as lost after its restart. */
class LedgerTest {
    static final Instant SLOT = Instant.parse("2026-11-25T06:00:00Z");

    private static Ledger.Journal journal(Map<Long, Ledger.Request> queued, Map<Long, Long> callStarts, Set<Long> bookings) {
        return new Ledger.Journal(queued, callStarts, Set.copyOf(callStarts.values()), bookings);
    }

    @Test
    void nothingIsLostWhenTheJournalAndTheStateAfterTheRestartHaveEverything() {
        Ledger l = new Ledger(true);
        l.requestQueued(0, 1, "ring1", "a1");     // waiting at the kill, listed again
        l.requestQueued(0, 2, "ring1", "a2");     // connected before the kill: the restart ended its call
        l.callConnected(0, 7, 2);
        l.requestQueued(0, 3, "ring2", "a3");     // accepted just before the kill; the advisor never heard
        l.bookingConfirmed(0, 5, SLOT);
        l.listedAfterRestart(Set.of(1L));
        Ledger.Outcome o = l.check(journal(Map.of(1L, new Ledger.Request(1, "ring1", "a1"), 2L,
                new Ledger.Request(2, "ring1", "a2"), 3L, new Ledger.Request(3, "ring2", "a3")), Map.of(7L, 2L, 8L, 3L),
                Set.of(5L)), Map.of(5L, SLOT));
        assertThat(o.lost()).isZero();
        assertThat(o.requests()).isEqualTo(3);
        assertThat(o.openAtKill()).isEqualTo(2);
        assertThat(o.calls()).isEqualTo(1);
        assertThat(o.bookings()).isEqualTo(1);
    }

    @Test
    void whatTheJournalOrTheRestartedServerLacksIsLost() {
        Ledger l = new Ledger(true);
        l.requestQueued(0, 1, "ring1", "a1");     // not in the journal
        l.requestQueued(0, 2, "ring1", "a2");     // journaled in another ring
        l.requestQueued(0, 3, "ring1", "a3");     // waiting at the kill, journaled, but not in the state after
        l.requestQueued(0, 4, "ring1", "a4");
        l.callConnected(0, 9, 4);                 // the call is not in the journal
        l.bookingConfirmed(0, 5, SLOT);           // not in the journal
        l.bookingConfirmed(0, 6, SLOT);           // journaled, but the restarted server has it elsewhere
        l.listedAfterRestart(Set.of(1L, 2L));
        Ledger.Outcome o = l.check(journal(Map.of(2L, new Ledger.Request(2, "ring2", "a2"), 3L,
                new Ledger.Request(3, "ring1", "a3"), 4L, new Ledger.Request(4, "ring1", "a4")), Map.of(), Set.of(6L)),
                Map.of(6L, SLOT.plusSeconds(300)));
        assertThat(o.lost()).isEqualTo(6);
        assertThat(o.examples()).hasSize(5).first().asString().startsWith("booking 5: not in the journal");
    }

    @Test
    void onlyTheKilledServersAcknowledgementsCountAndOnlyInTheRestartScenario() {
        Ledger l = new Ledger(true);
        l.requestQueued(1, 1, "ring1", "a1");     // from the restarted server
        l.bookingConfirmed(1, 5, SLOT);
        Ledger.Outcome o = l.check(journal(Map.of(), Map.of(), Set.of()), Map.of());
        assertThat(o.requests()).isZero();
        assertThat(o.lost()).isZero();

        Ledger off = new Ledger(false);
        off.requestQueued(0, 1, "ring1", "a1");
        assertThat(off.check(journal(Map.of(), Map.of(), Set.of()), Map.of()).requests()).isZero();
    }
}
