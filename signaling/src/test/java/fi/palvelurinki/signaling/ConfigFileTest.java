package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.signaling.config.ConfigFile;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigFileTest {
    static ConfigFile.Deployment parse(String yaml) throws Exception {
        return ConfigFile.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }

    @Test
    void theDocumentedExampleReadsAsDocumented() throws Exception {
        ConfigFile.Deployment d = ConfigFile.load(Path.of("../config/example.yaml"));
        assertThat(d.signaling().port()).isEqualTo(8080);
        assertThat(d.signaling().resumeGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.broker().fsync()).isTrue();
        List<Command.ConfigureRing> rings = d.seed().stream().filter(Command.ConfigureRing.class::isInstance)
                .map(Command.ConfigureRing.class::cast).toList();
        // Rings first without overflow, then the one with it, so that the target exists when named.
        assertThat(rings).extracting(r -> r.ring().id()).containsExactly("kela", "kela-reserve", "dvv", "kela");
        var kela = rings.get(3).ring();
        assertThat(kela.overflowRingId()).isEqualTo("kela-reserve");
        assertThat(kela.fallbackLanguages()).containsExactly(Language.FI);
        assertThat(kela.openingHours().spec()).isEqualTo("mon 08:00-16:15; tue 08:00-16:15; wed 08:00-16:15; "
                + "thu 08:00-16:15; fri 08:00-16:15; closed 2026-12-24 2026-12-25 2026-12-26");
        assertThat(d.operators()).containsKey("olli");
    }

    @Test
    void theDemoDeploymentHasThePilotPoints() {
        ConfigFile.Deployment d = ConfigFile.demo();
        assertThat(d.seed().stream().filter(Command.DefinePoint.class::isInstance)
                .map(c -> ((Command.DefinePoint) c).point().municipality()))
                .containsExactly("Mikkeli", "Oulu", "Parainen", "Pelkosenniemi", "Saarijärvi");
    }

    @Test
    void mistakesAreReportedWithTheirPlace() {
        assertThatThrownBy(() -> parse("rings:\n  - id: kela\n    authority: kela\n")).hasMessage(
                "test.yaml.rings[0].authority: no authority 'kela' is defined");
        assertThatThrownBy(() -> parse("authorities: [{id: kela, name: Kela}]\nrings:\n  - id: kela\n    authority: kela\n"
                + "    offerTimout: 30s\n")).hasMessageContaining("test.yaml.rings[0]: unknown setting 'offerTimout'");
        assertThatThrownBy(() -> parse("authorities: [{id: kela, name: Kela}]\nrings:\n  - id: kela\n    authority: kela\n"
                + "    offerTimeout: 2s\n")).hasMessageContaining("test.yaml.rings[0]: offer timeout must be between 5 s");
        assertThatThrownBy(() -> parse("authorities: [{id: kela, name: Kela}]\nrings:\n  - id: kela\n    authority: kela\n"
                + "    wrapUp: soon\n")).hasMessageContaining("rings[0].wrapUp: cannot read duration 'soon'");
        assertThatThrownBy(() -> parse("server:\n  port: eighty\n")).hasMessageContaining("server.port: expected a whole number");
        assertThatThrownBy(() -> parse("broker:\n  fsync: maybe\n")).hasMessageContaining("broker.fsync: expected true or false");
        assertThatThrownBy(() -> parse("points: [{id: p, name: P, municipality: M}]\nadvisors:\n  - {id: a, name: A, point: q}\n"))
                .hasMessageContaining("advisors[0].point: no point 'q'");
        assertThatThrownBy(() -> parse("operators: [{id: x}, {id: x}]\n")).hasMessageContaining("user id 'x' is used twice");
        assertThatThrownBy(() -> parse("rings: [\n")).hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> parse("colour: blue\n")).hasMessageContaining("unknown setting 'colour'");
    }
}
