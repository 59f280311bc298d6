package fi.palvelurinki.media.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jitsi.utils.MediaType;
import org.jitsi.xmpp.extensions.colibri2.Capability;
import org.jitsi.xmpp.extensions.colibri2.Colibri2Endpoint;
import org.jitsi.xmpp.extensions.colibri2.ConferenceModifyIQ;
import org.jitsi.xmpp.extensions.colibri2.Media;
import org.jitsi.xmpp.extensions.colibri2.MediaSource;
import org.jitsi.xmpp.extensions.colibri2.json.Colibri2JSONDeserializer;
import org.jitsi.xmpp.extensions.jingle.CandidatePacketExtension;
import org.jitsi.xmpp.extensions.jingle.DtlsFingerprintPacketExtension;
import org.jitsi.xmpp.extensions.jingle.IceUdpTransportPacketExtension;
import org.jitsi.xmpp.extensions.jingle.PayloadTypePacketExtension;
import org.junit.jupiter.api.Test;

/**
 * The Colibri2 contract without a bridge: what we send must read, with Jitsi's own deserializer (the one the
 * bridge's REST resource uses), as what we meant, and must match Jitsi's fixtures where they describe the same
 * message; Jitsi's fixture answers must read into our records.
 */
class Colibri2MessagesTest {
    static final String CALL = "beccf2ed-5441-4bfe-96d6-f0f3a6796378";

    private static ConferenceModifyIQ asBridgeReadsIt(ObjectNode json) {
        // The bridge's REST resource parses the request text, then hands the tree to this deserializer.
        ObjectNode reparsed = (ObjectNode) JitsiFixtures.tree(json.toString());
        return Colibri2JSONDeserializer.deserializeConferenceModify(reparsed).build();
    }

    @Test
    void aCallOfThreeIsOneConferenceWithTheCallIdAsMeetingIdAndAnEndpointPerParty() {
        List<String> ids = List.of(Colibri2Messages.endpointId("advisor:anna"), Colibri2Messages.endpointId("expert:eeva"),
                Colibri2Messages.endpointId("expert:tuulikki"));
        ConferenceModifyIQ iq = asBridgeReadsIt(Colibri2Messages.createConference("call-42", ids));

        assertThat(iq.getMeetingId()).isEqualTo("call-42");
        assertThat(iq.getCreate()).isTrue();
        assertThat(iq.getExpire()).isFalse();
        assertThat(iq.getEndpoints()).extracting(Colibri2Endpoint::getId).containsExactlyElementsOf(ids);
        for (Colibri2Endpoint e : iq.getEndpoints()) {
            assertThat(e.getCreate()).as("endpoint %s created", e.getId()).isTrue();
            // What the bridge checks before it creates an endpoint: a transport and source-name support.
            assertThat(e.getTransport()).isNotNull();
            assertThat(e.getTransport().getIceControlling()).isTrue();
            assertThat(e.hasCapability(Capability.CAP_SOURCE_NAME_SUPPORT)).isTrue();
            assertThat(e.getStatsId()).as("no user id of ours reaches the bridge's statistics").isNull();

            assertThat(e.getMedia()).extracting(Media::getType).containsExactly(MediaType.AUDIO, MediaType.VIDEO);
            PayloadTypePacketExtension opus = e.getMedia().get(0).getPayloadTypes().get(0);
            assertThat(opus.getName()).isEqualTo("opus");
            assertThat(opus.getID()).isEqualTo(Colibri2Messages.OPUS_PT);
            assertThat(opus.getClockrate()).isEqualTo(48000);
            assertThat(opus.getChannels()).isEqualTo(2);
            List<PayloadTypePacketExtension> video = e.getMedia().get(1).getPayloadTypes();
            assertThat(video).extracting(PayloadTypePacketExtension::getName).containsExactly("VP8", "rtx");
            assertThat(video.get(0).getID()).isEqualTo(Colibri2Messages.VP8_PT);
            assertThat(video.get(0).getRtcpFeedbackTypeList()).extracting(f -> f.getFeedbackType() + " "
                    + f.getFeedbackSubtype()).contains("nack pli", "ccm fir", "transport-cc null");
            assertThat(video.get(1).getParameters()).anySatisfy(p -> {
                assertThat(p.getName()).isEqualTo("apt");
                assertThat(p.getValue()).isEqualTo(Integer.toString(Colibri2Messages.VP8_PT));
            });
            assertThat(e.getMedia().get(0).getRtpHdrExts()).extracting(h -> h.getID() + " " + h.getURI())
                    .contains("1 urn:ietf:params:rtp-hdrext:ssrc-audio-level");
        }
    }

