package fi.palvelurinki.broker.journal;

import java.io.IOException;
import java.nio.file.Path;

/** Another process (or another writer in this one) holds the journal's writer lock. */
public final class JournalLockedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient JournalLock.Holder holder;

    public JournalLockedException(Path dir, JournalLock.Holder holder) {
        super("the journal " + dir.toAbsolutePath().normalize() + " is in use by " + holder.describe()
                + "; one writer at a time: stop that one first (report and journal check can read it meanwhile)");
        this.holder = holder;
    }

    public JournalLock.Holder holder() {
        return holder;
    }
}
