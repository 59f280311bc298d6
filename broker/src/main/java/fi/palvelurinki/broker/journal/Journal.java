package fi.palvelurinki.broker.journal;

import java.util.List;

/**
 * Where the broker's events are made durable: the embedded {@link FileJournal} or the {@link PostgresJournal}.
 * Both keep the same promise: events are numbered 1, 2, 3… without gaps in the order handed over, each
 * round of the broker is written in one group commit (one fsync, one transaction), and {@link #durableSeq()}
 * only moves past an event once it is committed — which is when the broker acknowledges the command.
 */
public interface Journal extends AutoCloseable {
    /**
     * Queues events for writing, numbered {@code appendedSeq()+1} onwards. Called by one thread (the
     * broker's), which hands over the list and must not change it afterwards. Never waits for the
     * commit; waits only for back-pressure when the writer is far behind.
     */
    long append(List<DomainEvent> events);

    /** The sequence number of the last event handed to {@link #append}. */
    long appendedSeq();

    /** Every event up to this sequence number is committed. */
    long durableSeq();

    /** Non-null once a write failed; nothing after that failure becomes durable. */
    Throwable failure();

    /** Null when the journal can be written; else why not. */
    String notWritable();

    /** Free space for the journal in bytes, or -1 when it cannot be told (always for a database). */
    long freeBytes();

    /** Does a commit wait for the storage to have it (fsync, or the database's commit)? */
    boolean fsync();

    /** Runs on the writer thread after each commit (and after a failure); must not block. */
    void onDurable(Runnable listener);

    /** Where the events are, for messages: a directory or a JDBC URL without its password. */
    String describe();

    /** Commits everything appended so far, stops the writer and lets go of the store (lock, connection). */
    @Override
    void close();
}
