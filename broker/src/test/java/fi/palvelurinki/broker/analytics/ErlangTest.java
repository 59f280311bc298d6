package fi.palvelurinki.broker.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ErlangTest {
    /** 100 arrivals per 30 minutes, 180 s handle time: 10 erlangs (the reference case). */
    static final Workload REFERENCE = Workload.withoutAbandonment(100 / 1800.0, 180);
    static final double FOUR_DECIMALS = 0.5e-4;

    @Test
    void erlangCReproducesTheReferenceValues() {
        StaffingEstimate e14 = Erlang.evaluate(REFERENCE, 14, 20);
        assertThat(e14.offeredLoadErlangs()).isCloseTo(10, within(1e-12));
        assertThat(e14.pWait()).isCloseTo(0.1741, within(FOUR_DECIMALS));
        assertThat(e14.occupancy()).isCloseTo(0.7143, within(FOUR_DECIMALS));
        // The issue gives 0.8883; the exact value is 0.888350019… (a tie at the fifth decimal, which the
        // issue truncated). Checked against a 40-digit evaluation of a^n/n! sums:
        assertThat(e14.serviceLevel()).isCloseTo(0.8883500191794669, within(1e-12));
        assertThat(e14.serviceLevel()).isCloseTo(0.8883, within(1e-4));
        assertThat(e14.asaSeconds()).isCloseTo(7.835937011777243, within(1e-9));
        assertThat(e14.pAbandon()).isEmpty();

        StaffingEstimate e15 = Erlang.evaluate(REFERENCE, 15, 20);
        assertThat(e15.pWait()).isCloseTo(0.1020, within(FOUR_DECIMALS));
        assertThat(e15.serviceLevel()).isCloseTo(0.9415, within(FOUR_DECIMALS));
    }

    @Test
    void theMinimumFor80In20IsFourteen() {
        StaffingEstimate min = Erlang.minimumAgents(REFERENCE, 20, 0.8);
        assertThat(min.agents()).isEqualTo(14);
        assertThat(Erlang.evaluate(REFERENCE, 13, 20).serviceLevel()).as("13 is not enough").isLessThan(0.8);
        assertThat(Erlang.minimumAgents(REFERENCE, 20, 0.9).agents()).isEqualTo(15);
    }

    @Test
    void erlangAReproducesTheReferenceValues() {
        Workload w = new Workload(100 / 1800.0, 180, 300);
        StaffingEstimate e = Erlang.evaluate(w, 14, 20);
        assertThat(e.pWait()).isCloseTo(0.1453, within(FOUR_DECIMALS));
        assertThat(e.pAbandon()).hasValueCloseTo(0.0140, within(FOUR_DECIMALS));
        assertThat(e.serviceLevel()).isCloseTo(0.9168, within(FOUR_DECIMALS));
        assertThat(e.occupancy()).as("carried load: abandoning customers take no handle time")
                .isCloseTo(10 * (1 - e.pAbandon().getAsDouble()) / 14, within(1e-12));
    }

    @Test
    void erlangAWithVeryLongPatienceIsErlangC() {
        Workload patient = new Workload(100 / 1800.0, 180, 1e9);
        StaffingEstimate a = Erlang.evaluate(patient, 14, 20);
        StaffingEstimate c = Erlang.evaluate(REFERENCE, 14, 20);
        assertThat(a.pWait()).isCloseTo(c.pWait(), within(1e-6));
        assertThat(a.serviceLevel()).isCloseTo(c.serviceLevel(), within(1e-6));
        assertThat(a.asaSeconds()).isCloseTo(c.asaSeconds(), within(1e-4));
    }

    @Test
    void erlangAStaysFiniteWhenOverloaded() {
        // 10 erlangs on 5 experts: Erlang C has no steady state, Erlang A does — the impatient leave.
        StaffingEstimate e = Erlang.evaluate(new Workload(100 / 1800.0, 180, 300), 5, 20);
        assertThat(e.pWait()).isGreaterThan(0.99);
        // Half the load cannot be carried: at least half of the customers give up.
        assertThat(e.pAbandon().getAsDouble()).isBetween(0.5, 0.6);
        assertThat(e.occupancy()).isCloseTo(1, within(0.01));
        assertThat(Erlang.evaluate(REFERENCE, 10, 20).unstable()).isTrue();
        assertThat(Erlang.evaluate(REFERENCE, 9, 20).serviceLevel()).isZero();
    }

    @Test
    void largeLoadsAreStable() {
        // 2,000 erlangs: a^n/n! would overflow long before; the recursion does not.
        Workload big = Workload.withoutAbandonment(2000 / 180.0, 180);
        StaffingEstimate min = Erlang.minimumAgents(big, 20, 0.8);
        assertThat(min.agents()).isBetween(2001, 2100);
        assertThat(min.serviceLevel()).isGreaterThanOrEqualTo(0.8);
        assertThat(Erlang.evaluate(big, min.agents() - 1, 20).serviceLevel()).isLessThan(0.8);
        StaffingEstimate a = Erlang.minimumAgents(new Workload(2000 / 180.0, 180, 120), 20, 0.8);
        assertThat(a.agents()).isLessThanOrEqualTo(min.agents());
        assertThat(Erlang.evaluate(new Workload(2000 / 180.0, 180, 120), a.agents() - 1, 20).serviceLevel())
                .isLessThan(0.8);
        assertThat(Erlang.evaluate(new Workload(2000 / 180.0, 180, 600), 1500, 20).pAbandon().getAsDouble())
                .as("a quarter of the load cannot be carried").isBetween(0.25, 0.27);
    }

    @Test
    void erlangBMatchesItsDefinitionForSmallCases() {
        // B(2, 1) = (1/2) / (1 + 1 + 1/2) = 0.2
        assertThat(Erlang.erlangB(2, 1)).isCloseTo(0.2, within(1e-15));
        assertThat(Erlang.erlangB(0, 5)).isEqualTo(1);
    }

    @Test
    void badInputIsRefusedWithTheReason() {
        assertThatThrownBy(() -> Workload.withoutAbandonment(0, 180)).hasMessageContaining("arrival rate");
        assertThatThrownBy(() -> Workload.withoutAbandonment(1, -1)).hasMessageContaining("handle time");
        assertThatThrownBy(() -> new Workload(1, 180, 0)).hasMessageContaining("patience");
        assertThatThrownBy(() -> Erlang.evaluate(REFERENCE, 0, 20)).hasMessageContaining("number of experts");
        assertThatThrownBy(() -> Erlang.evaluate(REFERENCE, 14, -1)).hasMessageContaining("threshold");
        assertThatThrownBy(() -> Erlang.minimumAgents(REFERENCE, 20, 1.0)).hasMessageContaining("between 0 and 1");
    }
}
