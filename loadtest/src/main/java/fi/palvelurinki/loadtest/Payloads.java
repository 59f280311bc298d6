package fi.palvelurinki.loadtest;

import java.util.SplittableRandom;

/**
 * What the clients relay, at a real browser's sizes: an SDP of {@code sdpBytes} (a browser's is
 * 3–6 KB: audio and video sections with their codecs, fingerprints and extensions) and ICE candidates
 * of about 150 bytes. Seeded, so that every run sends the same bytes.
 */
public final class Payloads {
    private final String sdpJson;
    private final String[] candidateJson;

    public Payloads(int sdpBytes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sdp = new StringBuilder(sdpBytes + 256);
        sdp.append("v=0\r\no=- ").append(Math.abs(r.nextLong())).append(" 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n")
                .append("a=group:BUNDLE 0 1\r\na=extmap-allow-mixed\r\na=msid-semantic: WMS stream\r\n")
                .append("m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\nc=IN IP4 0.0.0.0\r\n")
                .append("a=rtcp:9 IN IP4 0.0.0.0\r\na=ice-ufrag:").append(hex(r, 4)).append("\r\na=ice-pwd:")
                .append(hex(r, 24)).append("\r\na=ice-options:trickle\r\na=fingerprint:sha-256 ");
        for (int i = 0; i < 32; i++) {
            sdp.append(i == 0 ? "" : ":").append(hex(r, 2).toUpperCase(java.util.Locale.ROOT));
        }
        sdp.append("\r\na=setup:actpass\r\na=mid:0\r\na=sendrecv\r\na=rtcp-mux\r\n")
                .append("a=rtpmap:111 opus/48000/2\r\na=rtcp-fb:111 transport-cc\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n")
                .append("m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 104 105 106 107 108 109 127 125 39 40 45 46 98 99 100 101\r\n")
                .append("c=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\na=mid:1\r\na=sendrecv\r\na=rtcp-mux\r\na=rtcp-rsize\r\n");
        String[] codecs = {"VP8/90000", "rtx/90000", "H264/90000", "VP9/90000", "AV1/90000", "red/90000", "ulpfec/90000"};
        int pt = 96;
        while (sdp.length() < sdpBytes - 80) {
            String codec = codecs[r.nextInt(codecs.length)];
            sdp.append("a=rtpmap:").append(pt).append(' ').append(codec).append("\r\n")
                    .append("a=rtcp-fb:").append(pt).append(" goog-remb\r\na=rtcp-fb:").append(pt).append(" nack pli\r\n")
                    .append("a=fmtp:").append(pt).append(" level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=")
                    .append(hex(r, 6)).append("\r\n");
            pt = pt >= 127 ? 96 : pt + 1;
        }
        sdp.append("a=ssrc:").append(r.nextInt(1, Integer.MAX_VALUE)).append(" cname:").append(hex(r, 8)).append("\r\n");
        while (sdp.length() < sdpBytes) {
            sdp.append('a');
        }
        sdp.setLength(sdpBytes - 2);
        sdp.append("\r\n");
        this.sdpJson = escape(sdp.toString());
        this.candidateJson = new String[16];
        for (int i = 0; i < candidateJson.length; i++) {
            String type = i % 3 == 0 ? "host" : i % 3 == 1 ? "srflx" : "relay";
            String c = "candidate:" + r.nextInt(1, Integer.MAX_VALUE) + " 1 udp " + r.nextInt(1, Integer.MAX_VALUE)
                    + " 192.0.2." + r.nextInt(1, 255) + " " + r.nextInt(1024, 65535) + " typ " + type
                    + (type.equals("host") ? "" : " raddr 10.0.0." + r.nextInt(1, 255) + " rport " + r.nextInt(1024, 65535))
                    + " generation 0 ufrag " + hex(r, 4) + " network-id 1 network-cost 10";
            candidateJson[i] = escape(c);
        }
    }

    private static String hex(SplittableRandom r, int chars) {
        StringBuilder b = new StringBuilder(chars);
        for (int i = 0; i < chars; i++) {
            b.append(Character.forDigit(r.nextInt(16), 16));
        }
        return b.toString();
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 64);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\r' -> b.append("\\r");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A {@code signal} with an SDP of the configured size. */
    public String sdp(String id, long callId, String type) {
        return "{\"type\":\"signal\",\"id\":\"" + id + "\",\"callId\":" + callId + ",\"sdp\":{\"type\":\"" + type
                + "\",\"sdp\":\"" + sdpJson + "\"}}";
    }

    /** A {@code signal} with the {@code n}-th ICE candidate. */
    public String candidate(String id, long callId, int n) {
        return "{\"type\":\"signal\",\"id\":\"" + id + "\",\"callId\":" + callId + ",\"candidate\":{\"candidate\":\""
                + candidateJson[n % candidateJson.length] + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}";
    }

    public String endOfCandidates(String id, long callId) {
        return "{\"type\":\"signal\",\"id\":\"" + id + "\",\"callId\":" + callId + ",\"endOfCandidates\":true}";
    }

    /** The relay measurements' mix, as in a call: one message in ten an SDP, the rest candidates. */
    public String mixed(String id, long callId, int n) {
        return n % 10 == 0 ? sdp(id, callId, "offer") : candidate(id, callId, n);
    }
}
