package fi.palvelurinki.media.bridge;

import org.jitsi.xmpp.extensions.colibri2.Colibri2Error;

/**
 * A Colibri2 request failed: the bridge could not be reached or did not answer in time, refused the request, or
 * answered something that is not a {@code conference-modified}.
 *
 * <p>Over REST the bridge turns a Colibri2 error into an HTTP status: 404 for an unknown conference (meeting id),
 * 400 with the error's text for every other refusal (conference exists already, unknown endpoint, shutting down,
 * bad request). The {@link #reason()} is Jitsi's {@link Colibri2Error.Reason} where the status tells it, else
 * {@code UNSPECIFIED}.
 */
public final class Colibri2Exception extends Exception {
    private final int status;
    private final Colibri2Error.Reason reason;

    public Colibri2Exception(String message, int status, Colibri2Error.Reason reason, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.reason = reason;
    }

    public Colibri2Exception(String message, int status, Colibri2Error.Reason reason) {
        this(message, status, reason, null);
    }

    /** The HTTP status of the bridge's answer, or 0 when there was none (unreachable, timed out). */
    public int status() {
        return status;
    }

    public Colibri2Error.Reason reason() {
        return reason;
    }
}
