package fi.palvelurinki.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** When a relay's ceiling is measured: once its rate has stopped climbing, not on a plateau on the way up. */
class RelayWarmUpTest {

    @Test
    void aPlateauOnTheWayUpIsNotSteady() {
        // The server's plain relay in one run: compiled in steps, 20,000 for seconds, then 34,000, 41,000, 42,500.
        assertThat(RelayBench.steady(List.of(19_400.0, 33_800.0, 41_200.0, 42_500.0))).isFalse();
        assertThat(RelayBench.steady(List.of(33_800.0, 41_200.0, 42_500.0, 76_700.0))).isFalse();
    }

    @Test
    void threeSecondsWithinTenPerCentOfTheirMeanAreSteady() {
        assertThat(RelayBench.steady(List.of(5_000.0, 86_900.0, 88_400.0, 91_200.0))).isTrue();
        assertThat(RelayBench.steady(List.of(20_500.0, 21_000.0, 21_300.0))).isTrue();
    }

    @Test
    void fewerThanThreeSecondsAreNeverSteady() {
        assertThat(RelayBench.steady(List.of(80_000.0, 80_000.0))).isFalse();
    }
}
