package fi.palvelurinki.loadtest;

import fi.palvelurinki.broker.journal.JournalSource;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The server as a child JVM on the run's scratch data directory ({@code --spawn-server}): started on a free
 * port (or the given one), and for the restart scenario killed and started again on the same data directory
 * and port. Each start has its own log ({@code server.log}, {@code server-2.log}, …; a node of two
 * {@code node-1.log}, …).
 */
final class SpawnedServer implements ServerControl, AutoCloseable {
    /** The serve command's line when it serves, or when it stands by (a second node on a PostgreSQL journal). */
    private static final Pattern READY = Pattern.compile(
            "Palvelurinki (?:is running at https?://[^:]+:|stands by on port )(\\d+)");

    private final List<String> command;
    private final List<String> options;
    private final Path config;
    private final Path data;
    private final Path work;
    private final int cpu;
    private final String name;
    private final boolean tls;
    private ChildProcess process;
    private int port;
    private int starts;

    /**
     * @param command the command up to and including {@code serve}
     * @param options more of the server's options, the same at every start (e.g. {@code --tls-cert})
     * @param cpu     the CPU to pin it to, or -1
     */
    SpawnedServer(List<String> command, List<String> options, Path config, Path data, Path work, int cpu)
            throws IOException, InterruptedException {
        this(command, options, config, data, work, cpu, 0, "server");
    }

    /** As above, on {@code port} (0: a free one), logging to {@code NAME.log}. */
    SpawnedServer(List<String> command, List<String> options, Path config, Path data, Path work, int cpu, int port,
            String name) throws IOException, InterruptedException {
        this.command = command;
        this.options = options;
        this.config = config;
        this.data = data;
        this.work = work;
        this.cpu = cpu;
        this.name = name;
        this.tls = options.contains("--tls-cert");
        this.process = launch(port);
        this.port = process.port();
    }

    private ChildProcess launch(int onPort) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of("--config", config.toString(), "--data", data.toString(), "--port", Integer.toString(onPort),
                "--host", "127.0.0.1", "--bench-relay"));
        cmd.addAll(options);
        starts++;
        return ChildProcess.start(cmd, cpu, READY, log(), 180);
    }

    int port() {
        return port;
    }

    /** The log of the latest start. */
    Path log() {
        return work.resolve(starts == 1 ? name + ".log" : name + "-" + starts + ".log");
    }

    @Override
    public synchronized void kill() throws InterruptedException {
        process.kill();
    }

    @Override
    public synchronized void restart() throws IOException, InterruptedException {
        process = launch(port);
    }

    @Override
    public synchronized void stop() {
        process.close();
    }

    @Override
    public JournalSource journal() {
        return new JournalSource.Directory(data.resolve("journal"));
    }

    @Override
    public URI http() {
        return URI.create((tls ? "https" : "http") + "://127.0.0.1:" + port);
    }

    @Override
    public synchronized void close() {
        process.close();
    }
}
