package fi.palvelurinki.loadtest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process the load test starts (the server, the bare relay), pinned to a CPU with {@code taskset}
 * when it is installed. Its output goes to a log file; the first line matching {@code ready} gives
 * the port it listens on.
 */
public final class ChildProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    private ChildProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Whether {@code taskset} can pin processes here. */
    public static boolean tasksetAvailable() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "taskset"))) {
                return true;
            }
        }
        return false;
    }

    /** Pins every thread of this JVM to {@code cpu}; false when it could not. */
    public static boolean pinSelf(int cpu) {
        if (!tasksetAvailable()) {
            return false;
        }
        try {
            Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", Integer.toString(cpu),
                    Long.toString(ProcessHandle.current().pid())).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Starts {@code command} (on {@code cpu} if it is not negative and taskset exists) and waits until it
     * prints a line matching {@code ready}, whose group 1 is its port.
     */
    public static ChildProcess start(List<String> command, int cpu, Pattern ready, Path log, long timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (cpu >= 0 && tasksetAvailable()) {
            full.addAll(List.of("taskset", "-c", Integer.toString(cpu)));
        }
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                    var w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    w.write(line);
                    w.newLine();
                    w.flush();
                    Matcher m = ready.matcher(line);
                    if (!port.isDone() && m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            port.completeExceptionally(new IOException("exited before it was ready; see " + log));
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new ChildProcess(p, port.get(timeoutSeconds, TimeUnit.SECONDS));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": " + e.getMessage() + " (log: " + log + ")", e);
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /**
     * SIGKILL, as {@code kill -9}: no shutdown hook, no flush, no close. Returns once the process is gone.
     * (Through its handle: {@code Process.destroyForcibly} would also close the pipe of its output.)
     */
    public void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
