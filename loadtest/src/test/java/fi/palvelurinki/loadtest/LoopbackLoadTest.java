package fi.palvelurinki.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.broker.ScheduledTimerService;
import fi.palvelurinki.loadtest.relay.BareRelay;
import fi.palvelurinki.signaling.PalvelurinkiServer;
import fi.palvelurinki.signaling.config.ConfigFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load generator against a real server in-process on an ephemeral port, with small counts and a few
 * seconds: the RESULT line has its figures, they are sane, and nothing went wrong. No timing assertions:
 * speed is the benchmark's business (docs/performance.md). Every timeout that could count as an error is far
 * longer than a stall of a loaded machine (offers 60 s, heartbeat 15 s, resume grace 30 s), so "no errors"
 * means the protocol went right, not that the machine was quiet.
 */
class LoopbackLoadTest {
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef-loadtest".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path data;

    private Result run(Scenario s, boolean bare) throws Exception {
        ConfigFile.Deployment d = ConfigFile.parse(new ByteArrayInputStream(new Population(s).configYaml(0)
                .getBytes(StandardCharsets.UTF_8)), "loadtest.yaml");
        InstantSource clock = InstantSource.system();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try (ScheduledTimerService timers = new ScheduledTimerService(clock);
                PalvelurinkiServer server = PalvelurinkiServer.start(new PalvelurinkiServer.Options(d.signaling(),
                        d.broker().toBrokerConfig(data), d, SECRET, clock, timers, false, null, null));
                BareRelay relay = new BareRelay("127.0.0.1", 0, 1);
                PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8)) {
            assertThat(d.signaling().benchRelay()).isTrue();
            Result r = new LoadGenerator(new LoadGenerator.Options(s, new LoadGenerator.Target(
                    URI.create("http://127.0.0.1:" + server.port()), SECRET,
                    bare ? URI.create("ws://127.0.0.1:" + relay.port() + "/relay") : null), 2, out)).run();
            out.println(r.line());
        }
        String printed = text.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        String last = printed.strip().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(last).startsWith("RESULT scenario=" + s.name() + " click_to_ring_p50_ms=");
        return new Result(s.name(), fields(last), 0);
    }

    static Map<String, String> fields(String line) {
        Map<String, String> f = new HashMap<>();
        for (String kv : line.substring("RESULT ".length()).split(" ")) {
            String[] p = kv.split("=", 2);
            f.put(p[0], p[1]);
        }
        return f;
    }

    private static Scenario scenario(String yaml) throws Exception {
        return Scenario.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test");
    }

    @Test
    @Timeout(90)
    void callsRelayAndBaselinesGiveSaneFiguresAndNoErrors() throws Exception {
        Scenario s = scenario("""
                name: loopback
                points: 5
                advisorsPerPoint: 2
                rings: 2
                expertsPerRing: 4
                idleSessions: 10
                rate: 15
                duration: 2s
                warmUp: 1s
                handleTime: 300ms
                acceptDelay: 20ms
                wrapUpDelay: 20ms
                declineShare: 0.1
                missShare: 0
                offerTimeout: 60s
                candidatesPerParty: 3
                candidateInterval: 5ms
                relayCalls: 4
                relayDuration: 1s
                sampleInterval: 1s
                """);
        Map<String, String> f = run(s, true).fields();
        assertThat(f.get("errors")).isEqualTo("0");
        assertThat(Integer.parseInt(f.get("sessions"))).isEqualTo(10 + 8 + 10);
        for (String k : new String[] {"click_to_ring_p50_ms", "click_to_ring_p99_ms", "relay_p99_ms",
                "baseline_relay_p99_ms", "relay_ratio_p99", "heap_per_session_kb", "relay_ceiling_msg_s",
                "bare_ceiling_msg_s", "bare_relay_p99_ms", "baseline_one_hop_p50_ms", "accept_to_connected_p99_ms",
                "call_relay_p99_ms", "msgs_per_s"}) {
            assertThat(f.get(k)).as(k).matches("-?\\d+\\.\\d+");
        }
        for (String k : new String[] {"click_to_ring_p50_ms", "click_to_ring_p99_ms", "relay_p99_ms",
                "baseline_relay_p99_ms", "relay_ratio_p99", "relay_ceiling_msg_s", "msgs_per_s"}) {
            assertThat(Double.parseDouble(f.get(k))).as(k).isPositive().isLessThan(1e7);
        }
        assertThat(Double.parseDouble(f.get("click_to_ring_p99_ms")))
                .isGreaterThanOrEqualTo(Double.parseDouble(f.get("click_to_ring_p50_ms")));
        assertThat(Double.parseDouble(f.get("relay_ceiling_ratio"))).as("relay_ceiling_ratio")
                .isCloseTo(Double.parseDouble(f.get("relay_ceiling_msg_s")) / Double.parseDouble(f.get("bare_ceiling_msg_s")),
                        org.assertj.core.data.Offset.offset(0.001));
    }

    @Test
    @Timeout(90)
    void reconnectStormLosesNoRequest() throws Exception {
        Scenario s = scenario("""
                name: storm
                points: 4
                advisorsPerPoint: 1
                rings: 1
                expertsPerRing: 1
                rate: 0
                offerTimeout: 60s
                relayCalls: 0
                stormClients: 60
                stormRounds: 2
                """);
        Map<String, String> f = run(s, false).fields();
        assertThat(f.get("errors")).isEqualTo("0");
        assertThat(f.get("storm_clients")).isEqualTo("60");
        assertThat(f.get("lost_requests")).isEqualTo("0");
        assertThat(f.get("resume_p99_ms")).matches("\\d+\\.\\d+");
    }
}
