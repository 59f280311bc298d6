package fi.palvelurinki.loadtest.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The steal share printed beside the benchmark's figures, from Linux's {@code /proc/stat}. */
class CpuStealTest {

    @Test
    void stealIsTheHypervisorsShareOfAllCpuTimeBetweenTwoReadings() {
        // user nice system idle iowait irq softirq steal guest guest_nice (guest is inside user: not added again)
        CpuSteal.Reading before = CpuSteal.parse("cpu  2701464 101219 729429 7704220 36896 0 106067 69864 500 0");
        CpuSteal.Reading after = CpuSteal.parse("cpu  2701664 101219 729529 7704320 36896 0 106067 69964 900 0");
        assertThat(before.steal()).isEqualTo(69_864);
        assertThat(after.total() - before.total()).isEqualTo(500);
        assertThat(CpuSteal.share(before, after)).isCloseTo(0.2, within(1e-9));
    }

    @Test
    void aLineThatIsNotTheAggregateOrAMissingReadingGivesNoFigure() {
        assertThat(CpuSteal.parse("cpu0 1 2 3 4 5 6 7 8")).isNull();
        assertThat(CpuSteal.parse("cpu 1 2 3")).isNull();
        CpuSteal.Reading r = CpuSteal.parse("cpu 1 2 3 4 5 6 7 8");
        assertThat(CpuSteal.share(null, r)).isNaN();
        assertThat(CpuSteal.share(r, r)).isNaN();
    }

    @Test
    void thisMachineCanBeRead() {
        if (java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/stat"))) {
            CpuSteal.Reading r = CpuSteal.read();
            assertThat(r).isNotNull();
            assertThat(r.total()).isGreaterThan(r.steal());
        }
    }
}
