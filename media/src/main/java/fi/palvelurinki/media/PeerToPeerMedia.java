package fi.palvelurinki.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Media for two-party calls: the browsers connect peer-to-peer and signaling only relays their SDP and
 * ICE candidates. What the server contributes is the ICE configuration: the embedded STUN service
 * (when enabled), then the TURN relay with credentials minted for the user asking, valid for the
 * configured lifetime from the injected clock.
 */
public final class PeerToPeerMedia implements AutoCloseable {
    private final MediaConfig config;
    private final StunServer stun;
    private final IceServer stunEntry;
    private final TurnCredentials turn;
    private final InstantSource clock;

    private PeerToPeerMedia(MediaConfig config, StunServer stun, InstantSource clock) {
        this.config = config;
        this.stun = stun;
        this.stunEntry = stun == null ? null : IceServer.stun(config.stunPublicHost(), stun.localAddress().getPort());
        this.turn = config.turn() == null ? null : new TurnCredentials(config.turn());
        this.clock = clock;
    }

    public static PeerToPeerMedia start(MediaConfig config, InstantSource clock) throws IOException {
        StunServer stun = null;
        if (config.embeddedStun()) {
            stun = StunServer.start(new InetSocketAddress(config.stunHost(), config.stunPort()));
        }
        return new PeerToPeerMedia(config, stun, clock);
    }

    /**
     * What {@code user}'s browser puts in {@code RTCPeerConnection}'s {@code iceServers}: the STUN
     * service, then the TURN relay with credentials of this user that expire after
     * {@link #credentialLifetimeSeconds()}. The shared secret itself is never part of it.
     */
    public List<IceServer> iceServersFor(String user) {
        List<IceServer> out = new ArrayList<>(2);
        if (stunEntry != null) {
            out.add(stunEntry);
        }
        if (turn != null) {
            out.add(turn.mint(user, clock.instant()));
        }
        return out;
    }

    /** How long the credentials of {@link #iceServersFor} are valid; 0 without a TURN relay. */
    public long credentialLifetimeSeconds() {
        return config.turn() == null ? 0 : config.turn().credentialLifetime().toSeconds();
    }

    public MediaConfig config() {
        return config;
    }

    /** The embedded STUN service, or null when it is disabled. */
    public StunServer stun() {
        return stun;
    }

    @Override
    public void close() {
        if (stun != null) {
            stun.close();
        }
    }
}
