package fi.palvelurinki.media.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class VideobridgeConfigTest {
    @Test
    void theConferencesResourceIsUnderTheBaseUrlWithOrWithoutATrailingSlash() {
        VideobridgeConfig plain = new VideobridgeConfig("http://10.0.0.5:8080");
        VideobridgeConfig slash = new VideobridgeConfig("http://10.0.0.5:8080/");
        VideobridgeConfig prefixed = new VideobridgeConfig(URI.create("https://jvb.internal/jvb1/"), Duration.ofSeconds(2));

        assertThat(plain.conferences()).isEqualTo(URI.create("http://10.0.0.5:8080/colibri/v2/conferences"));
        assertThat(slash.conference("call-1")).isEqualTo(URI.create("http://10.0.0.5:8080/colibri/v2/conferences/call-1"));
        assertThat(prefixed.conferences()).isEqualTo(URI.create("https://jvb.internal/jvb1/colibri/v2/conferences"));
        assertThat(plain.timeout()).isEqualTo(VideobridgeConfig.DEFAULT_TIMEOUT);
    }

    @Test
    void aBadSettingIsRefusedWithTheKeyAndAnExample() {
        assertThatThrownBy(() -> new VideobridgeConfig(""))
                .hasMessageContaining("media.videobridge.url is required, e.g. http://");
        assertThatThrownBy(() -> new VideobridgeConfig("ws://10.0.0.5:8080"))
                .hasMessageContaining("must be an http: or https: URL");
        assertThatThrownBy(() -> new VideobridgeConfig("http://10.0.0.5:8080/?secret=x"))
                .hasMessageContaining("without user, query or fragment");
        assertThatThrownBy(() -> new VideobridgeConfig("http://a b"))
                .hasMessageContaining("is not a URL");
        assertThatThrownBy(() -> new VideobridgeConfig(URI.create("http://10.0.0.5"), Duration.ofMillis(50)))
                .hasMessageContaining("media.videobridge.timeout must be between 100 ms and 60 s");
        assertThatThrownBy(() -> new VideobridgeConfig(URI.create("http://10.0.0.5"), Duration.ofMinutes(2)))
                .hasMessageContaining("media.videobridge.timeout must be between 100 ms and 60 s");
    }
}
