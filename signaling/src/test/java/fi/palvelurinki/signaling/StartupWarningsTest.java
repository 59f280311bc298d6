package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.broker.testing.ManualClock;
import fi.palvelurinki.broker.testing.ManualTimerService;
import fi.palvelurinki.signaling.config.ConfigFile;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What starts but would not work as meant is said at start, in the log the operator reads. */
class StartupWarningsTest {
    private static final Logger LOG = Logger.getLogger(PalvelurinkiServer.class.getName());
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(r.getMessage());
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @TempDir
    Path data;

    @BeforeEach
    void listen() {
        LOG.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        LOG.removeHandler(capture);
    }

    private PalvelurinkiServer start(String yaml) throws Exception {
        ConfigFile.Deployment d = ConfigFile.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "t.yaml");
        ManualClock clock = ManualClock.tuesdayMorning();
        return PalvelurinkiServer.start(new PalvelurinkiServer.Options(d.signaling().withPort(0).withHost("127.0.0.1"),
                d.broker().toBrokerConfig(data), d, ServerFixture.SECRET, clock, new ManualTimerService(clock), false, null,
                null));
    }

    @Test
    void aRingWithoutExpertsIsWarnedAbout() throws Exception {
        try (PalvelurinkiServer s = start("""
                authorities: [{id: kela, name: Kela}, {id: vero, name: Vero}]
                rings:
                  - {id: kela, authority: kela}
                  - {id: vero, authority: vero}
                experts:
                  - {id: eeva, name: Eeva, rings: [kela], languages: [fi]}
                operators: [{id: olli}]
                """)) {
            assertThat(warnings).containsExactly("ring vero has no experts: its requests can only wait (add experts to it"
                    + " in the configuration's experts or with PUT /api/experts/ID)");
        }
    }

    @Test
    void aFullyStaffedDeploymentStartsWithoutWarnings() throws Exception {
        try (PalvelurinkiServer s = start("""
                authorities: [{id: kela, name: Kela}]
                rings: [{id: kela, authority: kela}]
                experts: [{id: eeva, name: Eeva, rings: [kela], languages: [fi]}]
                operators: [{id: olli}]
                """)) {
            assertThat(warnings).isEmpty();
        }
    }
}
