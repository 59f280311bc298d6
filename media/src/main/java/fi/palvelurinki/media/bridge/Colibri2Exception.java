package fi.palvelurinki.media.bridge;

/**
 * A Colibri2 request failed: the bridge could not be reached or did not answer in time, refused the request, or
 * answered something that is not a {@code conference-modified}.
 *
 * <p>Over REST the bridge turns the Colibri2 error of its XMPP form (Jitsi's {@code Colibri2Error} and the stanza
 * error) into an HTTP status: 404 for an unknown conference (meeting id), 400 with the error's text for every
 * other refusal (conference exists already, unknown endpoint, shutting down, bad request), so the
 * {@link Kind} is all that can be told apart.
 */
public final class Colibri2Exception extends Exception {
    public enum Kind {
        /** The bridge has no conference with this meeting id: it expired (its last endpoint left) or never existed. */
        CONFERENCE_NOT_FOUND,
        /**
         * HTTP 400: the bridge refused the request. The message has the answer's body; the bridge puts its text in
         * the reason phrase, which {@code java.net.http} does not expose, and the body may or may not repeat it.
         */
        REFUSED,
        /** Another HTTP status (500, 503 from a proxy, …). */
        BRIDGE_ERROR,
        /** HTTP 200 with a body that is not a conference-modified, or without what was asked for. */
        BAD_ANSWER,
        /** No answer: unreachable, refused connection, timed out, or interrupted while waiting. */
        NO_ANSWER
    }

    private final Kind kind;
    private final int status;

    public Colibri2Exception(Kind kind, int status, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
    }

    public Colibri2Exception(Kind kind, int status, String message) {
        this(kind, status, message, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status of the bridge's answer, or 0 when there was none. */
    public int status() {
        return status;
    }
}
