package fi.palvelurinki.media.bridge;

import java.util.List;

/**
 * One media source (a browser's microphone or camera track, or one of the bridge's own feedback sources):
 * its SSRCs and the groups among them (FID for retransmission, SIM for simulcast), from the SDP.
 *
 * @param video  true for video, false for audio
 * @param id     source name, unique in the conference; Jitsi's convention is {@code <endpoint>-a0} / {@code -v0}
 * @param ssrcs  SSRCs, at least one, each 1 to 2^32-1
 * @param groups SSRC groups
 */
public record MediaSourceDesc(boolean video, String id, List<Long> ssrcs, List<SsrcGroup> groups) {
    public MediaSourceDesc {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("media source without id (name)");
        }
        if (ssrcs == null || ssrcs.isEmpty()) {
            throw new IllegalArgumentException("media source " + id + " without SSRC");
        }
        ssrcs = List.copyOf(ssrcs);
        for (long s : ssrcs) {
            checkSsrc(id, s);
        }
        groups = groups == null ? List.of() : List.copyOf(groups);
        for (SsrcGroup g : groups) {
            for (long s : g.ssrcs()) {
                if (!ssrcs.contains(s)) {
                    throw new IllegalArgumentException("media source " + id + ": group " + g.semantics()
                            + " names SSRC " + s + " that the source does not have");
                }
            }
        }
    }

    static void checkSsrc(String id, long s) {
        if (s <= 0 || s > 0xffffffffL) {
            throw new IllegalArgumentException("media source " + id + ": SSRC must be 1 to 2^32-1, got " + s);
        }
    }

    /**
     * @param semantics {@code FID}, {@code SIM} or {@code FEC-FR}
     * @param ssrcs     two or more SSRCs, primary first
     */
    public record SsrcGroup(String semantics, List<Long> ssrcs) {
        public SsrcGroup {
            if (semantics == null || semantics.isBlank()) {
                throw new IllegalArgumentException("SSRC group without semantics (FID, SIM)");
            }
            if (ssrcs == null || ssrcs.size() < 2) {
                throw new IllegalArgumentException("SSRC group " + semantics + " needs at least two SSRCs");
            }
            ssrcs = List.copyOf(ssrcs);
        }
    }
}
