package fi.palvelurinki.broker.journal;

import java.io.IOException;

/**
 * The journal holds damage that is not an unfinished last write (for example a bad checksum with intact
 * groups after it, or a missing segment). Recovery stops rather than silently lose or misread events.
 */
public final class JournalCorruptedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient JournalDamage damage;

    public JournalCorruptedException(String message) {
        this(null, message);
    }

    public JournalCorruptedException(JournalDamage damage, String message) {
        super(message);
        this.damage = damage;
    }

    /** Where the damage is and what it hides; null when the directory itself is wrong (a stray file). */
    public JournalDamage damage() {
        return damage;
    }
}
