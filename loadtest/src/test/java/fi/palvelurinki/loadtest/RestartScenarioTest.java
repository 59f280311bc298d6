package fi.palvelurinki.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The restart scenario at a small scale: the server runs as a child JVM (it must be killable), is killed with
 * SIGKILL in the middle of calls, bookings and waiting requests, and is started again on the same data
 * directory and port. Every client comes back, and nothing the killed server acknowledged is lost. No timing
 * assertions; offers ring for 60 s, so that a stall of a loaded machine misses none.
 */
class RestartScenarioTest {
    @Test
    @Timeout(300)
    void aServerKilledMidRunComesBackWithEverythingItAcknowledgedAndEveryClientReturns() throws Exception {
        Scenario s = Scenario.parse(new ByteArrayInputStream("""
                name: restart-small
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
                restartAfter: 3s
                sampleInterval: 2s
                """.getBytes(StandardCharsets.UTF_8)), "test");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> server = List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                ServerMain.class.getName());
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Result r;
        try (PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8)) {
            r = Loadtest.run(s, null, null, new Loadtest.Launch(server, null), 2, false, false, out);
            out.println(r.line());
        }
        String printed = text.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        Map<String, String> f = r.fields();

        assertThat(printed).contains("Restart: the server was killed (SIGKILL)");
        assertThat(f.get("lost_acknowledged")).isEqualTo("0");
        // Every client (6 experts, 8 advisors, 5 idle, 10 with a waiting request) got a welcome from the
        // restarted server, and it took new calls.
        assertThat(f.get("clients")).isEqualTo("29");
        assertThat(f.get("clients_back")).isEqualTo("29");
        assertThat(f.get("recovery_ms")).matches("\\d+\\.\\d+");
        assertThat(f.get("first_ack_ms")).matches("\\d+\\.\\d+");
        assertThat(Integer.parseInt(f.get("calls_after_restart"))).isPositive();
        // Calls connected at the kill go on through the restart and end when a party hangs up.
        assertThat(Integer.parseInt(f.get("calls_at_kill"))).isPositive();
        assertThat(f.get("calls_survived")).isEqualTo(f.get("calls_at_kill"));
        assertThat(Double.parseDouble(f.get("recovery_ms"))).isGreaterThanOrEqualTo(Double.parseDouble(f.get("restart_ms")));
        // The check had something to check: the waiting requests at least, and bookings.
        assertThat(Integer.parseInt(f.get("acked_open_requests"))).isGreaterThanOrEqualTo(10);
        assertThat(Integer.parseInt(f.get("acked_requests"))).isGreaterThan(10);
        assertThat(Integer.parseInt(f.get("acked_bookings"))).isPositive();
        assertThat(f.get("errors")).isEqualTo("0");
    }
}
