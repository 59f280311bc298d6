package fi.palvelurinki.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerToPeerMediaTest {
    private static final String SECRET = "0123456789abcdef-shared";
    private static final TurnConfig TURN = new TurnConfig(List.of("turn:turn.example.fi:3478?transport=udp",
            "turn:turn.example.fi:3478?transport=tcp", "turns:turn.example.fi:5349?transport=tcp"), SECRET,
            Duration.ofHours(1));
    private static final Instant NOW = Instant.ofEpochSecond(1_764_000_000L - 3600);

    @Test
    void browsersGetTheEmbeddedStunServiceThenTurnWithCredentialsOfTheirOwnThatExpire() throws Exception {
        MediaConfig config = new MediaConfig(true, "127.0.0.1", 0, "media.example.fi").withTurn(TURN, false);
        try (PeerToPeerMedia media = PeerToPeerMedia.start(config, InstantSource.fixed(NOW))) {
            int port = media.stun().localAddress().getPort();
            assertThat(port).isPositive();
            // coturn's REST-API scheme: "<expiry>:<user>", base64(HMAC-SHA1(secret, username)); the expected
            // password is openssl's: echo -n 1764000000:anna | openssl dgst -sha1 -hmac SECRET -binary | base64
            assertThat(media.iceServersFor("anna")).containsExactly(
                    new IceServer(List.of("stun:media.example.fi:" + port), null, null),
                    new IceServer(TURN.urls(), "1764000000:anna", "qag+EPPh+rNaYaHAHmnn6WkksB8="));
            assertThat(media.iceServersFor("eeva").get(1).username()).isEqualTo("1764000000:eeva");
            assertThat(media.credentialLifetimeSeconds()).isEqualTo(3600);
        }
    }

    @Test
    void theSharedSecretIsInNoIceServerAndNoPrintedConfiguration() throws Exception {
        MediaConfig config = new MediaConfig(false, "127.0.0.1", 0, "127.0.0.1").withTurn(TURN, true);
        try (PeerToPeerMedia media = PeerToPeerMedia.start(config, InstantSource.fixed(NOW))) {
            assertThat(media.stun()).isNull();
            assertThat(media.iceServersFor("anna")).singleElement()
                    .satisfies(s -> assertThat(s.toString()).doesNotContain(SECRET));
            assertThat(config.toString()).doesNotContain(SECRET).contains("(hidden)");
        }
    }

    @Test
    void withoutTurnThereAreNoCredentials() throws Exception {
        try (PeerToPeerMedia media = PeerToPeerMedia.start(new MediaConfig(true, "127.0.0.1", 0, "127.0.0.1"),
                InstantSource.fixed(NOW))) {
            assertThat(media.iceServersFor("anna")).singleElement().satisfies(s -> assertThat(s.username()).isNull());
            assertThat(media.credentialLifetimeSeconds()).isZero();
        }
    }

    @Test
    void iceAndTurnSettingsAreChecked() {
        assertThat(IceServer.stun("::1", 3478).urls()).containsExactly("stun:[::1]:3478");
        assertThatThrownBy(() -> new IceServer(List.of(), null, null)).hasMessageContaining("at least one URL");
        assertThatThrownBy(() -> new IceServer(List.of("stun:"), null, null)).hasMessageContaining("names no host");
        assertThatThrownBy(() -> new IceServer(List.of("turns:t.example.fi:5349"), "u", " "))
                .hasMessageContaining("needs a username and a credential");
        assertThatThrownBy(() -> new MediaConfig(true, "0.0.0.0", 3478, "http://x/"))
                .hasMessageContaining("stunPublicHost must be a host name or address");
        assertThatThrownBy(() -> new TurnConfig(List.of("stun:t.example.fi"), SECRET, Duration.ofHours(1)))
                .hasMessageContaining("TURN URLs start with turn: or turns:");
        assertThatThrownBy(() -> new TurnConfig(TURN.urls(), "short", Duration.ofHours(1)))
                .hasMessageContaining("at least 16 characters");
        assertThatThrownBy(() -> new TurnConfig(TURN.urls(), SECRET, Duration.ofDays(2)))
                .hasMessageContaining("between 1 minute and 24 hours");
        assertThatThrownBy(() -> new MediaConfig(true, "0.0.0.0", 3478, "127.0.0.1").withTurn(null, true))
                .hasMessageContaining("relay needs a TURN relay");
        assertThatThrownBy(() -> MediaConfig.defaults().withRecoveryTimeout(Duration.ofSeconds(1)))
                .hasMessageContaining("recoveryTimeout must be between 5 s and 10 min");
    }
}
