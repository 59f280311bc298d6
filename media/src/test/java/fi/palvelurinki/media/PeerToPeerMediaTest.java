package fi.palvelurinki.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PeerToPeerMediaTest {
    private static final IceServer TURN = new IceServer(List.of("turn:turn.example.fi:3478?transport=udp"), "u", "secret");

    @Test
    void browsersGetTheEmbeddedStunServiceAtItsPublicNameThenTheTurnServers() throws Exception {
        try (PeerToPeerMedia media = PeerToPeerMedia.start(new MediaConfig(true, "127.0.0.1", 0, "media.example.fi",
                List.of(TURN)))) {
            int port = media.stun().localAddress().getPort();
            assertThat(port).isPositive();
            assertThat(media.iceServers()).containsExactly(
                    new IceServer(List.of("stun:media.example.fi:" + port), null, null), TURN);
        }
    }

    @Test
    void withoutTheEmbeddedServiceOnlyTheTurnServersAreHandedOut() throws Exception {
        try (PeerToPeerMedia media = PeerToPeerMedia.start(new MediaConfig(false, "127.0.0.1", 0, "127.0.0.1",
                List.of(TURN)))) {
            assertThat(media.stun()).isNull();
            assertThat(media.iceServers()).containsExactly(TURN);
        }
    }

    @Test
    void iceServerUrlsAreChecked() {
        assertThat(IceServer.stun("::1", 3478).urls()).containsExactly("stun:[::1]:3478");
        assertThatThrownBy(() -> new IceServer(List.of(), null, null)).hasMessageContaining("at least one URL");
        assertThatThrownBy(() -> new IceServer(List.of("stun:"), null, null)).hasMessageContaining("names no host");
        assertThatThrownBy(() -> new IceServer(List.of("turns:t.example.fi:5349"), "u", " "))
                .hasMessageContaining("needs a username and a credential");
        assertThatThrownBy(() -> new MediaConfig(true, "0.0.0.0", 3478, "http://x/", List.of()))
                .hasMessageContaining("stunPublicHost must be a host name or address");
    }
}