    @Test
    void theConferenceWeCreateUsesOnlyFieldsOfJitsisOwnCreateFixture() {
        ObjectNode ours = Colibri2Messages.createConference(CALL, List.of(Colibri2Messages.endpointId("advisor:anna")));
        ObjectNode jitsi = JitsiFixtures.object("create-conference-request.json");

        assertThat(paths(jitsi)).containsAll(paths(ours));
    }

    @Test
    void aBrowsersTransportAndSourcesAreExactlyJitsisUpdateFixture() {
        // The values of Jitsi's "Update endpoint with transport and sources"; the fixture also names the
        // endpoint's stats-id, which we never send.
        IceTransport browser = new IceTransport("sXoJ", "PirYicPKtYw4+mkIUOm1wWQm", List.of(),
                List.of(new DtlsFingerprint("sha-256",
                        "BB:50:EE:83:47:4C:EB:04:4F:9E:32:5D:EC:42:9C:33:1E:E5:DF:17:46:C3:AA:20:E1:F5:C6:0B:E7:C4:78:BF",
                        "active")));
        List<MediaSourceDesc> sources = List.of(
                new MediaSourceDesc(false, "79f0273e-a0", List.of(3166599606L), List.of()),
                new MediaSourceDesc(true, "79f0273e-v0",
                        List.of(437485591L, 2958490935L, 1565856603L, 1153580044L, 23279666L, 382686375L),
                        List.of(new MediaSourceDesc.SsrcGroup("FID", List.of(437485591L, 2958490935L)),
                                new MediaSourceDesc.SsrcGroup("SIM", List.of(437485591L, 1565856603L, 1153580044L)),
                                new MediaSourceDesc.SsrcGroup("FID", List.of(1565856603L, 23279666L)),
                                new MediaSourceDesc.SsrcGroup("FID", List.of(1153580044L, 382686375L)))));

        ObjectNode ours = Colibri2Messages.updateEndpoint(CALL, "79f0273e", browser, sources);
        ObjectNode jitsi = JitsiFixtures.object("update-endpoint-request.json");
        ((ObjectNode) jitsi.get("endpoints").get(0)).remove("stats-id");

        // Compared as parsed text: Jackson's trees tell an int from a long of the same value.
        assertThat(JitsiFixtures.tree(ours.toString())).isEqualTo(jitsi);
    }

    @Test
    void trickledCandidatesReachTheBridgeWithEveryField() {
        IceTransport browser = new IceTransport("u1", "p1", List.of(
                IceCandidate.of("842163049", "udp", 2122260223L, "192.168.1.20", 51234, "host"),
                new IceCandidate("1", 1, "udp", 1686052607L, "203.0.113.7", 40000, "srflx", "192.168.1.20", 51234, 0),
                new IceCandidate("3", 1, "udp", 41885439L, "198.51.100.9", 3478, "relay", "203.0.113.7", 40000, 0)),
                List.of(new DtlsFingerprint("sha-256", "AA:BB:CC", "active")));
        ConferenceModifyIQ iq = asBridgeReadsIt(Colibri2Messages.updateEndpoint("call-42", "ep1", browser, null));

        Colibri2Endpoint e = iq.getEndpoints().get(0);
        assertThat(e.getId()).isEqualTo("ep1");
        assertThat(e.getCreate()).isFalse();
        assertThat(e.getSources()).as("sources left as they were").isNull();
        IceUdpTransportPacketExtension ice = e.getTransport().getIceUdpTransport();
        assertThat(ice.getUfrag()).isEqualTo("u1");
        assertThat(ice.getPassword()).isEqualTo("p1");
        assertThat(ice.isRtcpMux()).isTrue();
        assertThat(ice.getChildExtensionsOfType(DtlsFingerprintPacketExtension.class)).singleElement().satisfies(f -> {
            assertThat(f.getFingerprint()).isEqualTo("AA:BB:CC");
            assertThat(f.getSetup()).isEqualTo("active");
        });
        List<String> read = new ArrayList<>();
        for (CandidatePacketExtension c : ice.getCandidateList()) {
            read.add(c.getType() + " " + c.getProtocol() + " " + c.getIP() + ":" + c.getPort() + " prio "
                    + c.getAttributeAsString("priority") + " rel " + c.getRelAddr() + ":" + c.getRelPort()
                    + " foundation " + c.getFoundation() + " component " + c.getComponent());
        }
        assertThat(read).containsExactly(
                "host udp 192.168.1.20:51234 prio 2122260223 rel null:-1 foundation 842163049 component 1",
                "srflx udp 203.0.113.7:40000 prio 1686052607 rel 192.168.1.20:51234 foundation 1 component 1",
                "relay udp 198.51.100.9:3478 prio 41885439 rel 203.0.113.7:40000 foundation 3 component 1");
    }

