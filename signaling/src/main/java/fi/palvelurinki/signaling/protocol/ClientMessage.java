package fi.palvelurinki.signaling.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Every message a client may send (docs/protocol.md). Each carries {@code id}, chosen by the client
 * and echoed as {@code re} in the reply. {@link Kind} lets {@code switch} expressions over messages be
 * checked for exhaustiveness by the compiler.
 */
public sealed interface ClientMessage {

    String id();

    Kind kind();

    enum Kind {
        HELLO("hello"), PING("ping"), LIST_RINGS("list_rings"), REQUEST_CALL("request_call"),
        CANCEL_REQUEST("cancel_request"), SET_PRESENCE("set_presence"), ACCEPT_OFFER("accept_offer"),
        DECLINE_OFFER("decline_offer"), END_WRAP_UP("end_wrap_up"), HANGUP("hangup"), SIGNAL("signal"),
        WATCH_RINGS("watch_rings"), MEDIA_REPORT("media_report"), START_BOOKING("start_booking"),
        ICE_SERVERS("ice_servers"), MEDIA_STATE("media_state"), CALL_QUALITY("call_quality"),
        LIST_REQUESTS("list_requests"), RECORD_OUTCOME("record_outcome"), REQUEST_CALLBACK("request_callback"),
        ANSWER_CALLBACK("answer_callback"), JOIN("join"), DEVICE_CHECK("device_check"), ADD_PARTY("add_party"),
        CANCEL_PARTY("cancel_party");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        static Kind of(String type) {
            for (Kind k : values()) {
                if (k.wire.equals(type)) {
                    return k;
                }
            }
            return null;
        }
    }

    /** First message on every connection; with {@code resumeToken} it resumes a dropped session. */
    record Hello(String id, String resumeToken, long lastSeq) implements ClientMessage {
        public Kind kind() {
            return Kind.HELLO;
        }
    }

    /**
     * A heartbeat; {@code lastSeq} (0: not given) is the highest {@code seq} the client has received, so
     * that the server need no longer keep those messages for a resume.
     */
    record Ping(String id, long lastSeq) implements ClientMessage {
        public Kind kind() {
            return Kind.PING;
        }
    }

    record ListRings(String id) implements ClientMessage {
        public Kind kind() {
            return Kind.LIST_RINGS;
        }
    }

    /** @param interpreter an interpreting language (ar, so, fse…) or null: an interpreter is offered with the expert */
    record RequestCall(String id, String ring, String topic, String language, boolean fallbackConsent, String note,
            String interpreter) implements ClientMessage {
        public Kind kind() {
            return Kind.REQUEST_CALL;
        }
    }

    /**
     * A party of call {@code callId} brings in a third or fourth: an interpreter for {@code interpreter}, or an
     * expert of {@code ring} (a second authority) for {@code topic}. Exactly one of the two is set.
     */
    record AddParty(String id, long callId, String interpreter, String ring, String topic, String note)
            implements ClientMessage {
        public Kind kind() {
            return Kind.ADD_PARTY;
        }
    }

    /** Withdraws a party asked for with {@link AddParty} while still looked for: {@code requestId} is its id. */
    record CancelParty(String id, long callId, long requestId) implements ClientMessage {
        public Kind kind() {
            return Kind.CANCEL_PARTY;
        }
    }

    record CancelRequest(String id, long requestId) implements ClientMessage {
        public Kind kind() {
            return Kind.CANCEL_REQUEST;
        }
    }

    /** presence: available, away or offline. */
    record SetPresence(String id, String presence) implements ClientMessage {
        public Kind kind() {
            return Kind.SET_PRESENCE;
        }
    }

    record AcceptOffer(String id, long requestId) implements ClientMessage {
        public Kind kind() {
            return Kind.ACCEPT_OFFER;
        }
    }

    record DeclineOffer(String id, long requestId) implements ClientMessage {
        public Kind kind() {
            return Kind.DECLINE_OFFER;
        }
    }

    record EndWrapUp(String id) implements ClientMessage {
        public Kind kind() {
            return Kind.END_WRAP_UP;
        }
    }

    record Hangup(String id, long callId) implements ClientMessage {
        public Kind kind() {
            return Kind.HANGUP;
        }
    }

