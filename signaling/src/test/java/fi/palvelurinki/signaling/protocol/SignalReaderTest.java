package fi.palvelurinki.signaling.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The relay's fast path must take exactly what the strict reader accepts, or leave it to the strict reader:
 * a message it takes relays the payload as sent, one it leaves gets the strict reader's specific error.
 */
class SignalReaderTest {
    private static final String SDP = "v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\n\\\"quoted\\\" \\u00e4";

    private static JsonNode json(String s) throws Exception {
        return ProtocolCodec.mapper().readTree(s);
    }

    /** A push, as the frame's UTF-8 bytes. */
    private static JsonNode json(byte[] utf8) throws Exception {
        return ProtocolCodec.mapper().readTree(utf8);
    }

    @Test
    void theSdpsLengthIsItsDecodedLengthWhateverItsEscapes() throws Exception {
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        String[] pieces = {"a", "v=0", " ", "\\r\\n", "\\\"", "\\\\", "\\u00e4", "\\/", "ö", "\\t", "x y"};
        for (int n = 0; n < 2_000; n++) {
            StringBuilder b = new StringBuilder();
            for (int k = r.nextInt(12); k > 0; k--) {
                b.append(pieces[r.nextInt(pieces.length)]);
            }
            String json = "{\"s\":\"" + b + "\",\"t\":\"x\"}";
            String decoded = json(json).get("s").asText();
            // -1 when no character outside the escapes shows it is not blank (the strict reader then decides)
            boolean plainNonBlank = false;
            for (int i = 0; i < b.length(); i++) {
                char c = b.charAt(i);
                if (c == '\\') {
                    i += b.charAt(i + 1) == 'u' ? 5 : 1;
                } else if (!Character.isWhitespace(c)) {
                    plainNonBlank = true;
                }
            }
            int expected = plainNonBlank ? decoded.length() : -1;
            assertThat(SignalReader.nonBlankLength(json, json.indexOf('"', 4))).as(json).isEqualTo(expected);
        }
    }

