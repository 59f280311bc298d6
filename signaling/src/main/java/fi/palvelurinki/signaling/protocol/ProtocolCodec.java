package fi.palvelurinki.signaling.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import fi.palvelurinki.broker.Command;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * Reads client messages strictly: one JSON object, no duplicate keys, nesting at most 6 deep, a known
 * {@code type}, every required field present with the right JSON type, no unknown field. The text
 * reaching here has already been limited in size by the WebSocket layer.
 */
public final class ProtocolCodec {
    public static final int MAX_ID_LENGTH = 64;
    public static final int MAX_NOTE_LENGTH = 1000;
    public static final int MAX_CANDIDATE_LENGTH = 1024;
    /** A party key: {@code advisor:} or {@code expert:} and a user id of at most 64 characters. */
    public static final int MAX_PARTY_LENGTH = 80;
    /** An interpreting language: an ISO 639 code (ar, fse), with room for the broker to say what is wrong. */
    public static final int MAX_INTERPRETER_LENGTH = 8;

    private static final ObjectMapper JSON = strictMapper();

    private static ObjectMapper strictMapper() {
        JsonFactory f = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(6).build())
                .build();
        ObjectMapper m = new ObjectMapper(f);
        m.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        m.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        return m;
    }

    public static ObjectMapper mapper() {
        return JSON;
    }

    private ProtocolCodec() {}

    public static ClientMessage parse(String text) {
        ClientMessage.Signal fast = SignalReader.read(text);
        return fast != null ? fast : parseTree(text);
    }

    /** The strict reading of any message, and of every signal the fast path does not take: its errors are the protocol's. */
    public static ClientMessage parseTree(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (IOException e) {
            throw new ProtocolException(ProtocolException.BAD_JSON, "not a JSON message: " + firstLine(e.getMessage()), null);
        }
        if (root == null || !root.isObject()) {
            throw new ProtocolException(ProtocolException.BAD_JSON, "a message must be a JSON object", null);
        }
        ObjectNode o = (ObjectNode) root;
        JsonNode idNode = o.get("id");
        if (idNode == null || idNode.isNull()) {
            throw new ProtocolException(ProtocolException.MISSING_FIELD, "every message needs an \"id\" string", null);
        }
        String id = idNode.isTextual() ? idNode.asText() : null;
        if (id == null || !validId(id)) {
            throw new ProtocolException(ProtocolException.INVALID_FIELD, "\"id\" must be a string of 1-" + MAX_ID_LENGTH
                    + " printable characters", null);
        }
        JsonNode typeNode = o.get("type");
        if (typeNode == null || typeNode.isNull()) {
            throw new ProtocolException(ProtocolException.MISSING_FIELD, "every message needs a \"type\" string", id);
        }
        if (!typeNode.isTextual()) {
            throw new ProtocolException(ProtocolException.INVALID_FIELD, "\"type\" must be a string", id);
        }
        ClientMessage.Kind kind = ClientMessage.Kind.of(typeNode.asText());
        if (kind == null) {
            throw new ProtocolException(ProtocolException.UNKNOWN_TYPE, "unknown message type '"
                    + abbreviate(typeNode.asText()) + "'", id);
        }
        Fields f = new Fields(o, id, kind.wire());
        ClientMessage m = switch (kind) {
            case HELLO -> new ClientMessage.Hello(id, f.optString("resumeToken", 128), f.optLong("lastSeq", 0));
            case PING -> new ClientMessage.Ping(id, f.optLong("lastSeq", 0));
            case LIST_RINGS -> new ClientMessage.ListRings(id);
            case REQUEST_CALL -> new ClientMessage.RequestCall(id, f.string("ring", 64), f.string("topic", 64),
                    f.string("language", 8), f.optBool("fallbackConsent", false), f.optString("note", MAX_NOTE_LENGTH),
                    f.optString("interpreter", MAX_INTERPRETER_LENGTH));
            case ADD_PARTY -> addParty(f, id);
            case CANCEL_PARTY -> new ClientMessage.CancelParty(id, f.id("callId"), f.id("requestId"));
            case CANCEL_REQUEST -> new ClientMessage.CancelRequest(id, f.id("requestId"));
            case REQUEST_CALLBACK -> new ClientMessage.RequestCallback(id, f.id("requestId"));
            case ANSWER_CALLBACK -> new ClientMessage.AnswerCallback(id, f.id("requestId"));
            case SET_PRESENCE -> new ClientMessage.SetPresence(id, f.string("presence", 16));
            case ACCEPT_OFFER -> new ClientMessage.AcceptOffer(id, f.id("requestId"));
            case DECLINE_OFFER -> new ClientMessage.DeclineOffer(id, f.id("requestId"));
            case END_WRAP_UP -> new ClientMessage.EndWrapUp(id);
            case HANGUP -> new ClientMessage.Hangup(id, f.id("callId"));
            case SIGNAL -> signal(f, id);
            case WATCH_RINGS -> new ClientMessage.WatchRings(id);
            case MEDIA_REPORT -> new ClientMessage.MediaReport(id, f.id("callId"), f.nonNegative("timeToVideoMs"));
            case START_BOOKING -> new ClientMessage.StartBooking(id, f.id("bookingId"));
            case ICE_SERVERS -> new ClientMessage.IceServers(id);
            case MEDIA_STATE -> new ClientMessage.MediaState(id, f.id("callId"), mediaLost(f.string("state", 16), id));
            case CALL_QUALITY -> new ClientMessage.CallQualityReport(id, f.id("callId"), f.integer("rttMs", 0, 60_000),
                    f.integer("lossPermille", 0, 1000), f.integer("bitrateKbps", 0, 100_000),
                    f.integer("framesDecoded", 0, 14_400), f.integer("intervalMs", 1000, 120_000));
            case RECORD_OUTCOME -> new ClientMessage.RecordOutcome(id, f.id("callId"), f.string("outcome", 64));
            case JOIN -> new ClientMessage.Join(id);
            case DEVICE_CHECK -> new ClientMessage.DeviceCheck(id, f.string("problem", 40));
            case LIST_REQUESTS -> {
                Integer limit = f.optInt("limit", 1, Command.GetAdvisorRequests.MAX_PAGE);
                yield new ClientMessage.ListRequests(id, f.optLong("after", 0),
                        limit == null ? Command.GetAdvisorRequests.MAX_PAGE : limit);
            }
        };
        f.noOthers();
        return m;
    }

    private static ClientMessage.AddParty addParty(Fields f, String id) {
        long callId = f.id("callId");
        String interpreter = f.optString("interpreter", MAX_INTERPRETER_LENGTH);
        String ring = f.optString("ring", 64);
        String topic = f.optString("topic", 64);
        String note = f.optString("note", MAX_NOTE_LENGTH);
        if ((interpreter == null) == (ring == null)) {
            throw new ProtocolException(ProtocolException.INVALID_FIELD, "add_party carries exactly one of \"interpreter\""
                    + " (a language to interpret) or \"ring\" (a second authority's ring)", id);
        }
        if (topic != null && ring == null) {
            throw new ProtocolException(ProtocolException.INVALID_FIELD, "add_party: \"topic\" goes with \"ring\", "
                    + "an interpreter has none", id);
        }
        return new ClientMessage.AddParty(id, callId, interpreter, ring, topic, note);
    }

    private static boolean mediaLost(String state, String id) {
        return switch (state) {
            case "lost" -> true;
            case "restored" -> false;
            default -> throw new ProtocolException(ProtocolException.INVALID_FIELD, "media_state: \"state\" must be "
                    + "lost or restored", id);
        };
    }

    private static final Set<String> SDP_TYPES = Set.of("offer", "answer", "pranswer", "rollback");

    static boolean sdpType(String type) {
        return SDP_TYPES.contains(type);
    }

    /**
     * The SDP text is not limited here: the server checks it against its configured limit. What is relayed is
     * the payload re-encoded from the tree (this path takes what the fast one did not, so it need not be fast).
     */
    private static ClientMessage.Signal signal(Fields f, String id) {
        long callId = f.id("callId");
        String to = f.optString("to", MAX_PARTY_LENGTH);
        ObjectNode sdp = f.optObject("sdp");
        ObjectNode cand = f.optObject("candidate");
        boolean end = f.optBool("endOfCandidates", false);
        int given = (sdp != null ? 1 : 0) + (cand != null ? 1 : 0) + (end ? 1 : 0);
        if (given != 1) {
            throw new ProtocolException(ProtocolException.INVALID_FIELD,
                    "a signal carries exactly one of \"sdp\", \"candidate\" or \"endOfCandidates\": true", id);
        }
        ObjectNode payload = JSON.getNodeFactory().objectNode();
        ClientMessage.Signal.Part part;
        int sdpLength = 0;
        if (sdp != null) {
            Fields sf = new Fields(sdp, id, "signal.sdp");
            String type = sf.string("type", 16);
            if (!sdpType(type)) {
                throw new ProtocolException(ProtocolException.INVALID_FIELD,
                        "sdp.type must be offer, answer, pranswer or rollback", id);
            }
            String text = sf.string("sdp", Integer.MAX_VALUE);
            sf.noOthers();
            payload.put("type", type);
            payload.put("sdp", text);
            part = ClientMessage.Signal.Part.SDP;
            sdpLength = text.length();
        } else if (cand != null) {
            Fields cf = new Fields(cand, id, "signal.candidate");
            payload.put("candidate", cf.stringAllowEmpty("candidate", MAX_CANDIDATE_LENGTH));
            String sdpMid = cf.optString("sdpMid", 64);
            Integer index = cf.optInt("sdpMLineIndex", 0, 64);
            String ufrag = cf.optString("usernameFragment", 256);
            cf.noOthers();
            if (sdpMid != null) {
                payload.put("sdpMid", sdpMid);
            }
            if (index != null) {
                payload.put("sdpMLineIndex", index);
            }
            if (ufrag != null) {
                payload.put("usernameFragment", ufrag);
            }
            part = ClientMessage.Signal.Part.CANDIDATE;
        } else {
            String t = "true";
            return new ClientMessage.Signal(id, callId, ClientMessage.Signal.Part.END_OF_CANDIDATES, t, 0, t.length(), 0,
                    to);
        }
        String json = ServerMessages.write(payload);
        return new ClientMessage.Signal(id, callId, part, json, 0, json.length(), sdpLength, to);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return abbreviate(nl < 0 ? s : s.substring(0, nl));
    }

    static boolean validId(String id) {
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }

    /** Typed access to an object's fields that remembers which were read, to reject unknown ones. */
    private static final class Fields {
        private final ObjectNode o;
        private final String id;
        private final String where;
        private final Set<String> read = new HashSet<>();

        Fields(ObjectNode o, String id, String where) {
            this.o = o;
            this.id = id;
            this.where = where;
            if (!where.contains(".")) {
                read.add("type");
                read.add("id");
            }
        }

        /** An optional field sent as {@code null} is the same as one left out (docs/protocol.md). */
        private JsonNode get(String name, boolean required) {
            read.add(name);
            JsonNode v = o.get(name);
            if ((v == null || v.isNull()) && required) {
                throw new ProtocolException(ProtocolException.MISSING_FIELD, where + " needs \"" + name + "\"", id);
            }
            return v == null || v.isNull() ? null : v;
        }

        private ProtocolException invalid(String name, String expected) {
            return new ProtocolException(ProtocolException.INVALID_FIELD, where + ": \"" + name + "\" must be " + expected, id);
        }

        String string(String name, int maxLength) {
            String s = stringAllowEmpty(name, maxLength);
            if (s.isBlank()) {
                throw invalid(name, "a non-empty string");
            }
            return s;
        }

        String stringAllowEmpty(String name, int maxLength) {
            JsonNode v = get(name, true);
            if (!v.isTextual()) {
                throw invalid(name, "a string");
            }
            if (v.asText().length() > maxLength) {
                throw invalid(name, "at most " + maxLength + " characters");
            }
            return v.asText();
        }

        String optString(String name, int maxLength) {
            JsonNode v = get(name, false);
            if (v == null) {
                return null;
            }
            if (!v.isTextual()) {
                throw invalid(name, "a string");
            }
            if (v.asText().length() > maxLength) {
                throw invalid(name, "at most " + maxLength + " characters");
            }
            return v.asText();
        }

        long id(String name) {
            JsonNode v = get(name, true);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() <= 0) {
                throw invalid(name, "a positive integer");
            }
            return v.asLong();
        }

        long nonNegative(String name) {
            JsonNode v = get(name, true);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
                throw invalid(name, "a non-negative integer");
            }
            return v.asLong();
        }

        long optLong(String name, long dflt) {
            JsonNode v = get(name, false);
            if (v == null) {
                return dflt;
            }
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
                throw invalid(name, "a non-negative integer");
            }
            return v.asLong();
        }

        int integer(String name, int min, int max) {
            JsonNode v = get(name, true);
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
                throw invalid(name, "an integer " + min + "-" + max);
            }
            return v.asInt();
        }

        Integer optInt(String name, int min, int max) {
            JsonNode v = get(name, false);
            if (v == null) {
                return null;
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
                throw invalid(name, "an integer " + min + "-" + max);
            }
            return v.asInt();
        }

        boolean optBool(String name, boolean dflt) {
            JsonNode v = get(name, false);
            if (v == null) {
                return dflt;
            }
            if (!v.isBoolean()) {
                throw invalid(name, "true or false");
            }
            return v.asBoolean();
        }

        ObjectNode optObject(String name) {
            JsonNode v = get(name, false);
            if (v == null) {
                return null;
            }
            if (!v.isObject()) {
                throw invalid(name, "an object");
            }
            return (ObjectNode) v;
        }

        void noOthers() {
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!read.contains(name)) {
                    throw new ProtocolException(ProtocolException.UNKNOWN_FIELD, where + " has no field \""
                            + abbreviate(name) + "\"", id);
                }
            }
        }
    }
}
