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
        assertThat(restart.nodes()).isEqualTo(1);
        Scenario failover = Scenario.load("failover");
        assertThat(failover.nodes()).isEqualTo(2);
        assertThat(failover.killAfter()).isPositive().isLessThan(failover.duration());
        assertThat(failover.killAt()).isEqualTo(failover.killAfter());
        assertThat(failover.restartAfter()).isZero();
    }

    @Test
    void eachOfTwoNodesGetsTheScenariosConfigurationWithThePostgresqlJournalAndItsOwnAdvertisedUrl() throws Exception {
        Scenario s = Scenario.load("failover");
        String yaml = new Population(s.scaled(3, 2, 0, 5, 0, s.warmUp(), s.relayDuration())).configYaml(0)
                + SpawnedNodes.journalSection("jdbc:postgresql://127.0.0.1:5999/loadtest?user=palvelurinki",
                        java.net.URI.create("http://127.0.0.1:8081"));
        ConfigFile.Deployment d = ConfigFile.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "node");
        var pg = d.broker().toBrokerConfig(java.nio.file.Path.of("data")).postgres();
        assertThat(pg).isNotNull();
        assertThat(pg.url()).isEqualTo("jdbc:postgresql://127.0.0.1:5999/loadtest?user=palvelurinki");
        assertThat(pg.advertisedUrl()).isEqualTo("http://127.0.0.1:8081");
    }

    @Test
    void killAfterNeedsTwoNodesAndFallsWithinTheCallTraffic() {
        assertThatThrownBy(() -> parse("nodes: 1\nkillAfter: 10s\nduration: 30s\n"))
                .hasMessageContaining("killAfter kills the active one of two nodes: it needs nodes: 2");
        assertThatThrownBy(() -> parse("nodes: 2\nkillAfter: 30s\nduration: 30s\n"))
                .hasMessageContaining("killAfter must fall within the call traffic");
        assertThatThrownBy(() -> parse("nodes: 2\nkillAfter: 5s\nrate: 0\n"))
                .hasMessageContaining("killAfter must fall within the call traffic");
        assertThatThrownBy(() -> parse("nodes: 2\nrestartAfter: 5s\n"))
                .hasMessageContaining("with nodes: 2 use killAfter");
        assertThatThrownBy(() -> parse("nodes: 3\n")).hasMessageContaining("nodes must be 1");
        assertThatThrownBy(() -> parse("nodes: 0\n")).hasMessageContaining("nodes must be 1");
        assertThatThrownBy(() -> Scenario.load("failover").withDuration(Duration.ofSeconds(10)))
                .hasMessageContaining("killAfter must fall within the call traffic");
        Scenario two = parse("nodes: 2\n");
        assertThat(two.killAt()).isZero();
        assertThat(parse("").nodes()).isEqualTo(1);
    }

    @Test
    void aTargetIsOneBaseUrlOrTwoNodesSeparatedByACommaAndBadListsAreNamed() {
        assertThat(Loadtest.targets("http://127.0.0.1:8080")).containsExactly(java.net.URI.create("http://127.0.0.1:8080"));
        assertThat(Loadtest.targets("http://a:8080, https://b:8443/")).containsExactly(
                java.net.URI.create("http://a:8080"), java.net.URI.create("https://b:8443/"));
        assertThatThrownBy(() -> Loadtest.targets("http://a:8080,")).hasMessageContaining("'' is not a server's base URL");
        assertThatThrownBy(() -> Loadtest.targets("ws://a:8080/ws")).hasMessageContaining("'ws://a:8080/ws' is not a server's base URL");
        assertThatThrownBy(() -> Loadtest.targets("http://a:8080/ws")).hasMessageContaining("not a server's base URL");
        assertThatThrownBy(() -> Loadtest.targets("a:8080")).hasMessageContaining("not a server's base URL");
        assertThatThrownBy(() -> Loadtest.targets("http://a:1,http://a:1")).hasMessageContaining("named twice");
        assertThatThrownBy(() -> Loadtest.targets("http://a:1,http://b:1,http://c:1")).hasMessageContaining("at most two nodes");
        assertThatThrownBy(() -> Loadtest.targets("http://a b")).hasMessageContaining("is not a URL");
    }

    @Test
    void aClientFindsTheNodeAStandbyNamesAsActive() {
        LoadRun run = new LoadRun(parse(""), java.util.List.of(java.net.URI.create("http://127.0.0.1:8080"),
                java.net.URI.create("http://127.0.0.1:8081/")), 1, new byte[32], 1, System.out);
        try {
            assertThat(run.nodeOf("http://127.0.0.1:8081")).isEqualTo(1);
            assertThat(run.nodeOf("http://127.0.0.1:8080/")).isZero();
            assertThat(run.nodeOf("http://elsewhere:8080")).isEqualTo(-1);
            assertThat(run.wsUri(1)).isEqualTo(java.net.URI.create("ws://127.0.0.1:8081/ws"));
            assertThat(run.http).isEqualTo(java.net.URI.create("http://127.0.0.1:8081/"));
        } finally {
            run.ws.close();
        }
    }

    private static Scenario parse(String yaml) {
        try {
            return Scenario.parse(new ByteArrayInputStream(("relayCalls: 0\n" + yaml).getBytes(StandardCharsets.UTF_8)), "t");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
