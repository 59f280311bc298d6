package fi.palvelurinki.media;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.media.testing.Coturn;
import fi.palvelurinki.media.testing.TurnClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The credentials this server mints, tried on a real coturn with a real TURN Allocate: coturn knows
 * nothing of Palvelurinki but the shared secret. coturn judges expiry by the machine's clock, so the
 * credentials are minted at instants relative to it.
 */
class CoturnCredentialsTest {
    @TempDir
    static Path dir;
    static Coturn coturn;

    @BeforeAll
    static void startCoturn() throws Exception {
        coturn = Coturn.start(dir);
    }

    @AfterAll
    static void stopCoturn() {
        if (coturn != null) {
            coturn.close();
        }
    }

    private static IceServer minted(TurnConfig config, Instant at) throws Exception {
        MediaConfig m = new MediaConfig(false, "127.0.0.1", 0, "127.0.0.1").withTurn(config, true);
        try (PeerToPeerMedia media = PeerToPeerMedia.start(m, InstantSource.fixed(at))) {
            return media.iceServersFor("anna").get(0);
        }
    }

    private static TurnClient.Outcome allocate(IceServer s) throws Exception {
        try (TurnClient client = new TurnClient()) {
            return client.allocate(coturn.port(), s.username(), s.credential());
        }
    }

    @Test
    void freshCredentialsGetARelayedAddress() throws Exception {
        TurnClient.Outcome o = allocate(minted(coturn.config(Duration.ofMinutes(10)), Instant.now()));
        assertThat(o.allocated()).as("%s; coturn log:%n%s", o, coturn.log()).isTrue();
    }

    @Test
    void expiredCredentialsAreRefused() throws Exception {
        // Minted two minutes past their one-minute lifetime: the signature is right, the expiry has passed.
        IceServer expired = minted(coturn.config(Duration.ofMinutes(1)), Instant.now().minus(Duration.ofMinutes(3)));
        assertThat(Long.parseLong(expired.username().split(":")[0])).isLessThan(Instant.now().getEpochSecond());
        assertThat(allocate(expired).errorCode()).isEqualTo(401);
    }

    @Test
    void credentialsSignedWithAnotherSecretOrAlteredAreRefused() throws Exception {
        TurnConfig forger = new TurnConfig(coturn.config(Duration.ofMinutes(10)).urls(), "not-the-shared-secret-of-coturn",
                Duration.ofMinutes(10));
        assertThat(allocate(minted(forger, Instant.now())).errorCode()).isEqualTo(401);

        // A real credential whose expiry was pushed a day further: the signature no longer matches.
        IceServer real = minted(coturn.config(Duration.ofMinutes(10)), Instant.now());
        long expiry = Long.parseLong(real.username().split(":")[0]);
        IceServer stretched = new IceServer(real.urls(), (expiry + 86_400) + ":anna", real.credential());
        assertThat(allocate(stretched).errorCode()).isEqualTo(401);
        assertThat(List.of(real.username(), real.credential())).noneMatch(v -> v.contains(coturn.secret()));
    }
}
