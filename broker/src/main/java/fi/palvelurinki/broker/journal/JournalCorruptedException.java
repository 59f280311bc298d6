package fi.palvelurinki.broker.journal;

import java.io.IOException;

/**
 * The journal holds damage that is not a torn last record (for example a bad checksum with intact
 * records after it). The broker refuses to start rather than silently lose or misread events.
 */
public final class JournalCorruptedException extends IOException {
    private static final long serialVersionUID = 1L;

    public JournalCorruptedException(String message) {
        super(message);
    }
}
