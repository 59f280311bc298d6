package fi.palvelurinki.signaling.ws;

/**
 * What a WebSocket connection of the protocol does with what arrives: whole text messages, already decoded.
 * Called by {@link TextFrameHandler} one at a time per connection.
 */
public interface TextEndpoint {
    /** The connection is open; {@code socket} sends on it. */
    void onOpen(TextSocket socket);

    /** A whole text message (its fragments joined, valid UTF-8). */
    void onText(String text);

    /** A whole binary message within the binary size limit (the protocol refuses them; the bytes are not kept). */
    void onBinary();

    /** A message given to {@link TextSocket#sendText} could not be sent (e.g. the outgoing queue was full). */
    void onSendFailure(Throwable cause);

    /** The connection is closed (once, whoever closed it); {@code code} is the close status. */
    void onClose(int code, String reason);
}
