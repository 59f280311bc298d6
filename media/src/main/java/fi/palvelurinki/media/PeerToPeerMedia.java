package fi.palvelurinki.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Media for two-party calls: the browsers connect peer-to-peer and signaling only relays their SDP and
 * ICE candidates. What the server contributes is the ICE configuration: the embedded STUN service
 * (when enabled) and the configured TURN servers, in that order.
 */
public final class PeerToPeerMedia implements AutoCloseable {
    private final StunServer stun;
    private final List<IceServer> iceServers;

    private PeerToPeerMedia(StunServer stun, List<IceServer> iceServers) {
        this.stun = stun;
        this.iceServers = List.copyOf(iceServers);
    }

    public static PeerToPeerMedia start(MediaConfig config) throws IOException {
        List<IceServer> ice = new ArrayList<>();
        StunServer stun = null;
        if (config.embeddedStun()) {
            stun = StunServer.start(new InetSocketAddress(config.stunHost(), config.stunPort()));
            ice.add(IceServer.stun(config.stunPublicHost(), stun.localAddress().getPort()));
        }
        ice.addAll(config.turnServers());
        return new PeerToPeerMedia(stun, ice);
    }

    /** What clients put in {@code RTCPeerConnection}'s {@code iceServers}. */
    public List<IceServer> iceServers() {
        return iceServers;
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
