package fi.palvelurinki.signaling.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The relay's fast path: reads a well-formed {@code signal} with Jackson's streaming parser, without building
 * a tree or a string of its SDP, and keeps where its payload lies in the text so that the relay copies it as
 * sent. The profile of the relay at its ceiling (docs/performance.md, issue 20) had the tree, the SDP's
 * string and its re-encoding as the largest costs the server itself adds per message.
 *
 * <p>It accepts only what {@link ProtocolCodec#parseTree} accepts: anything else — another type, a missing,
 * null, unknown or duplicate field, a wrong JSON type, a value out of range, an escape it cannot judge —
 * answers null, and the strict reader reads the message again and gives the protocol's error. So this path
 * needs no error messages of its own.
 */
final class SignalReader {
    private static final JsonFactory FACTORY = ProtocolCodec.mapper().getFactory();

    private SignalReader() {}

    /** @return the signal, or null when the strict reader must decide */
    static ClientMessage.Signal read(String text) {
        if (!text.contains("\"signal\"")) {
            return null;
        }
        try (JsonParser p = FACTORY.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            boolean isSignal = false;
            String id = null;
            long callId = 0;
            ClientMessage.Signal.Part part = null;
            int start = 0;
            int end = 0;
            int sdpLength = 0;
            String to = null;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "type" -> {
                        if (v != JsonToken.VALUE_STRING || !"signal".equals(p.getText())) {
                            return null;
                        }
                        isSignal = true;
                    }
                    case "id" -> {
                        if (v != JsonToken.VALUE_STRING) {
                            return null;
                        }
                        id = p.getText();
                        if (!ProtocolCodec.validId(id)) {
                            return null;
                        }
                    }
                    case "callId" -> {
                        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                                || p.getLongValue() <= 0) {
                            return null;
                        }
                        callId = p.getLongValue();
                    }
                    case "to" -> {
                        if (v != JsonToken.VALUE_STRING || p.getTextLength() > ProtocolCodec.MAX_PARTY_LENGTH) {
                            return null;
                        }
                        to = p.getText();
                    }
                    case "sdp" -> {
                        if (part != null || v != JsonToken.START_OBJECT) {
                            return null;
                        }
                        part = ClientMessage.Signal.Part.SDP;
                        start = tokenStart(p);
                        sdpLength = sdp(p, text);
                        if (sdpLength < 0) {
                            return null;
                        }
                        end = position(p);
                    }
                    case "candidate" -> {
                        if (part != null || v != JsonToken.START_OBJECT) {
                            return null;
                        }
                        part = ClientMessage.Signal.Part.CANDIDATE;
                        start = tokenStart(p);
                        if (!candidate(p)) {
                            return null;
                        }
                        end = position(p);
                    }
                    case "endOfCandidates" -> {
                        if (part != null || v != JsonToken.VALUE_TRUE) {
                            return null;
                        }
                        part = ClientMessage.Signal.Part.END_OF_CANDIDATES;
                        start = tokenStart(p);
                        end = start + 4;
                    }
                    default -> {
                        return null;
                    }
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null || !isSignal || id == null || callId == 0
                    || part == null) {
                return null;
            }
            return new ClientMessage.Signal(id, callId, part, text, start, end, sdpLength, to);
        } catch (IOException | RuntimeException e) {
            // Not JSON, too deep, a duplicate key …: the strict reader says which.
            return null;
        }
    }

    /**
     * Reads the {@code sdp} object ({@code type} one of the four, {@code sdp} a non-blank string, nothing else).
     * The SDP string is skipped by the parser (validated, not copied) and measured in the text.
     *
     * @return the SDP's length in characters, or -1
     */
    private static int sdp(JsonParser p, String text) throws IOException {
        boolean typed = false;
        int sdpAt = -1;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (name.equals("type")) {
                if (v != JsonToken.VALUE_STRING || !ProtocolCodec.sdpType(p.getText())) {
                    return -1;
                }
                typed = true;
            } else if (name.equals("sdp")) {
                if (v != JsonToken.VALUE_STRING) {
                    return -1;
                }
                sdpAt = tokenStart(p);
            } else {
                return -1;
            }
        }
        if (t != JsonToken.END_OBJECT || !typed || sdpAt < 0) {
            return -1;
        }
        return nonBlankLength(text, sdpAt);
    }

    /**
     * The decoded length of the JSON string whose opening quote is at {@code quote}, which the parser has
     * already found well formed; -1 unless a character outside the escapes shows it is not blank (a string of
     * only whitespace and escapes is left to the strict reader).
     */
    static int nonBlankLength(String text, int quote) {
        boolean blank = true;
        for (int i = quote + 1; blank; ) {
            char c = text.charAt(i);
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                i += text.charAt(i + 1) == 'u' ? 6 : 2;
            } else if (Character.isWhitespace(c) || Character.isSurrogate(c)) {
                i++;
            } else {
                blank = false;
            }
        }
        if (blank) {
            return -1;
        }
        // From escape to escape with indexOf (the JDK's vectorised search), not char by char: an SDP is 4.5 KB
        // with an escaped line break every 40 characters or so.
        int length = 0;
        int i = quote + 1;
        int end = text.indexOf('"', i);
        while (true) {
            int escape = text.indexOf('\\', i);
            if (escape < 0 || escape > end) {
                return length + end - i;
            }
            length += escape - i + 1;
            i = escape + (text.charAt(escape + 1) == 'u' ? 6 : 2);
            if (i > end) {
                // the quote found was escaped (\"): the string ends at the next one
                end = text.indexOf('"', i);
            }
        }
    }

    /** Reads the {@code candidate} object as the strict reader would accept it, nulls aside. */
    private static boolean candidate(JsonParser p) throws IOException {
        boolean candidate = false;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "candidate" -> {
                    if (v != JsonToken.VALUE_STRING || p.getTextLength() > ProtocolCodec.MAX_CANDIDATE_LENGTH) {
                        return false;
                    }
                    candidate = true;
                }
                case "sdpMid" -> {
                    if (v != JsonToken.VALUE_STRING || p.getTextLength() > 64) {
                        return false;
                    }
                }
                case "usernameFragment" -> {
                    if (v != JsonToken.VALUE_STRING || p.getTextLength() > 256) {
                        return false;
                    }
                }
                case "sdpMLineIndex" -> {
                    if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT
                            || p.getIntValue() < 0 || p.getIntValue() > 64) {
                        return false;
                    }
                }
                default -> {
                    return false;
                }
            }
        }
        return t == JsonToken.END_OBJECT && candidate;
    }

    /** Where the current token starts in the text. */
    private static int tokenStart(JsonParser p) {
        return Math.toIntExact(p.currentTokenLocation().getCharOffset());
    }

    /** Just past what the parser has read (after an {@code END_OBJECT}: just past its brace). */
    private static int position(JsonParser p) {
        return Math.toIntExact(p.currentLocation().getCharOffset());
    }
}
