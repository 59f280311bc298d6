package fi.palvelurinki.media.bridge;

import java.util.Set;

/**
 * The DTLS certificate fingerprint of one side (SDP {@code a=fingerprint} and {@code a=setup}).
 *
 * @param hash        hash function, e.g. {@code sha-256}
 * @param fingerprint colon-separated upper-case hex bytes
 * @param setup       DTLS role: {@code actpass} (the bridge offers both), {@code active} (a browser's answer
 *                    usually) or {@code passive}
 */
public record DtlsFingerprint(String hash, String fingerprint, String setup) {
    private static final Set<String> SETUPS = Set.of("actpass", "active", "passive");

    public DtlsFingerprint {
        if (hash == null || hash.isBlank()) {
            throw new IllegalArgumentException("DTLS fingerprint without hash function (e.g. sha-256)");
        }
        if (fingerprint == null || !fingerprint.matches("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})+")) {
            throw new IllegalArgumentException("DTLS fingerprint must be colon-separated hex bytes, got '" + fingerprint + "'");
        }
        if (setup == null || !SETUPS.contains(setup)) {
            throw new IllegalArgumentException("DTLS setup must be one of " + SETUPS + ", got '" + setup + "'");
        }
    }
}
