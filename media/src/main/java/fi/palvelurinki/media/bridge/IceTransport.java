package fi.palvelurinki.media.bridge;

import java.util.List;

/**
 * One side's ICE and DTLS parameters: what the bridge allocated for an endpoint (to put into the SDP the
 * browser is given), or what a browser's SDP answer carries (to hand to the bridge).
 *
 * @param ufrag        ICE username fragment
 * @param pwd          ICE password
 * @param candidates   ICE candidates; may be empty for a browser that trickles them later
 * @param fingerprints DTLS fingerprints, at least one
 */
public record IceTransport(String ufrag, String pwd, List<IceCandidate> candidates, List<DtlsFingerprint> fingerprints) {
    public IceTransport {
        if (ufrag == null || ufrag.isBlank()) {
            throw new IllegalArgumentException("ICE transport without ufrag");
        }
        if (pwd == null || pwd.isBlank()) {
            throw new IllegalArgumentException("ICE transport without pwd");
        }
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
        if (fingerprints == null || fingerprints.isEmpty()) {
            throw new IllegalArgumentException("ICE transport without DTLS fingerprint");
        }
        fingerprints = List.copyOf(fingerprints);
    }

    @Override
    public String toString() {
        // The ICE password lets anyone who holds it pass connectivity checks: keep it out of logs.
        return "IceTransport[ufrag=" + ufrag + ", pwd=(hidden), candidates=" + candidates + ", fingerprints="
                + fingerprints + "]";
    }
}
