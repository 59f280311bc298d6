package fi.palvelurinki.signaling.ws;

/** The sending side of a connection, as a {@link TextEndpoint} sees it. Every method is non-blocking. */
public interface TextSocket {
    /** Queues {@code text} as one text frame; a failure reaches {@link TextEndpoint#onSendFailure}. */
    void sendText(String text);

    /**
     * Queues a text frame whose payload is {@code utf8}, the text's UTF-8 bytes: sent as they are, not copied, so the
     * caller must not change them afterwards.
     */
    void sendUtf8(byte[] utf8);

    /** Whether frames may still be sent. */
    boolean isOpen();

    /** Starts the close handshake with {@code code} and {@code reason}. */
    void close(int code, String reason);

    /** Drops the connection without a close handshake (a peer that does not read or answer would never finish one). */
    void disconnect();
}
