package fi.palvelurinki.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fi.palvelurinki.signaling.config.ConfigFile;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScenarioTest {
    @Test
    void everyBuiltInScenarioLoadsAndItsServerConfigurationIsValid() throws Exception {
        for (String name : Scenario.BUILT_IN) {
            Scenario s = Scenario.load(name);
            assertThat(s.name()).isEqualTo(name);
            String yaml = new Population(s.scaled(3, 2, Math.min(s.idleSessions(), 5), Math.min(s.stormClients(), 5),
                    Math.min(s.relayCalls(), 2), s.warmUp(), s.relayDuration())).configYaml(0);
            ConfigFile.Deployment d = ConfigFile.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), name);
            assertThat(d.signaling().benchRelay()).isTrue();
        }
        Scenario n = Scenario.load("national-day");
        assertThat(n.points()).isEqualTo(150);
        assertThat(n.experts()).isEqualTo(300);
        assertThat(n.rings()).isEqualTo(6);
        assertThat(n.withDuration(Duration.ofSeconds(5)).withRate(7).rate()).isEqualTo(7);
        assertThat(Scenario.load("reconnect-storm").stormClients()).isEqualTo(5000);
        assertThat(Scenario.load("hold").idleSessions()).isEqualTo(10000);
        Scenario restart = Scenario.load("restart");
        assertThat(restart.restartAfter()).isPositive().isLessThan(restart.duration());
        assertThat(restart.bookingRate()).isPositive();
    }

    @Test
    void unknownKeysAndScenariosAreRefused() {
        assertThatThrownBy(() -> Scenario.parse(new ByteArrayInputStream("rat: 5\n".getBytes(StandardCharsets.UTF_8)), "x"))
                .hasMessageContaining("unknown key 'rat'");
        assertThatThrownBy(() -> Scenario.load("nope")).hasMessageContaining("national-day");
        assertThatThrownBy(() -> Scenario.load("../etc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Scenario.load("restart").withDuration(Duration.ofSeconds(10)))
                .hasMessageContaining("restartAfter must fall within the call traffic");
    }

    @Test
    void poissonArrivalsHaveTheirRateAndAreSeeded() {
        Poisson p = new Poisson(42, 1000, 0);
        long last = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            long t = p.next();
            assertThat(t).isGreaterThanOrEqualTo(last);
            last = t;
        }
        // 100,000 arrivals at 1,000/s take about 100 s (the standard deviation is 0.3 s).
        assertThat(last / 1e9).isBetween(98.0, 102.0);
        assertThat(new Poisson(7, 50, 0).next()).isEqualTo(new Poisson(7, 50, 0).next());
    }

    @Test
    void payloadsHaveARealBrowsersSizes() {
        Payloads p = new Payloads(4500, 1);
        String sdp = p.sdp("1", 9, "offer");
        assertThat(sdp.length()).isBetween(4500, 4500 + 400);
        assertThat(p.candidate("2", 9, 3).length()).isBetween(120, 300);
    }
}
