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
        assertThat(rings).extracting(r -> r.ring().id()).containsExactly("kela", "kela-reserve", "dvv", "tulkit", "kela");
        var kela = rings.get(4).ring();
        assertThat(rings.get(3).ring().interpreting()).containsExactlyInAnyOrder("ar", "so", "ru", "fse");
        assertThat(d.seed().stream().filter(Command.DefineExpert.class::isInstance).map(c -> ((Command.DefineExpert) c)
                .expert()).filter(x -> x.id().equals("jamal")).findFirst().orElseThrow().interprets()).containsExactly("ar");
        assertThat(d.broker().toBrokerConfig(Path.of("d")).jointHold()).isEqualTo(Duration.ofSeconds(20));
        assertThat(kela.overflowRingId()).isEqualTo("kela-reserve");
        assertThat(kela.fallbackLanguages()).containsExactly(Language.FI);
        assertThat(kela.openingHours().spec()).isEqualTo("mon 08:00-16:15; tue 08:00-16:15; wed 08:00-16:15; "
                + "thu 08:00-16:15; fri 08:00-16:15; closed 2026-12-24 2026-12-25 2026-12-26");
        assertThat(d.operators()).containsKey("olli");
        assertThat(d.media().embeddedStun()).isTrue();
        assertThat(d.media().stunPort()).isEqualTo(3478);
        assertThat(d.media().stunPublicHost()).isEqualTo("127.0.0.1");
        assertThat(d.media().turn().urls()).containsExactly("turn:turn.example.fi:3478?transport=udp",
                "turn:turn.example.fi:3478?transport=tcp", "turns:turn.example.fi:5349?transport=tcp");
        assertThat(d.media().turn().sharedSecret()).isEqualTo("change-me-to-coturns-static-auth-secret");
        assertThat(d.media().turn().credentialLifetime()).isEqualTo(Duration.ofHours(1));
        assertThat(d.media().relayOnly()).isFalse();
        assertThat(d.media().recoveryTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void anInterpreterRingAndItsInterpretersAreConfigured() throws Exception {
        String yaml = "authorities: [{id: hva, name: Hyvinvointialue}]\n"
                + "rings:\n  - {id: tulkit, authority: hva, languages: [fi], interpreting: [ar, SO, fse]}\n"
                + "experts:\n  - {id: tuulikki, name: Tuulikki Tulkki, rings: [tulkit], languages: [fi], interprets: [ar]}\n";
        ConfigFile.Deployment d = parse(yaml);
        var ring = d.seed().stream().filter(Command.ConfigureRing.class::isInstance).map(Command.ConfigureRing.class::cast)
                .findFirst().orElseThrow().ring();
        assertThat(ring.interpreting()).containsExactlyInAnyOrder("ar", "so", "fse");
        var expert = d.seed().stream().filter(Command.DefineExpert.class::isInstance).map(Command.DefineExpert.class::cast)
                .findFirst().orElseThrow().expert();
        assertThat(expert.interprets()).containsExactly("ar");
        assertThatThrownBy(() -> parse(yaml.replace("fse]", "finnish-sign]"))).hasMessageContaining("rings[0]")
                .hasMessageContaining("ISO 639");
    }

    @Test
    void withoutAMediaSectionBrowsersGetTheEmbeddedStunServiceOnItsDefaultPort() throws Exception {
        ConfigFile.Deployment d = parse("operators: [{id: olli}]\n");
        assertThat(d.media()).isEqualTo(fi.palvelurinki.media.MediaConfig.defaults());
        assertThat(d.media().stunPort()).isEqualTo(3478);
        assertThat(d.media().turn()).isNull();
    }

    @Test
    void theJournalIsAFileUnlessPostgresqlIsChosenWithItsUrl() throws Exception {
        assertThat(parse("operators: [{id: olli}]\n").broker().toBrokerConfig(Path.of("d")).postgres()).isNull();
        var pg = parse("journal:\n  backend: postgresql\n  url: jdbc:postgresql://db/p?user=p\n"
                + "  advertisedUrl: https://node1.example.fi\n  leaseTtl: 2s\n").broker().toBrokerConfig(Path.of("d"))
                .postgres();
        assertThat(pg.url()).isEqualTo("jdbc:postgresql://db/p?user=p");
        assertThat(pg.advertisedUrl()).isEqualTo("https://node1.example.fi");
        assertThat(pg.leaseTtl()).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> parse("journal:\n  backend: postgresql\n")).hasMessageContaining(
                "test.yaml.journal.url: required for backend: postgresql");
        assertThatThrownBy(() -> parse("journal:\n  backend: mysql\n")).hasMessageContaining(
                "test.yaml.journal.backend: file or postgresql, got 'mysql'");
        assertThatThrownBy(() -> parse("journal:\n  backend: postgresql\n  url: postgres://db\n"))
                .hasMessageContaining("must be a jdbc:postgresql: URL");
        assertThatThrownBy(() -> parse("journal:\n  backend: postgresql\n  url: jdbc:postgresql://db/p\n  leaseTtl: 2m\n"))
                .hasMessageContaining("between 300 ms and 60 s");
    }

    @Test
    void mediaMistakesAreReportedWithTheirPlace() {
        assertThatThrownBy(() -> parse("media:\n  stunPort: 70000\n"))
                .hasMessageContaining("test.yaml.media: stunPort must be 0-65535");
        String turn = "media:\n  turn:\n    urls: [turn:t.example.fi:3478]\n";
        assertThatThrownBy(() -> parse(turn))
                .hasMessageContaining("test.yaml.media.turn: give one of sharedSecret or sharedSecretFile");
        assertThatThrownBy(() -> parse(turn + "    sharedSecret: short\n"))
                .hasMessageContaining("test.yaml.media.turn: the TURN shared secret must be at least 16 characters");
        assertThatThrownBy(() -> parse("media:\n  turn:\n    urls: [stun:s.example.fi]\n    sharedSecret: 0123456789abcdef\n"))
                .hasMessageContaining("media.turn: TURN URLs start with turn: or turns:");
        assertThatThrownBy(() -> parse(turn + "    sharedSecretFile: /nonexistent/turn.secret\n"))
                .hasMessageContaining("media.turn.sharedSecretFile: cannot read /nonexistent/turn.secret");
        assertThatThrownBy(() -> parse(turn + "    sharedSecret: 0123456789abcdef\n    credentialLifetime: 2d\n"))
                .hasMessageContaining("media.turn: the TURN credential lifetime must be between 1 minute and 24 hours");
        assertThatThrownBy(() -> parse("media:\n  iceTransportPolicy: relay\n"))
                .hasMessageContaining("test.yaml.media: iceTransportPolicy relay needs a TURN relay (media.turn)");
        assertThatThrownBy(() -> parse("media:\n  iceTransportPolicy: nohost\n"))
                .hasMessageContaining("media.iceTransportPolicy: all or relay, got 'nohost'");
        assertThatThrownBy(() -> parse("media:\n  stunport: 3478\n")).hasMessageContaining("unknown setting 'stunport'");
    }

    @Test
    void callBackSettingsAreReadAndChecked() throws Exception {
        var cb = parse("broker:\n  callbacks: { ringTimeout: 60s, maxAttempts: 2, ringAllAdvisors: false }\n").broker()
                .toBrokerConfig(Path.of(".")).callbacks();
        assertThat(cb).isEqualTo(new fi.palvelurinki.broker.CallbackSettings(java.time.Duration.ofSeconds(60),
                java.time.Duration.ofMinutes(3), 2, false));
        assertThatThrownBy(() -> parse("broker:\n  callbacks: { maxAttempts: 0 }\n"))
                .hasMessageContaining("broker.callbacks: call-back attempts must be 1-20, got 0");
        assertThatThrownBy(() -> parse("broker:\n  callbacks: { retries: 2 }\n"))
                .hasMessageContaining("broker.callbacks: unknown setting 'retries'");
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

    @Test
    void aKeyGivenTwiceIsRefusedWithItsLineAndColumn() {
        // The last one used to win silently: this file ran with fsync off.
        assertThatThrownBy(() -> parse("broker:\n  fsync: true\n  fsync: false\n"))
                .hasMessage("test.yaml (line 3, column 8): 'fsync' is given twice in the same mapping; keep one");
        assertThatThrownBy(() -> parse("operators:\n  - { id: olli, id: olga }\n"))
                .hasMessageContaining("(line 2, ").hasMessageContaining("'id' is given twice");
    }

    @Test
    void anEmptyFileIsRefused() {
        for (String empty : List.of("", "\n", "# nothing here yet\n", "{}\n", "---\n")) {
            assertThatThrownBy(() -> parse(empty)).as("'" + empty + "'")
                    .hasMessage("test.yaml: the configuration is empty; see config/example.yaml for every setting (or use --demo)");
        }
    }

    @Test
    void aBadSignalingValueIsReportedAtItsOwnPlace() {
        assertThatThrownBy(() -> parse("signaling:\n  limits:\n    messagesPerSecond: -5\n"))
                .hasMessage("test.yaml.signaling.limits.messagesPerSecond: messages per second must be 1-100000, got -5");
        assertThatThrownBy(() -> parse("signaling:\n  resumeGrace: 2h\n"))
                .hasMessage("test.yaml.signaling.resumeGrace: resume grace must be between 1s and 1h, got 2h");
        assertThatThrownBy(() -> parse("security:\n  tokenTtl: 5s\n"))
                .hasMessageStartingWith("test.yaml.security.tokenTtl: token lifetime must be between 1m and 366d");
        assertThatThrownBy(() -> parse("server:\n  port: 99999\n"))
                .hasMessageStartingWith("test.yaml.server.port: port must be 0-65535");
    }

    @Test
    void ringsGiveTheirCallOutcomesAndNamesPerLanguage() throws Exception {
        String base = "authorities: [{id: kela, name: Kela}]\nrings:\n  - {id: kela, authority: kela, name: Kela%s}\n"
                + "  - {id: vero, authority: kela, name: Vero}\n%s";
        ConfigFile.Deployment d = parse(base.formatted(", outcomes: [resolved, booked], names: {sv: FPA, en: Kela}",
                "topicNames:\n  pension: {sv: pension, en: pension}\n"));
        assertThat(d.outcomes()).containsEntry("kela", List.of("resolved", "booked"))
                .containsEntry("vero", ConfigFile.DEFAULT_OUTCOMES);
        assertThat(d.names().rings()).containsEntry("kela", java.util.Map.of("sv", "FPA", "en", "Kela"));
        assertThat(d.names().topics()).containsEntry("pension", java.util.Map.of("sv", "pension", "en", "pension"));
        assertThatThrownBy(() -> parse(base.formatted(", outcomes: [resolved, resolved]", "")))
                .hasMessage("test.yaml.rings[0].outcomes: 'resolved' is listed twice");
        assertThatThrownBy(() -> parse(base.formatted(", outcomes: [has space]", "")))
                .hasMessageStartingWith("test.yaml.rings[0]");
        assertThatThrownBy(() -> parse(base.formatted(", names: {de: Kela}", "")))
                .hasMessageStartingWith("test.yaml.rings[0].names: unknown setting 'de'");
    }

    @Test
    void theHomeJoinLeadIsAtMostFifteenMinutes() throws Exception {
        assertThat(parse("signaling:\n  homeJoinLead: 10m\n").signaling().homeJoinLead()).isEqualTo(Duration.ofMinutes(10));
        assertThat(parse("signaling: {}\n").signaling().homeJoinLead()).isEqualTo(Duration.ofMinutes(15));
        assertThatThrownBy(() -> parse("signaling:\n  homeJoinLead: 20m\n"))
                .hasMessageStartingWith("test.yaml.signaling.homeJoinLead: home join lead must be between");
    }

    @Test
    void theExampleShowsTheDefaultsWhereItSaysSo() throws Exception {
        // config/example.yaml: "every setting, with its default where it has one".
        ConfigFile.Deployment d = ConfigFile.load(Path.of("../config/example.yaml"));
        assertThat(d.signaling()).isEqualTo(SignalingConfig.defaults());
        assertThat(d.broker()).isEqualTo(ConfigFile.BrokerSettings.defaults());
        var media = fi.palvelurinki.media.MediaConfig.defaults();
        assertThat(List.of(d.media().embeddedStun(), d.media().stunHost(), d.media().stunPort(), d.media().stunPublicHost()))
                .isEqualTo(List.of(media.embeddedStun(), media.stunHost(), media.stunPort(), media.stunPublicHost()));
        var kela = d.seed().stream().filter(Command.ConfigureRing.class::isInstance).map(c -> ((Command.ConfigureRing) c).ring())
                .filter(r -> r.id().equals("kela")).findFirst().orElseThrow();
        var ring = fi.palvelurinki.broker.ring.RingConfig.builder("kela", "kela").build();
        assertThat(List.of(kela.offerTimeout(), kela.wrapUp(), kela.maxMissedOffers(), kela.declineCooldown(),
                kela.expectedHandleTime(), kela.serviceLevelThreshold(), kela.bookingCapacity()))
                .isEqualTo(List.of(ring.offerTimeout(), ring.wrapUp(), ring.maxMissedOffers(), ring.declineCooldown(),
                        ring.expectedHandleTime(), ring.serviceLevelThreshold(), ring.bookingCapacity()));
        var appointment = d.seed().stream().filter(Command.DefineService.class::isInstance)
                .map(c -> ((Command.DefineService) c).service()).filter(s -> s.id().equals("kela-appointment"))
                .findFirst().orElseThrow();
        var service = fi.palvelurinki.broker.booking.BookableService.of("x", "kela", "x", "general", Duration.ofMinutes(30));
        assertThat(List.of(appointment.bufferBefore(), appointment.bufferAfter(), appointment.horizon(), appointment.notice(),
                appointment.lateGrace())).isEqualTo(List.of(service.bufferBefore(), service.bufferAfter(), service.horizon(),
                        service.notice(), service.lateGrace()));
    }
}
