package fi.palvelurinki.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The failover scenario at a small scale: a scratch PostgreSQL, two nodes on it as child JVMs (the second stands
 * by), the active one killed with SIGKILL in the middle of calls, bookings and waiting requests. The clients know
 * both nodes and come back to the standby once it has taken over; nothing the killed node acknowledged is lost,
 * and the calls connected at the kill go on. No timing assertions: the figures must be there and say that the
 * failover happened. Offers ring for 60 s, so that a stall of a loaded machine misses none.
 */
class FailoverScenarioTest {
    @Test
    @Timeout(300)
    void theActiveNodeKilledMidRunTheStandbyTakesOverWithEverythingAcknowledgedAndTheCallsGoOn() throws Exception {
        Scenario s = Scenario.parse(new ByteArrayInputStream("""
                name: failover-small
                points: 4
                advisorsPerPoint: 2
                rings: 2
                expertsPerRing: 3
                idleSessions: 5
                rate: 8
                duration: 12s
                warmUp: 1s
                handleTime: 2s
                acceptDelay: 50ms
                wrapUpDelay: 50ms
                declineShare: 0.1
                missShare: 0
                offerTimeout: 60s
                candidatesPerParty: 2
                candidateInterval: 10ms
                relayCalls: 0
                stormClients: 10
                stormRounds: 0
                bookingRate: 5
                nodes: 2
                killAfter: 3s
                sampleInterval: 2s
                """.getBytes(StandardCharsets.UTF_8)), "test");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> server = List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                ServerMain.class.getName());
        Set<Path> scratchBefore = scratchClusters();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Result r;
        try (PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8)) {
            r = Loadtest.run(s, List.of(), null, new Loadtest.Launch(server, null), 2, false, false, false, out);
            out.println(r.line());
        }
        String printed = text.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        Map<String, String> f = r.fields();

        assertThat(printed).contains("two nodes on a scratch PostgreSQL journal")
                .contains("Failover: the active node was killed (SIGKILL)");
        assertThat(f.get("lost_acknowledged")).isEqualTo("0");
        // The new active node welcomed every client (6 experts, 8 advisors, 5 idle, 10 with a waiting request),
        // and took new calls.
        assertThat(f.get("failover_ms")).matches("\\d+\\.\\d+");
        assertThat(f.get("clients")).isEqualTo("29");
        assertThat(f.get("clients_back")).isEqualTo("29");
        assertThat(Integer.parseInt(f.get("calls_after_failover"))).isPositive();
        // The first welcome from it cannot come before it served, nor after the last client was back.
        double failover = Double.parseDouble(f.get("failover_ms"));
        assertThat(failover).isGreaterThanOrEqualTo(Double.parseDouble(f.get("takeover_ms")) - 1000)
                .isLessThanOrEqualTo(Double.parseDouble(f.get("recovery_ms")));
        // Calls connected at the kill went on through the takeover and ended when a party hung up.
        assertThat(Integer.parseInt(f.get("calls_at_kill"))).isPositive();
        assertThat(f.get("calls_survived")).isEqualTo(f.get("calls_at_kill"));
        // The check had something to check: the waiting requests at least, and bookings.
        assertThat(Integer.parseInt(f.get("acked_open_requests"))).isGreaterThanOrEqualTo(10);
        assertThat(Integer.parseInt(f.get("acked_bookings"))).isPositive();
        assertThat(f.get("errors")).isEqualTo("0");
        // PostgreSQL was stopped and its directory deleted.
        assertThat(scratchClusters()).isSubsetOf(scratchBefore);
    }

    private static Set<Path> scratchClusters() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("palvelurinki-loadtest-pg"))
                    .collect(Collectors.toSet());
        }
    }
}
