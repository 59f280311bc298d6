package fi.palvelurinki.media.bridge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jitsi.utils.MediaType;
import org.jitsi.xmpp.extensions.colibri.SourcePacketExtension;
import org.jitsi.xmpp.extensions.colibri2.Capability;
import org.jitsi.xmpp.extensions.colibri2.Colibri2Endpoint;
import org.jitsi.xmpp.extensions.colibri2.ConferenceModifiedIQ;
import org.jitsi.xmpp.extensions.colibri2.ConferenceModifyIQ;
import org.jitsi.xmpp.extensions.colibri2.Media;
import org.jitsi.xmpp.extensions.colibri2.MediaSource;
import org.jitsi.xmpp.extensions.colibri2.Sources;
import org.jitsi.xmpp.extensions.colibri2.Transport;
import org.jitsi.xmpp.extensions.colibri2.json.Colibri2JSONDeserializer;
import org.jitsi.xmpp.extensions.colibri2.json.Colibri2JSONSerializer;
import org.jitsi.xmpp.extensions.jingle.CandidatePacketExtension;
import org.jitsi.xmpp.extensions.jingle.CandidateType;
import org.jitsi.xmpp.extensions.jingle.DtlsFingerprintPacketExtension;
import org.jitsi.xmpp.extensions.jingle.IceCandidatePacketExtension;
import org.jitsi.xmpp.extensions.jingle.IceRtcpmuxPacketExtension;
import org.jitsi.xmpp.extensions.jingle.IceUdpTransportPacketExtension;
import org.jitsi.xmpp.extensions.jingle.ParameterPacketExtension;
import org.jitsi.xmpp.extensions.jingle.PayloadTypePacketExtension;
import org.jitsi.xmpp.extensions.jingle.RTPHdrExtPacketExtension;
import org.jitsi.xmpp.extensions.jingle.RtcpFbPacketExtension;
import org.jitsi.xmpp.extensions.jingle.SourceGroupPacketExtension;

/**
 * The Colibri2 messages of a call, built with Jitsi's own IQ builders and turned into the bridge's REST JSON
 * with Jitsi's {@link Colibri2JSONSerializer}; the bridge's answers are read with {@link Colibri2JSONDeserializer}.
 * Using Jitsi's classes on both sides keeps the JSON exactly what the bridge's REST resource itself parses with
 * them, rather than our reading of its documentation.
 *
 * <p>A call is one Colibri2 conference whose meeting id is the call id; each party is one endpoint. Jitsi's classes
 * and Jackson stay inside this class: the package's public API speaks JDK types.
 */
public final class Colibri2Messages {
    /** Opus and VP8 payload types and header extension ids: the SDP the browsers are given must use these. */
    public static final int OPUS_PT = 111;
    public static final int VP8_PT = 100;
    public static final int VP8_RTX_PT = 96;
    public static final int AUDIO_LEVEL_EXT = 1;
    public static final int ABS_SEND_TIME_EXT = 3;
    public static final int TRANSPORT_CC_EXT = 5;
    private static final URI AUDIO_LEVEL = URI.create("urn:ietf:params:rtp-hdrext:ssrc-audio-level");
    private static final URI ABS_SEND_TIME = URI.create("http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time");
    private static final URI TRANSPORT_CC = URI.create("http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01");
    /** Smack needs a stanza id; over REST it is not sent (the serializer leaves it out). */
    private static final String STANZA_ID = "palvelurinki";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Colibri2Messages() {
    }