    @Test
    void aPayloadWithTextOutsideAsciiIsRelayedAsUtf8() throws Exception {
        // A session name and a label outside ASCII, and outside Latin-1 (the euro sign, a CJK character).
        String sdp = "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\ns=Pöllö € 会议\\r\\n\"}";
        ClientMessage.Signal s = SignalReader.read("{\"type\":\"signal\",\"id\":\"m1\",\"callId\":5,\"sdp\":" + sdp + "}");
        assertThat(s).isNotNull();
        byte[] push = s.push(9, "expert", "\"expert:eeva\"");
        assertThat(json(push).get("sdp").get("sdp").asText()).isEqualTo("v=0\r\ns=Pöllö € 会议\r\n");
        assertThat(new String(push, java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"seq\":9,\"type\":\"signal\",\"callId\":5,\"from\":\"expert\",\"fromParty\":\"expert:eeva\",\"sdp\":"
                        + sdp + "}");
    }

    @Test
    void takesAWellFormedSdpAndRelaysItAsSent() throws Exception {
        String sdp = "{ \"sdp\" : \"" + SDP + "\", \"type\":\"offer\" }";
        String text = "{\"type\":\"signal\",\"id\":\"m1\",\"sdp\": " + sdp + " ,\"callId\":42}";
        ClientMessage.Signal s = SignalReader.read(text);
        assertThat(s).isNotNull();
        assertThat(s.id()).isEqualTo("m1");
        assertThat(s.callId()).isEqualTo(42);
        assertThat(s.part()).isEqualTo(ClientMessage.Signal.Part.SDP);
        assertThat(s.payloadJson()).isEqualTo(sdp.trim());
        String decoded = json(sdp).get("sdp").asText();
        assertThat(s.sdpLength()).isEqualTo(decoded.length());

        JsonNode push = json(s.push(7, "advisor", "\"advisor:anna\""));
        assertThat(push.get("seq").asLong()).isEqualTo(7);
        assertThat(push.get("type").asText()).isEqualTo("signal");
        assertThat(push.get("callId").asLong()).isEqualTo(42);
        assertThat(push.get("from").asText()).isEqualTo("advisor");
        assertThat(push.get("sdp").get("sdp").asText()).isEqualTo(decoded);
        assertThat(push.get("sdp").get("type").asText()).isEqualTo("offer");
    }

    @Test
    void takesCandidatesAndTheEndOfCandidates() throws Exception {
        String cand = "{\"candidate\":\"candidate:1 1 udp 2 192.0.2.1 5000 typ host\",\"sdpMid\":\"0\","
                + "\"sdpMLineIndex\":0,\"usernameFragment\":\"abcd\"}";
        ClientMessage.Signal c = SignalReader.read("{\"type\":\"signal\",\"id\":\"m2\",\"callId\":3,\"candidate\":" + cand + "}");
        assertThat(c.part()).isEqualTo(ClientMessage.Signal.Part.CANDIDATE);
        assertThat(c.payloadJson()).isEqualTo(cand);
        assertThat(json(c.push(1, "expert", "\"expert:e1\"")).get("candidate")).isEqualTo(json(cand));

        ClientMessage.Signal e = SignalReader.read("{\"id\":\"m3\",\"type\":\"signal\",\"callId\":3,\"endOfCandidates\":true}");
        assertThat(e.part()).isEqualTo(ClientMessage.Signal.Part.END_OF_CANDIDATES);
        assertThat(json(e.push(2, "expert", "\"expert:e1\"")).get("endOfCandidates").asBoolean()).isTrue();
        // an empty candidate is allowed (the end of a generation, in browsers)
        assertThat(SignalReader.read("{\"type\":\"signal\",\"id\":\"m\",\"callId\":3,\"candidate\":{\"candidate\":\"\"}}"))
                .isNotNull();
    }

    /** Each of these the fast path leaves; the strict reader refuses it with the code given. */
    @Test
    void leavesEverythingElseToTheStrictReader() {
        String[][] refused = {
                {"{\"type\":\"signal\",\"id\":\"m\",\"callId\":1}", ProtocolException.INVALID_FIELD},
                {"{\"type\":\"signal\",\"id\":\"m\",\"callId\":1,\"endOfCandidates\":true,\"candidate\":{\"candidate\":\"x\"}}",
                        ProtocolException.INVALID_FIELD},
                {"{\"type\":\"signal\",\"id\":\"m\",\"callId\":0,\"endOfCandidates\":true}", ProtocolException.INVALID_FIELD},
                {"{\"type\":\"signal\",\"id\":\"m\",\"callId\":\"1\",\"endOfCandidates\":true}", ProtocolException.INVALID_FIELD},
                {"{\"type\":\"signal\",\"id\":\"m\",\"callId\":1.5,\"endOfCandidates\":true}", ProtocolException.INVALID_FIELD},
                {"{\"type\":\"signal\",\"id\":\"m\",\"callId\":99999999999999999999,\"endOfCandidates\":true}",
                        ProtocolException.INVALID_FIELD},
                {"{\"type\":\"signal\",\"callId\":1,\"endOfCandidates\":true}", ProtocolException.MISSING_FIELD},
                {"{\"type\":\"signal\",\"id\":\"\",\"callId\":1,\"endOfCandidates\":true}", ProtocolException.INVALID_FIELD},
                {"{\"type\":\"signal\",\"id\":\"a\\u0001\",\"callId\":1,\"endOfCandidates\":true}", ProtocolException.INVALID_FIELD},
                {"{\"type\":\"signal\",\"id\":\"m\",\"id\":\"n\",\"callId\":1,\"endOfCandidates\":true}", ProtocolException.BAD_JSON},
                {"{\"type\":\"signal\",\"id\":\"m\",\"callId\":1,\"endOfCandidates\":true,\"x\":1}", ProtocolException.UNKNOWN_FIELD},
                {"{\"type\":\"signal\",\"id\":\"m\",\"callId\":1,\"endOfCandidates\":true} {}", ProtocolException.BAD_JSON},
                {"{\"type\":\"signal\",\"id\":\"m\",\"callId\":1,\"endOfCandidates\":true", ProtocolException.BAD_JSON},
                {"{\"type\":\"signal\",\"id\":\"m\",\"callId\":1,\"sdp\":{\"type\":\"bogus\",\"sdp\":\"v=0\"}}",
                        ProtocolException.INVALID_FIELD},
                {"{\"type\":\"signal\",\"id\":\"m\",\"callId\":1,\"sdp\":{\"type\":\"offer\",\"sdp\":\" \\r\\n \"}}",
                        ProtocolException.INVALID_FIELD},
                {"{\"type\":\"signal\",\"id\":\"m\",\"callId\":1,\"sdp\":{\"type\":\"offer\"}}", ProtocolException.MISSING_FIELD},
                {"{\"type\":\"signal\",\"id\":\"m\",\"callId\":1,\"sdp\":{\"type\":\"offer\",\"sdp\":\"v\",\"x\":1}}",
                        ProtocolException.UNKNOWN_FIELD},
                {"{\"type\":\"signal\",\"id\":\"m\",\"callId\":1,\"sdp\":{\"type\":\"offer\",\"sdp\":7}}", ProtocolException.INVALID_FIELD},
                {"{\"type\":\"signal\",\"id\":\"m\",\"callId\":1,\"sdp\":\"v=0\"}", ProtocolException.INVALID_FIELD},
                {"{\"type\":\"signal\",\"id\":\"m\",\"callId\":1,\"candidate\":{\"candidate\":\"" + "c".repeat(1025) + "\"}}",
                        ProtocolException.INVALID_FIELD},
                {"{\"type\":\"signal\",\"id\":\"m\",\"callId\":1,\"candidate\":{\"candidate\":\"c\",\"sdpMLineIndex\":65}}",
                        ProtocolException.INVALID_FIELD},
                {"{\"type\":\"signal\",\"id\":\"m\",\"callId\":1,\"candidate\":{\"sdpMid\":\"0\"}}", ProtocolException.MISSING_FIELD},
                {"{\"type\":\"signal\",\"id\":\"m\",\"callId\":1,\"candidate\":{\"candidate\":\"c\",\"x\":{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":1}}}}}}}",
                        ProtocolException.BAD_JSON},
                {"[\"signal\"]", ProtocolException.BAD_JSON},
                {"{\"type\":\"signal\",\"id\":\"m\",\"callId\":1,\"to\":7,\"endOfCandidates\":true}",
                        ProtocolException.INVALID_FIELD},
                {"{\"type\":\"signal\",\"id\":\"m\",\"callId\":1,\"to\":\"expert:" + "e".repeat(74) + "\",\"endOfCandidates\":true}",
                        ProtocolException.INVALID_FIELD},
                {"{\"type\":\"signal\",\"id\":\"m\",\"callId\":1,\"to\":\"expert:e1\",\"to\":\"expert:e2\",\"endOfCandidates\":true}",
                        ProtocolException.BAD_JSON},
        };
        for (String[] r : refused) {
            assertThat(SignalReader.read(r[0])).as(r[0]).isNull();
            assertThatThrownBy(() -> ProtocolCodec.parse(r[0])).as(r[0])
                    .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(r[1]));
        }
    }

    /** What the fast path leaves but is valid still relays, through the strict reader, with the same meaning. */
    @Test
    void theStrictReaderRelaysWhatTheFastPathLeaves() throws Exception {
        String text = "{\"type\":\"signal\",\"id\":\"m\",\"callId\":1,\"endOfCandidates\":false,"
                + "\"candidate\":{\"candidate\":\"c\",\"sdpMid\":null}}";
        assertThat(SignalReader.read(text)).isNull();
        ClientMessage.Signal s = (ClientMessage.Signal) ProtocolCodec.parse(text);
        assertThat(json(s.push(1, "advisor", "\"advisor:anna\"")).get("candidate")).isEqualTo(json("{\"candidate\":\"c\"}"));

        String escapedOnly = "{\"type\":\"signal\",\"id\":\"m\",\"callId\":1,\"sdp\":{\"type\":\"answer\",\"sdp\":\"\\u0076\\u003d\\u0030\"}}";
        assertThat(SignalReader.read(escapedOnly)).isNull();
        String escapedFirst = escapedOnly.replace("\\u003d\\u0030", "=0");
        assertThat(SignalReader.read(escapedFirst).sdpLength()).isEqualTo(3);
        ClientMessage.Signal e = (ClientMessage.Signal) ProtocolCodec.parse(escapedOnly);
        assertThat(e.sdpLength()).isEqualTo(3);
        assertThat(json(e.push(1, "expert", "\"expert:e1\"")).get("sdp").get("sdp").asText()).isEqualTo("v=0");
    }

    /** In a call of three or four a signal names its party; both readers read {@code to} alike, the payload as sent. */
    @Test
    void readsTheAddresseeAndSaysWhoSentIt() throws Exception {
        String text = "{\"type\":\"signal\",\"id\":\"m9\",\"to\":\"expert:tuulikki\",\"callId\":5,"
                + "\"sdp\":{\"type\":\"offer\",\"sdp\":\"" + SDP + "\"}}";
        ClientMessage.Signal fast = SignalReader.read(text);
        ClientMessage.Signal strict = (ClientMessage.Signal) ProtocolCodec.parseTree(text);
        assertThat(fast.to()).isEqualTo("expert:tuulikki").isEqualTo(strict.to());
        assertThat(SignalReader.read("{\"type\":\"signal\",\"id\":\"m\",\"callId\":1,\"endOfCandidates\":true}").to())
                .as("left out: the only other party").isNull();

        JsonNode push = json(fast.push(3, "advisor", "\"advisor:anna\""));
        assertThat(push.get("from").asText()).isEqualTo("advisor");
        assertThat(push.get("fromParty").asText()).isEqualTo("advisor:anna");
        assertThat(push.has("to")).as("the addressee knows who they are").isFalse();
        assertThat(push.get("sdp")).isEqualTo(json(strict.payloadJson()));
    }

    @Test
    void measuresTheSdpAsTheStrictReaderDoes() {
        String text = "{\"type\":\"signal\",\"id\":\"m\",\"callId\":1,\"sdp\":{\"type\":\"offer\",\"sdp\":\"" + SDP + "\"}}";
        ClientMessage.Signal fast = SignalReader.read(text);
        ClientMessage.Signal strict = (ClientMessage.Signal) ProtocolCodec.parseTree(text);
        assertThat(fast.sdpLength()).isEqualTo(strict.sdpLength());
    }
}
