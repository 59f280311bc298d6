package fi.palvelurinki.broker.journal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The one-writer rule for a journal directory, across processes: an exclusive OS lock ({@link FileLock}) on
 * {@code writer.lock} in the directory, held while a server (or {@code journal repair}) writes, and a
 * holder record in the same file (pid, host, since) so that a second writer can say who is in the way.
 * Readers take no lock and never touch the file. The OS drops the lock when the holder dies, however it
 * dies; the file itself stays (deleting a lock file races with the next writer).
 *
 * <p>Within one JVM the OS lock cannot tell two holders apart (and closing any channel of the file would
 * drop it), so this JVM's locks are also kept in a table and checked first.
 */
public final class JournalLock implements AutoCloseable {
    public static final String FILE = "writer.lock";
    private static final Logger LOG = Logger.getLogger(JournalLock.class.getName());
    private static final Map<Path, JournalLock> HELD_HERE = new HashMap<>();

    /** Who holds a journal: process id, host name and since when. */
    public record Holder(long pid, String host, Instant since) {
        static Holder parse(String text) {
            long pid = -1;
            String host = "unknown";
            Instant since = null;
            for (String part : text.trim().split("\\s+")) {
                try {
                    if (part.startsWith("pid=")) {
                        pid = Long.parseLong(part.substring(4));
                    } else if (part.startsWith("host=")) {
                        host = part.substring(5);
                    } else if (part.startsWith("since=")) {
                        since = Instant.parse(part.substring(6));
                    }
                } catch (RuntimeException unreadable) {
                    // a record cut short (its writer ran out of space): say what can be said
                }
            }
            return new Holder(pid, host, since);
        }

        String record() {
            return "pid=" + pid + " host=" + host + " since=" + since + "\n";
        }

        /** "pid 4242 on host palvelu-1 since 2026-11-24T08:00:00Z". */
        public String describe() {
            return (pid < 0 ? "a process that left no holder record" : "pid " + pid) + " on host " + host
                    + (since == null ? "" : " since " + since);
        }
    }

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;
    private final Holder holder;

    private JournalLock(Path key, FileChannel channel, FileLock lock, Holder holder) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
        this.holder = holder;
    }

    /**
     * Locks {@code dir} (creating it if needed) for this process, or fails at once with
     * {@link JournalLockedException} naming the holder.
     */
    public static JournalLock acquire(Path dir, InstantSource clock) throws IOException {
        Files.createDirectories(dir);
        Path key = dir.toRealPath();
        synchronized (HELD_HERE) {
            JournalLock here = HELD_HERE.get(key);
            if (here != null) {
                throw new JournalLockedException(dir, here.holder);
            }
            FileChannel ch = FileChannel.open(key.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (IOException | OverlappingFileLockException | Error e) {
                ch.close();
                throw e;
            }
            if (l == null) {
                Holder other = readHolder(ch);
                ch.close();
                throw new JournalLockedException(dir, other);
            }
            Holder me = new Holder(ProcessHandle.current().pid(), hostName(), clock.instant().truncatedTo(ChronoUnit.SECONDS));
            writeHolder(ch, me);
            JournalLock lock = new JournalLock(key, ch, l, me);
            HELD_HERE.put(key, lock);
            return lock;
        }
    }

    public Holder holder() {
        return holder;
    }

    private static Holder readHolder(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(ch.size(), 4096));
        while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
            // read what there is
        }
        return Holder.parse(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
    }

    /** Overwrites in place, then trims: a lock file from an earlier run keeps its block on a full disk. */
    private static void writeHolder(FileChannel ch, Holder me) {
        byte[] text = me.record().getBytes(StandardCharsets.UTF_8);
        try {
            ByteBuffer b = ByteBuffer.wrap(text);
            while (b.hasRemaining()) {
                ch.write(b, b.position());
            }
            ch.truncate(text.length);
            ch.force(false);
        } catch (IOException e) {
            // The lock is held all the same; only the name a second writer would see is missing.
            LOG.warning(() -> "journal lock: could not write the holder record (" + e.getMessage() + ")");
        }
    }

    private static String hostName() {
        try {
            Path proc = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(proc)) {
                String name = Files.readString(proc, StandardCharsets.UTF_8).trim();
                if (!name.isEmpty()) {
                    return name;
                }
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (HELD_HERE) {
            if (HELD_HERE.get(key) != this) {
                return;
            }
            HELD_HERE.remove(key);
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }
}
