package fi.palvelurinki.broker.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real small file system for the disk-full tests: a tmpfs of a few MiB mounted on a fresh directory,
 * which a filler file fills to the last page. Mounting needs root (CI runs as root); where it is
 * impossible the test is skipped with the reason, never faked.
 */
public final class Tmpfs implements AutoCloseable {
    private final Path dir;
    private Path filler;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code bytes} on a new directory, or aborts (skips) the calling test saying why. */
    public static Tmpfs mount(long bytes) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("palvelurinki-tmpfs-");
        String why = run("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", dir.toString());
        if (why != null) {
            Files.deleteIfExists(dir);
            Assumptions.abort("skipped: cannot mount a tmpfs for a real disk-full test (" + why + "); this needs root, as"
                    + " on CI: run the tests as root to include it");
        }
        return new Tmpfs(dir);
    }

    public Path path() {
        return dir;
    }

    /** Writes a filler file until the file system refuses more: the next write that needs a page fails. */
    public void fill() throws IOException {
        filler = dir.resolve("filler");
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            for (int size = chunk.length; size > 0; size /= 2) {
                try {
                    while (true) {
                        out.write(chunk, 0, size);
                        out.flush();
                    }
                } catch (IOException full) {
                    // then smaller pieces, down to one byte
                }
            }
        } catch (IOException closingAFullFile) {
            // everything written is in the file: that is the point
        }
    }

    /** Fills the file system, then gives {@code bytes} back: room for a few writes, not for all. */
    public void fillLeaving(long bytes) throws IOException {
        fill();
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(filler,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(Math.max(0, ch.size() - bytes));
        }
    }

    /** The space comes back. */
    public void free() throws IOException {
        if (filler != null) {
            Files.deleteIfExists(filler);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (run("umount", dir.toString()) != null) {
            run("umount", "-l", dir.toString());
        }
        Files.deleteIfExists(dir);
    }

    /** Runs a command; null when it succeeded, else what it said. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", command) + " did not finish";
        }
        return p.exitValue() == 0 ? null : String.join(" ", command) + ": " + out;
    }
}
