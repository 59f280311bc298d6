package fi.palvelurinki.loadtest;

import fi.palvelurinki.broker.journal.JournalSource;
import java.net.URI;

/**
 * The server process a run started itself, which the restart scenario kills and starts again; or the two
 * nodes of the failover scenario, whose active one is killed and whose standby takes over.
 */
public interface ServerControl {
    /** Kills the server (the active node) with SIGKILL; returns once the process is gone. */
    void kill() throws Exception;

    /**
     * Starts it again on the same data directory, configuration and port, and returns once it listens; with two
     * nodes, returns once the standby has taken over and serves.
     */
    void restart() throws Exception;

    /** Stops it (every node) cleanly (SIGTERM); returns once it has stopped. */
    void stop() throws Exception;

    /** Its journal, to read once it has stopped. */
    JournalSource journal();

    /** The base URL of the server that serves (after {@link #restart}: the one that serves now). */
    URI http();
}
