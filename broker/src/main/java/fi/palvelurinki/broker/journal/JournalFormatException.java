package fi.palvelurinki.broker.journal;

/** A record whose checksum matched but whose content cannot be read: a bug or a foreign file, never a torn write. */
public final class JournalFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JournalFormatException(String message) {
        super(message);
    }
}
