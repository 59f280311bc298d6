package fi.palvelurinki.loadtest;

import java.nio.file.Path;

/** The server process a run started itself, which the restart scenario kills and starts again. */
public interface ServerControl {
    /** Kills the server with SIGKILL; returns once the process is gone. */
    void kill() throws Exception;

    /** Starts it again on the same data directory, configuration and port; returns once it listens. */
    void restart() throws Exception;

    /** Stops it cleanly (SIGTERM); returns once it has stopped. */
    void stop() throws Exception;

    /** Its journal directory, to read once it has stopped. */
    Path journal();
}