    /**
     * WebRTC signalling for the other party of a call: exactly one of an SDP description, an ICE
     * candidate, or the end of candidates. Relayed as sent, after its size is checked: the relay needs only
     * the envelope, so the payload is kept as the JSON text the client sent ({@code source} from
     * {@code start} to {@code end}), already validated, and copied into the outgoing frame once.
     *
     * @param sdpLength the SDP's length in characters (0 unless {@code part} is {@link Part#SDP})
     * @param to        the party key of the party it is for ({@code expert:eeva}), or null: the only other party
     */
    record Signal(String id, long callId, Part part, String source, int start, int end, int sdpLength, String to)
            implements ClientMessage {
        public Kind kind() {
            return Kind.SIGNAL;
        }

        public enum Part {
            SDP("sdp"), CANDIDATE("candidate"), END_OF_CANDIDATES("endOfCandidates");

            private final String wire;

            Part(String wire) {
                this.wire = wire;
            }

            public String wire() {
                return wire;
            }
        }

        /** The payload's JSON text: the {@code sdp} or {@code candidate} object, or {@code true}. */
        public String payloadJson() {
            return source.substring(start, end);
        }

        /**
         * The push the other party gets, {@code from} being the sender's side and {@code fromParty} their party
         * key as a JSON string literal (quotes included), with {@code seq} first:
         * {@code {"seq":…,"type":"signal","callId":…,"from":…,"fromParty":…,"<part>":<payload as sent>}}, as the
         * UTF-8 bytes of the text frame: built in one array of the right size, which the connection sends as it is
         * and the session copies into its resume ring (the SDPs are 4.5 KB; every copy of them counts at the relay's
         * ceiling).
         */
        @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): the low 8 bits, exact for ASCII
        public byte[] push(long seq, String from, String fromParty) {
            byte[] head = ("{\"seq\":" + seq + ",\"type\":\"signal\",\"callId\":" + callId + ",\"from\":\"" + from
                    + "\",\"fromParty\":" + fromParty + ",\"" + part.wire + "\":").getBytes(StandardCharsets.UTF_8);
            byte[] payload = null;
            int n = end - start;
            for (int i = start; i < end; i++) {
                if (source.charAt(i) >= 0x80) {
                    payload = source.substring(start, end).getBytes(StandardCharsets.UTF_8);
                    n = payload.length;
                    break;
                }
            }
            byte[] out = new byte[head.length + n + 1];
            System.arraycopy(head, 0, out, 0, head.length);
            if (payload == null) {
                source.getBytes(start, end, out, head.length);
            } else {
                System.arraycopy(payload, 0, out, head.length, n);
            }
            out[out.length - 1] = '}';
            return out;
        }
    }

    /** The point starts a booked call (from 15 minutes before its slot): routed with priority. */
    /** A customer from home enters the waiting room of their booking's call. */
    record Join(String id) implements ClientMessage {
        @Override
        public Kind kind() {
            return Kind.JOIN;
        }
    }

    /** A customer's device check failed: {@code problem} camera_denied, no_camera, microphone_denied or no_microphone. */
    record DeviceCheck(String id, String problem) implements ClientMessage {
        @Override
        public Kind kind() {
            return Kind.DEVICE_CHECK;
        }
    }

    record StartBooking(String id, long bookingId) implements ClientMessage {
        public Kind kind() {
            return Kind.START_BOOKING;
        }
    }

    /**
     * Advisors: the next page of their requests after {@code after} (a request id; 0 from the start),
     * at most {@code limit}, when the welcome did not carry them all.
     */
    record ListRequests(String id, long after, int limit) implements ClientMessage {
        public Kind kind() {
            return Kind.LIST_REQUESTS;
        }
    }

    /** Advisors: turn a waiting request into a call-back (it keeps its place; the point is rung later). */
    record RequestCallback(String id, long requestId) implements ClientMessage {
        public Kind kind() {
            return Kind.REQUEST_CALLBACK;
        }
    }

    /** Advisors: answer a call-back ringing at the point; the call connects with whoever answers first. */
    record AnswerCallback(String id, long requestId) implements ClientMessage {
        public Kind kind() {
            return Kind.ANSWER_CALLBACK;
        }
    }

    /** Operators: push every ring's figures on this connection as they change. */
    record WatchRings(String id) implements ClientMessage {
        public Kind kind() {
            return Kind.WATCH_RINGS;
        }
    }

    /** The page reports how long it took from the call request (or the offer) to the first video frame. */
    record MediaReport(String id, long callId, long timeToVideoMs) implements ClientMessage {
        public Kind kind() {
            return Kind.MEDIA_REPORT;
        }
    }

    /** Fresh ICE servers (TURN credentials) before the ones of {@code welcome} expire. */
    record IceServers(String id) implements ClientMessage {
        public Kind kind() {
            return Kind.ICE_SERVERS;
        }
    }

    /**
     * The page's peer connection lost its media ({@code lost}: ICE failed or disconnected, the network
     * changed) or has it again ({@code restored}); lost for longer than the recovery time ends the call.
     */
    record MediaState(String id, long callId, boolean lost) implements ClientMessage {
        public Kind kind() {
            return Kind.MEDIA_STATE;
        }
    }

    /** The page's measurement of the call's incoming media over the last interval (getStats). */
    record CallQualityReport(String id, long callId, int rttMs, int lossPermille, int bitrateKbps, int framesDecoded,
            int intervalMs) implements ClientMessage {
        public Kind kind() {
            return Kind.CALL_QUALITY;
        }
    }

    /** The expert's outcome of a call of theirs that ended: one of the ring's configured outcome ids. */
    record RecordOutcome(String id, long callId, String outcome) implements ClientMessage {
        public Kind kind() {
            return Kind.RECORD_OUTCOME;
        }
    }
}
