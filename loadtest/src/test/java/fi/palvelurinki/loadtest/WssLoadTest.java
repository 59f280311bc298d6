package fi.palvelurinki.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.broker.ScheduledTimerService;
import fi.palvelurinki.signaling.PalvelurinkiServer;
import fi.palvelurinki.signaling.config.ConfigFile;
import fi.palvelurinki.signaling.tls.WebTransport;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load generator over https and wss against a real server serving TLS in-process (the throwaway
 * certificate the spawned server of {@code loadtest --tls} gets), and the closing comparison of a ws
 * and a wss run. No timing assertions: what TLS costs is measured by the benchmark (docs/performance.md).
 */
class WssLoadTest {
    @TempDir
    Path data;

    @Test
    @Timeout(90)
    void theGeneratorRunsItsCallsOverWssWithoutErrors() throws Exception {
        Scenario s = Scenario.parse(new ByteArrayInputStream("""
                name: wss
                points: 3
                advisorsPerPoint: 2
                rings: 1
                expertsPerRing: 4
                rate: 10
                duration: 2s
                warmUp: 1s
                handleTime: 300ms
                acceptDelay: 20ms
                wrapUpDelay: 20ms
                declineShare: 0
                missShare: 0
                offerTimeout: 60s
                candidatesPerParty: 2
                candidateInterval: 5ms
                relayCalls: 2
                relayDuration: 1s
                sampleInterval: 1s
                """.getBytes(StandardCharsets.UTF_8)), "test");
        ConfigFile.Deployment d = ConfigFile.parse(new ByteArrayInputStream(new Population(s).configYaml(0)
                .getBytes(StandardCharsets.UTF_8)), "loadtest.yaml");
        SelfSignedCertificate cert = new SelfSignedCertificate("localhost");
        WebTransport tls = WebTransport.tls(cert.certificate().toPath(), cert.privateKey().toPath(),
                WebTransport.PlainHttp.REFUSE);
        InstantSource clock = InstantSource.system();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try (ScheduledTimerService timers = new ScheduledTimerService(clock);
                PalvelurinkiServer server = PalvelurinkiServer.start(new PalvelurinkiServer.Options(d.signaling(),
                        d.broker().toBrokerConfig(data), d, LoopbackLoadTest.SECRET, clock, timers, false, null, null, tls,
                        System::nanoTime));
                PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8)) {
            Result r = new LoadGenerator(new LoadGenerator.Options(s, new LoadGenerator.Target(
                    URI.create("https://127.0.0.1:" + server.port()), LoopbackLoadTest.SECRET, null), 2, out)).run();
            System.out.println(text.toString(StandardCharsets.UTF_8));
            assertThat(r.errors()).isZero();
            assertThat(r.fields().get("sessions")).as("6 advisors, 4 experts").isEqualTo("10");
            assertThat(r.fields().get("click_to_ring_p50_ms")).matches("\\d+\\.\\d+");
            assertThat(r.fields().get("relay_ceiling_msg_s")).matches("\\d+\\.\\d+");

            Map<String, String> ws = new LinkedHashMap<>(r.fields());
            ws.put("click_to_ring_p50_ms", "2.00");
            Result compared = TlsFront.compare(new Result("wss", ws, 0), new Result("wss", Map.of("click_to_ring_p50_ms",
                    "3.00"), 0), out);
            assertThat(compared.line()).contains(" tls=on", " ws_click_to_ring_p50_ms=2.00", " tls_ratio_click_to_ring_p50_ms=1.50",
                    " tls_ratio_relay_p99_ms=-");
        } finally {
            cert.delete();
        }
    }
}