    /**
     * The bridge's endpoint id for a party key ({@code advisor:anna}): a digest, so that the bridge's logs and
     * statistics carry no user ids of ours, and so that any party key gives an id safe in the bridge's URLs
     * (its colibri-ws path has the endpoint id in it).
     */
    public static String endpointId(String partyKey) {
        if (partyKey == null || partyKey.isBlank()) {
            throw new IllegalArgumentException("party key is required (e.g. advisor:anna)");
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(partyKey.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    static String checkMeetingId(String callId) {
        if (callId == null || callId.isBlank() || callId.length() > 128) {
            throw new IllegalArgumentException("call id (the conference's meeting id) must be 1-128 characters, got '"
                    + callId + "'");
        }
        return callId;
    }

    /** Creates the conference of a call with one endpoint per party (POST). */
    static ObjectNode createConference(String callId, List<String> endpointIds) {
        ConferenceModifyIQ.Builder b = ConferenceModifyIQ.builder(STANZA_ID);
        b.setMeetingId(checkMeetingId(callId));
        b.setCreate(true);
        if (endpointIds.isEmpty()) {
            throw new IllegalArgumentException("a conference needs at least one endpoint");
        }
        for (String id : endpointIds) {
            b.addEndpoint(newEndpoint(id));
        }
        return Colibri2JSONSerializer.serializeConferenceModify(b.build());
    }

    /** Adds endpoints to an existing conference: a party joins the call (PATCH). */
    static ObjectNode createEndpoints(String callId, List<String> endpointIds) {
        ConferenceModifyIQ.Builder b = ConferenceModifyIQ.builder(STANZA_ID);
        b.setMeetingId(checkMeetingId(callId));
        for (String id : endpointIds) {
            b.addEndpoint(newEndpoint(id));
        }
        return Colibri2JSONSerializer.serializeConferenceModify(b.build());
    }

    /**
     * Hands the bridge a browser's side of an endpoint: its ICE credentials, candidates and DTLS fingerprint from its
     * SDP answer, and the SSRCs it sends (PATCH). Either may be null to leave it unchanged (candidates trickle in
     * after the answer).
     */
    static ObjectNode updateEndpoint(String callId, String endpointId, IceTransport browser,
            List<MediaSourceDesc> sources) {
        if (browser == null && sources == null) {
            throw new IllegalArgumentException("an endpoint update needs a transport, sources or both");
        }
        Colibri2Endpoint.Builder e = Colibri2Endpoint.getBuilder();
        e.setId(checkEndpointId(endpointId));
        if (browser != null) {
            e.setTransport(Transport.getBuilder().setIceUdpExtension(iceUdp(browser)).build());
        }
        if (sources != null) {
            Sources.Builder s = Sources.getBuilder();
            for (MediaSourceDesc d : sources) {
                s.addMediaSource(mediaSource(d));
            }
            e.setSources(s.build());
        }
        ConferenceModifyIQ.Builder b = ConferenceModifyIQ.builder(STANZA_ID);
        b.setMeetingId(checkMeetingId(callId));
        b.addEndpoint(e.build());
        return Colibri2JSONSerializer.serializeConferenceModify(b.build());
    }

    /** A party left: its endpoint is expired (PATCH). */
    static ObjectNode expireEndpoint(String callId, String endpointId) {
        Colibri2Endpoint.Builder e = Colibri2Endpoint.getBuilder();
        e.setId(checkEndpointId(endpointId));
        e.setExpire(true);
        ConferenceModifyIQ.Builder b = ConferenceModifyIQ.builder(STANZA_ID);
        b.setMeetingId(checkMeetingId(callId));
        b.addEndpoint(e.build());
        return Colibri2JSONSerializer.serializeConferenceModify(b.build());
    }

    /** The call ended: the whole conference is expired (PATCH). */
    static ObjectNode expireConference(String callId) {
        ConferenceModifyIQ.Builder b = ConferenceModifyIQ.builder(STANZA_ID);
        b.setMeetingId(checkMeetingId(callId));
        b.setExpire(true);
        return Colibri2JSONSerializer.serializeConferenceModify(b.build());
    }

    private static String checkEndpointId(String id) {
        if (id == null || !id.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("endpoint id must be 1-64 of A-Z a-z 0-9 . _ -, got '" + id + "'");
        }
        return id;
    }

    private static Colibri2Endpoint newEndpoint(String id) {
        Colibri2Endpoint.Builder e = Colibri2Endpoint.getBuilder();
        e.setId(checkEndpointId(id));
        e.setCreate(true);
        e.addMedia(audio());
        e.addMedia(video());
        // The bridge is the ICE controlling agent towards browsers, as with Jitsi's own conference focus.
        e.setTransport(Transport.getBuilder().setIceControlling(true).build());
        // The bridge refuses to create an endpoint without source-name support (one named source per track).
        e.addCapability(Capability.CAP_SOURCE_NAME_SUPPORT);
        return e.build();
    }

    private static Media audio() {
        PayloadTypePacketExtension opus = payloadType(OPUS_PT, "opus", 48000, 2);
        opus.addParameter(new ParameterPacketExtension("minptime", "10"));
        opus.addParameter(new ParameterPacketExtension("useinbandfec", "1"));
        opus.addRtcpFeedbackType(feedback("transport-cc", null));
        return Media.getBuilder().setType(MediaType.AUDIO).addPayloadType(opus)
                .addRtpHdrExt(headerExtension(AUDIO_LEVEL_EXT, AUDIO_LEVEL))
                .addRtpHdrExt(headerExtension(TRANSPORT_CC_EXT, TRANSPORT_CC)).build();
    }

    private static Media video() {
        PayloadTypePacketExtension vp8 = payloadType(VP8_PT, "VP8", 90000, 0);
        vp8.addRtcpFeedbackType(feedback("ccm", "fir"));
        vp8.addRtcpFeedbackType(feedback("nack", null));
        vp8.addRtcpFeedbackType(feedback("nack", "pli"));
        vp8.addRtcpFeedbackType(feedback("transport-cc", null));
        PayloadTypePacketExtension rtx = payloadType(VP8_RTX_PT, "rtx", 90000, 0);
        rtx.addParameter(new ParameterPacketExtension("apt", Integer.toString(VP8_PT)));
        return Media.getBuilder().setType(MediaType.VIDEO).addPayloadType(vp8).addPayloadType(rtx)
                .addRtpHdrExt(headerExtension(ABS_SEND_TIME_EXT, ABS_SEND_TIME))
                .addRtpHdrExt(headerExtension(TRANSPORT_CC_EXT, TRANSPORT_CC)).build();
    }

    private static PayloadTypePacketExtension payloadType(int id, String name, int clockrate, int channels) {
        PayloadTypePacketExtension p = new PayloadTypePacketExtension();
        p.setId(id);
        p.setName(name);
        p.setClockrate(clockrate);
        if (channels > 0) {
            p.setChannels(channels);
        }
        return p;
    }

    private static RtcpFbPacketExtension feedback(String type, String subtype) {
        RtcpFbPacketExtension f = new RtcpFbPacketExtension();
        f.setFeedbackType(type);
        if (subtype != null) {
            f.setFeedbackSubtype(subtype);
        }
        return f;
    }

    private static RTPHdrExtPacketExtension headerExtension(int id, URI uri) {
        RTPHdrExtPacketExtension h = new RTPHdrExtPacketExtension();
        h.setID(Integer.toString(id));
        h.setURI(uri);
        return h;
    }

    private static IceUdpTransportPacketExtension iceUdp(IceTransport t) {
        IceUdpTransportPacketExtension x = new IceUdpTransportPacketExtension();
        x.setUfrag(t.ufrag());
        x.setPassword(t.pwd());
        x.addChildExtension(new IceRtcpmuxPacketExtension());
        for (DtlsFingerprint f : t.fingerprints()) {
            DtlsFingerprintPacketExtension fx = new DtlsFingerprintPacketExtension();
            fx.setHash(f.hash());
            fx.setFingerprint(f.fingerprint());
            fx.setSetup(f.setup());
            x.addChildExtension(fx);
        }
        int n = 0;
        for (IceCandidate c : t.candidates()) {
            IceCandidatePacketExtension cx = new IceCandidatePacketExtension();
            cx.setFoundation(c.foundation());
            cx.setComponent(c.component());
            cx.setProtocol(c.protocol());
            cx.setPriority(c.priority());
            cx.setIP(c.ip());
            cx.setPort(c.port());
            cx.setType(CandidateType.valueOf(c.type()));
            if (c.relAddr() != null) {
                cx.setRelAddr(c.relAddr());
                cx.setRelPort(c.relPort());
            }
            cx.setGeneration(c.generation());
            cx.setNetwork(0);
            // Jingle candidates carry an id; browsers' SDP has none, and the bridge uses it only for logging.
            cx.setID(Integer.toString(n++));
            x.addCandidate(cx);
        }
        return x;
    }

    private static MediaSource mediaSource(MediaSourceDesc d) {
        MediaSource.Builder b = MediaSource.getBuilder().setType(d.video() ? MediaType.VIDEO : MediaType.AUDIO).setId(d.id());
        for (long ssrc : d.ssrcs()) {
            SourcePacketExtension s = new SourcePacketExtension();
            s.setSSRC(ssrc);
            s.setName(d.id());
            b.addSource(s);
        }
        for (MediaSourceDesc.SsrcGroup g : d.groups()) {
            SourceGroupPacketExtension gx = new SourceGroupPacketExtension();
            gx.setSemantics(g.semantics());
            List<SourcePacketExtension> members = new ArrayList<>();
            for (long ssrc : g.ssrcs()) {
                SourcePacketExtension s = new SourcePacketExtension();
                s.setSSRC(ssrc);
                members.add(s);
            }
            gx.addSources(members);
            b.addSsrcGroup(gx);
        }
        return b.build();
    }

    /**
     * Reads a bridge's {@code conference-modified} JSON (the body of a 200 answer).
     *
     * @throws Colibri2Exception when the body is not JSON, not an object, or not a valid conference-modified
     */
    static ConferenceModified parseConferenceModified(String body) throws Colibri2Exception {
        JsonNode node;
        try {
            node = JSON.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw bad("is not JSON (" + e.getOriginalMessage() + ")", body, e);
        }
        if (!(node instanceof ObjectNode object)) {
            throw bad("is not a JSON object", body, null);
        }
        ConferenceModifiedIQ iq;
        try {
            iq = Colibri2JSONDeserializer.deserializeConferenceModified(object).build();
        } catch (RuntimeException e) {
            throw bad("is not a Colibri2 conference-modified (" + e.getMessage() + ")", body, e);
        }
        try {
            Map<String, BridgeEndpoint> endpoints = new LinkedHashMap<>();
            for (Colibri2Endpoint e : iq.getEndpoints()) {
                if (e.getId() == null || e.getId().isBlank()) {
                    throw new IllegalArgumentException("an endpoint without id");
                }
                Transport t = e.getTransport();
                IceUdpTransportPacketExtension ice = t == null ? null : t.getIceUdpTransport();
                endpoints.put(e.getId(), new BridgeEndpoint(e.getId(), ice == null ? null : transport(ice), e.getExpire()));
            }
            List<MediaSourceDesc> feedback = new ArrayList<>();
            Sources sources = iq.getSources();
            if (sources != null) {
                for (MediaSource m : sources.getMediaSources()) {
                    feedback.add(source(m));
                }
            }
            return new ConferenceModified(endpoints, feedback);
        } catch (IllegalArgumentException e) {
            throw bad("has " + e.getMessage(), body, e);
        }
    }

    private static Colibri2Exception bad(String what, String body, Throwable cause) {
        return new Colibri2Exception(Colibri2Exception.Kind.BAD_ANSWER, 200,
                "the bridge's answer " + what + ": " + Colibri2Client.snippet(body), cause);
    }

    private static IceTransport transport(IceUdpTransportPacketExtension ice) {
        List<IceCandidate> candidates = new ArrayList<>();
        for (CandidatePacketExtension c : ice.getCandidateList()) {
            String relAddr = c.getRelAddr();
            candidates.add(new IceCandidate(c.getFoundation(), c.getComponent(), c.getProtocol(),
                    number(c.getAttributeAsString("priority"), "candidate priority"), c.getIP(), c.getPort(),
                    c.getType() == null ? null : c.getType().name(), relAddr, relAddr == null ? -1 : c.getRelPort(),
                    Math.max(c.getGeneration(), 0)));
        }
        List<DtlsFingerprint> fingerprints = new ArrayList<>();
        for (DtlsFingerprintPacketExtension f : ice.getChildExtensionsOfType(DtlsFingerprintPacketExtension.class)) {
            fingerprints.add(new DtlsFingerprint(f.getHash(), f.getFingerprint(), f.getSetup()));
        }
        return new IceTransport(ice.getUfrag(), ice.getPassword(), candidates, fingerprints);
    }

    private static MediaSourceDesc source(MediaSource m) {
        List<Long> ssrcs = new ArrayList<>();
        for (SourcePacketExtension s : m.getSources()) {
            ssrcs.add(s.getSSRC());
        }
        List<MediaSourceDesc.SsrcGroup> groups = new ArrayList<>();
        for (SourceGroupPacketExtension g : m.getSsrcGroups()) {
            List<Long> members = new ArrayList<>();
            for (SourcePacketExtension s : g.getSources()) {
                members.add(s.getSSRC());
            }
            groups.add(new MediaSourceDesc.SsrcGroup(g.getSemantics(), members));
        }
        if (m.getType() == null) {
            throw new IllegalArgumentException("a source without media type: " + m.getId());
        }
        return new MediaSourceDesc(m.getType() == MediaType.VIDEO, m.getId(), ssrcs, groups);
    }

    private static long number(String s, String what) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException(what + " that is not a number: '" + s + "'");
        }
    }
}