    @Test
    void sourcesAloneCanBeUpdated() {
        ConferenceModifyIQ iq = asBridgeReadsIt(Colibri2Messages.updateEndpoint("c", "ep1", null,
                List.of(new MediaSourceDesc(false, "ep1-a0", List.of(1234L), List.of()))));

        Colibri2Endpoint e = iq.getEndpoints().get(0);
        assertThat(e.getTransport()).isNull();
        MediaSource s = e.getSources().getMediaSources().get(0);
        assertThat(s.getType()).isEqualTo(MediaType.AUDIO);
        assertThat(s.getId()).isEqualTo("ep1-a0");
        assertThat(s.getSources()).singleElement().satisfies(x -> assertThat(x.getSSRC()).isEqualTo(1234L));
        assertThatThrownBy(() -> Colibri2Messages.updateEndpoint("c", "ep1", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transport, sources or both");
    }

    @Test
    void aPartyJoiningAddsAnEndpointToTheExistingConference() {
        ConferenceModifyIQ iq = asBridgeReadsIt(Colibri2Messages.createEndpoints("call-42", List.of("ep4")));

        assertThat(iq.getCreate()).as("the conference exists already").isFalse();
        assertThat(iq.getEndpoints()).singleElement().satisfies(e -> {
            assertThat(e.getId()).isEqualTo("ep4");
            assertThat(e.getCreate()).isTrue();
            assertThat(e.getTransport().getIceControlling()).isTrue();
        });
    }

    @Test
    void aPartyLeavingExpiresItsEndpointOnly() {
        ConferenceModifyIQ iq = asBridgeReadsIt(Colibri2Messages.expireEndpoint("call-42", "ep3"));

        assertThat(iq.getExpire()).isFalse();
        assertThat(iq.getEndpoints()).singleElement().satisfies(e -> {
            assertThat(e.getId()).isEqualTo("ep3");
            assertThat(e.getExpire()).isTrue();
            assertThat(e.getTransport()).isNull();
        });
    }

    @Test
    void theCallEndingIsJitsisExpireConferenceFixture() {
        assertThat(JitsiFixtures.tree(Colibri2Messages.expireConference("cbccc2bd-c3c7-4880-acb8-cdb7accc4073").toString()))
                .isEqualTo(JitsiFixtures.object("expire-conference-request.json"));
    }

    @Test
    void theBridgesCreateAnswerFromItsDocumentationReadsIntoOurRecords() throws Exception {
        ConferenceModified m = Colibri2Messages.parseConferenceModified(JitsiFixtures.text("jvb-create-response.json"));

        assertThat(m.endpoints()).containsOnlyKeys("79f0273d");
        BridgeEndpoint e = m.endpoint("79f0273d").orElseThrow();
        assertThat(e.expired()).isFalse();
        IceTransport t = e.transport();
        assertThat(t.ufrag()).isEqualTo("26ant1ioqu7qnr");
        assertThat(t.pwd()).isEqualTo("9q8uj7tg6j4rc4i6ulc1pmsq9");
        assertThat(t.fingerprints()).containsExactly(new DtlsFingerprint("sha-256",
                "F1:05:72:F8:F3:F4:B4:65:5B:9A:FC:81:24:11:23:78:D5:42:54:B1:F2:66:2F:82:CC:2B:01:1C:DB:98:BE:C0", "actpass"));
        assertThat(t.candidates()).containsExactly(
                new IceCandidate("1", 1, "udp", 2130706431L, "172.18.0.4", 10000, "host", null, -1, 0),
                new IceCandidate("2", 1, "udp", 1694498815L, "192.168.1.1", 10000, "srflx", "172.18.0.4", 10000, 0),
                new IceCandidate("2", 1, "udp", 1694498815L, "152.58.154.133", 10000, "srflx", "172.18.0.4", 10000, 0));
        assertThat(t.toString()).as("the ICE password stays out of logs").doesNotContain(t.pwd());
        assertThat(m.feedbackSources()).containsExactly(
                new MediaSourceDesc(false, "jvb-a0", List.of(3191927963L), List.of()),
                new MediaSourceDesc(true, "jvb-v0", List.of(1863439907L), List.of()));
    }

    @Test
    void jitsisConferenceModifiedFixtureReadsIntoOurRecords() throws Exception {
        ConferenceModified m = Colibri2Messages.parseConferenceModified(JitsiFixtures.text("conference-modified-transport.json"));

        IceTransport t = m.endpoint("79f0273e").orElseThrow().transport();
        assertThat(t.ufrag()).isEqualTo("2ivqh1fvtf0l3h");
        assertThat(t.candidates()).containsExactly(
                new IceCandidate("2", 1, "udp", 1694498815L, "129.80.210.199", 10000, "srflx", "0.0.0.0", 9, 0));
        assertThat(t.fingerprints()).extracting(DtlsFingerprint::setup).containsExactly("actpass");
        assertThat(m.feedbackSources()).extracting(MediaSourceDesc::id).containsExactly("jvb-a0", "jvb-v0");
    }

    @Test
    void theAnswerToAnUpdateOrExpiryHasNoTransport() throws Exception {
        ConferenceModified updated = Colibri2Messages.parseConferenceModified("{\"endpoints\":[{\"id\":\"79f0273e\"}]}");
        ConferenceModified expired = Colibri2Messages.parseConferenceModified(
                "{\"endpoints\":[{\"id\":\"ep3\",\"expire\":true}]}");

        assertThat(updated.endpoint("79f0273e").orElseThrow()).isEqualTo(new BridgeEndpoint("79f0273e", null, false));
        assertThat(updated.feedbackSources()).isEmpty();
        assertThat(expired.endpoint("ep3").orElseThrow().expired()).isTrue();
        assertThat(Colibri2Messages.parseConferenceModified("{}").endpoints()).isEmpty();
    }

    @Test
    void anAnswerThatIsNotAConferenceModifiedIsAClearError() {
        assertThatThrownBy(() -> Colibri2Messages.parseConferenceModified("<html>Bad Gateway</html>"))
                .isInstanceOf(Colibri2Exception.class).hasMessageContaining("is not JSON").hasMessageContaining("Bad Gateway");
        assertThatThrownBy(() -> Colibri2Messages.parseConferenceModified("[]"))
                .isInstanceOf(Colibri2Exception.class).hasMessageContaining("is not a JSON object");
        assertThatThrownBy(() -> Colibri2Messages.parseConferenceModified(""))
                .isInstanceOf(Colibri2Exception.class).hasMessageContaining("(empty body)");

        String noUfrag = JitsiFixtures.text("jvb-create-response.json").replace("\"ufrag\": \"26ant1ioqu7qnr\",", "");
        assertThatThrownBy(() -> Colibri2Messages.parseConferenceModified(noUfrag))
                .isInstanceOf(Colibri2Exception.class).hasMessageContaining("ICE transport without ufrag");

        String badPort = JitsiFixtures.text("jvb-create-response.json").replace("\"port\": \"10000\"", "\"port\": \"0\"");
        assertThatThrownBy(() -> Colibri2Messages.parseConferenceModified(badPort))
                .isInstanceOf(Colibri2Exception.class).hasMessageContaining("port must be 1-65535, got 0");
    }

    @Test
    void endpointIdsAreStablePerPartyAndCarryNoUserIds() {
        String anna = Colibri2Messages.endpointId("advisor:anna");

        assertThat(anna).matches("[0-9a-f]{16}").isEqualTo(Colibri2Messages.endpointId("advisor:anna"));
        assertThat(new TreeSet<>(List.of(anna, Colibri2Messages.endpointId("expert:anna"),
                Colibri2Messages.endpointId("expert:eeva"), Colibri2Messages.endpointId("expert:tuulikki")))).hasSize(4);
        assertThatThrownBy(() -> Colibri2Messages.endpointId(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> Colibri2Messages.createConference("", List.of("ep1")))
                .hasMessageContaining("call id (the conference's meeting id) must be 1-128 characters");
        assertThatThrownBy(() -> Colibri2Messages.createConference("c", List.of()))
                .hasMessageContaining("at least one endpoint");
        assertThatThrownBy(() -> Colibri2Messages.expireEndpoint("c", "a/b"))
                .hasMessageContaining("endpoint id must be");
        assertThatThrownBy(() -> new IceCandidate("1", 1, "sctp", 1, "10.0.0.1", 1, "host", null, -1, 0))
                .hasMessageContaining("protocol must be udp or tcp");
        assertThatThrownBy(() -> new DtlsFingerprint("sha-256", "not hex", "active"))
                .hasMessageContaining("colon-separated hex");
        assertThatThrownBy(() -> new MediaSourceDesc(true, "v", List.of(1L, 2L),
                List.of(new MediaSourceDesc.SsrcGroup("FID", List.of(1L, 3L)))))
                .hasMessageContaining("names SSRC 3 that the source does not have");
        assertThatThrownBy(() -> new MediaSourceDesc(false, "a", List.of(0L), List.of()))
                .hasMessageContaining("SSRC must be 1 to 2^32-1");
    }

    /** Every object-key path of a JSON tree, array positions left out ("endpoints.medias.payload-types.name"). */
    private static TreeSet<String> paths(JsonNode node) {
        TreeSet<String> out = new TreeSet<>();
        collect(node, "", out);
        return out;
    }

    private static void collect(JsonNode node, String prefix, TreeSet<String> out) {
        if (node.isArray()) {
            node.forEach(n -> collect(n, prefix, out));
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                String p = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
                out.add(p);
                collect(f.getValue(), p, out);
            }
        }
    }
}
