package fi.palvelurinki.broker.journal;

import java.io.IOException;

/** Another node holds the lease of a journal in PostgreSQL: it is the active one. */
public final class JournalLeasedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient PostgresLease.State lease;

    public JournalLeasedException(String where, PostgresLease.State lease) {
        super("the journal " + where + " is written by " + lease.holder()
                + (lease.url() == null ? "" : " (" + lease.url() + ")") + ", epoch " + lease.epoch()
                + "; one writer at a time: this node can only stand by");
        this.lease = lease;
    }

    public PostgresLease.State lease() {
        return lease;
    }
}
