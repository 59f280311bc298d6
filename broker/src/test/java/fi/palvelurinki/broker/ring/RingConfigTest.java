package fi.palvelurinki.broker.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.point.ServicePoint;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RingConfigTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        RingConfig r = RingConfig.builder("kela", "kela").build();
        assertThat(r.offerTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(r.wrapUp()).isEqualTo(Duration.ofSeconds(60));
        assertThat(r.maxMissedOffers()).isEqualTo(2);
        assertThat(r.declineCooldown()).isEqualTo(Duration.ofSeconds(60));
        assertThat(r.expectedHandleTime()).isEqualTo(Duration.ofMinutes(8));
        assertThat(r.serviceLevelThreshold()).isEqualTo(Duration.ofSeconds(60));
        assertThat(r.languages()).containsExactly(Language.FI);
        assertThat(r.servesTopic("anything")).isTrue();
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> RingConfig.builder("kela", "kela").offerTimeout(Duration.ofSeconds(1)).build())
                .isInstanceOf(BrokerException.class).hasMessageContaining("offer timeout must be between 5 s and 600 s");
        assertThatThrownBy(() -> RingConfig.builder("kela", "kela").maxMissedOffers(0).build())
                .hasMessageContaining("max missed offers");
        assertThatThrownBy(() -> RingConfig.builder("kela", "kela").overflow("kela", Duration.ZERO).build())
                .hasMessageContaining("cannot overflow to itself");
        assertThatThrownBy(() -> RingConfig.builder("kela", "kela").languageEscalation(Duration.ofMinutes(1), Set.of()).build())
                .hasMessageContaining("names no fallback language");
        assertThatThrownBy(() -> RingConfig.builder("kela ring", "kela").build()).hasMessageContaining("ring id");
        assertThatThrownBy(() -> RingConfig.builder("kela", "kela").languages(Set.of()).build())
                .hasMessageContaining("at least one language");
        assertThatThrownBy(() -> new ServicePoint("p", "P", "M", 0)).hasMessageContaining("1-20 remote-service rooms");
        assertThatThrownBy(() -> new ExpertProfile("e", "E", Set.of(), Set.of(Language.FI), Set.of()))
                .hasMessageContaining("must belong to 1-16 rings");
        assertThatThrownBy(() -> Language.parse("de")).hasMessageContaining("unknown language 'de'");
    }
}
