package fi.palvelurinki.signaling.protocol;

/**
 * A message the server will not act on, with the error code and human-readable reason the client is
 * sent. {@code re} is the message's id when it could be read.
 */
public final class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public static final String BAD_JSON = "bad_json";
    public static final String UNKNOWN_TYPE = "unknown_type";
    public static final String UNKNOWN_FIELD = "unknown_field";
    public static final String MISSING_FIELD = "missing_field";
    public static final String INVALID_FIELD = "invalid_field";
    public static final String HELLO_REQUIRED = "hello_required";
    public static final String ALREADY_HELLO = "already_hello";
    public static final String FORBIDDEN = "forbidden";
    public static final String RATE_LIMITED = "rate_limited";
    public static final String SDP_TOO_LARGE = "sdp_too_large";
    public static final String TOO_MANY_CANDIDATES = "too_many_candidates";
    public static final String NOT_IN_CALL = "not_in_call";
    public static final String ALREADY_REPORTED = "already_reported";
    /** A {@code signal}'s {@code to} names nobody in the call (the broker's code of the same meaning). */
    public static final String NOT_A_PARTY = "not_a_party";

    private final String code;
    private final String re;

    public ProtocolException(String code, String reason, String re) {
        super(reason, null, false, false);
        this.code = code;
        this.re = re;
    }

    public String code() {
        return code;
    }

    public String re() {
        return re;
    }
}
