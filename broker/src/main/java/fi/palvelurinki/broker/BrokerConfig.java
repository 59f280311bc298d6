package fi.palvelurinki.broker;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The broker module's configuration, validated when built. Defaults are documented in
 * {@code docs/configuration.md}.
 *
 * @param dataDir                    directory of the journal
 * @param fsync                      fsync each group commit (off only for benchmarks and throwaway demos)
 * @param commandQueueCapacity       commands waiting for the broker thread before submitters are refused
 *                                   (OVERLOADED); rounded up to a power of two
 * @param maxBatch                   commands the broker thread takes per round before syncing the journal
 * @param queueUpdateInterval        at most one queue-position round per ring per this interval
 * @param statusPublishInterval      at most one ring-status push to operators per ring per this interval
 * @param shortAbandonGrace          requests abandoned sooner do not count against the service level
 * @param maxActiveRequests          waiting, ringing and connected requests across all rings
 * @param maxActiveRequestsPerPoint  the same per service point (a point has a handful of rooms)
 * @param journalSegmentBytes        size at which the journal starts a new segment file
 * @param rememberEnded              ended requests and calls remembered so that repeating a cancel or
 *                                   hang-up is a harmless no-op
 * @param callbacks                  how call-backs ring the point and retry
 * @param postgres                   the journal in PostgreSQL instead of {@code dataDir/journal}; null for the file journal
 * @param jointHold                  a joint offer (expert and interpreter together): how long the party who accepted
 *                                   is held while a replacement is sought for the one who declined or did not answer
 */
public record BrokerConfig(
        Path dataDir,
        boolean fsync,
        int commandQueueCapacity,
        int maxBatch,
        Duration queueUpdateInterval,
        Duration statusPublishInterval,
        Duration shortAbandonGrace,
        int maxActiveRequests,
        int maxActiveRequestsPerPoint,
        long journalSegmentBytes,
        int rememberEnded,
        CallbackSettings callbacks,
        Postgres postgres,
        Duration jointHold) {

    public static final Duration DEFAULT_JOINT_HOLD = Duration.ofSeconds(20);

    /**
     * The PostgreSQL journal backend.
     *
     * @param url           JDBC URL (user and password may be in it)
     * @param advertisedUrl where clients reach this node when it is the active one; a standby tells them
     * @param leaseTtl      a standby takes over this long after the active stopped renewing its lease
     */
    public record Postgres(String url, String advertisedUrl, Duration leaseTtl) {
        public Postgres {
            if (url == null || !url.startsWith("jdbc:postgresql:")) {
                throw BrokerException.invalid("the journal URL must be a jdbc:postgresql: URL, got " + url);
            }
            if (leaseTtl == null || leaseTtl.compareTo(Duration.ofMillis(300)) < 0
                    || leaseTtl.compareTo(Duration.ofSeconds(60)) > 0) {
                throw BrokerException.invalid("the journal lease must last between 300 ms and 60 s");
            }
        }

        public static Postgres of(String url) {
            return new Postgres(url, null, Duration.ofSeconds(3));
        }
    }

    /** With the file journal in {@code dataDir/journal}. */
    public BrokerConfig(Path dataDir, boolean fsync, int commandQueueCapacity, int maxBatch, Duration queueUpdateInterval,
            Duration statusPublishInterval, Duration shortAbandonGrace, int maxActiveRequests,
            int maxActiveRequestsPerPoint, long journalSegmentBytes, int rememberEnded, CallbackSettings callbacks) {
        this(dataDir, fsync, commandQueueCapacity, maxBatch, queueUpdateInterval, statusPublishInterval, shortAbandonGrace,
                maxActiveRequests, maxActiveRequestsPerPoint, journalSegmentBytes, rememberEnded, callbacks, null,
                DEFAULT_JOINT_HOLD);
    }

    public BrokerConfig {
        if (dataDir == null) {
            throw BrokerException.invalid("data directory is required");
        }
        positive("command queue capacity", commandQueueCapacity);
        positive("max batch", maxBatch);
        nonNegative("queue update interval", queueUpdateInterval);
        nonNegative("status publish interval", statusPublishInterval);
        nonNegative("short-abandon grace", shortAbandonGrace);
        positive("max active requests", maxActiveRequests);
        positive("max active requests per point", maxActiveRequestsPerPoint);
        if (journalSegmentBytes < 4096) {
            throw BrokerException.invalid("journal segment size must be at least 4096 bytes");
        }
        positive("remembered ended requests", rememberEnded);
        if (callbacks == null) {
            throw BrokerException.invalid("call-back settings are required");
        }
        if (jointHold == null || jointHold.compareTo(Duration.ofSeconds(1)) < 0 || jointHold.compareTo(Duration.ofMinutes(5)) > 0) {
            throw BrokerException.invalid("the joint offer hold time must be between 1 s and 5 min, got " + jointHold);
        }
    }

    public BrokerConfig withJointHold(Duration v) {
        return new BrokerConfig(dataDir, fsync, commandQueueCapacity, maxBatch, queueUpdateInterval, statusPublishInterval,
                shortAbandonGrace, maxActiveRequests, maxActiveRequestsPerPoint, journalSegmentBytes, rememberEnded, callbacks,
                postgres, v);
    }

    /** With the default call-back settings. */
    public BrokerConfig(Path dataDir, boolean fsync, int commandQueueCapacity, int maxBatch, Duration queueUpdateInterval,
            Duration statusPublishInterval, Duration shortAbandonGrace, int maxActiveRequests,
            int maxActiveRequestsPerPoint, long journalSegmentBytes, int rememberEnded) {
        this(dataDir, fsync, commandQueueCapacity, maxBatch, queueUpdateInterval, statusPublishInterval, shortAbandonGrace,
                maxActiveRequests, maxActiveRequestsPerPoint, journalSegmentBytes, rememberEnded, CallbackSettings.DEFAULTS);
    }

    public BrokerConfig withCallbacks(CallbackSettings v) {
        return new BrokerConfig(dataDir, fsync, commandQueueCapacity, maxBatch, queueUpdateInterval, statusPublishInterval,
                shortAbandonGrace, maxActiveRequests, maxActiveRequestsPerPoint, journalSegmentBytes, rememberEnded, v, postgres, jointHold);
    }

    public BrokerConfig withPostgres(Postgres p) {
        return new BrokerConfig(dataDir, fsync, commandQueueCapacity, maxBatch, queueUpdateInterval, statusPublishInterval,
                shortAbandonGrace, maxActiveRequests, maxActiveRequestsPerPoint, journalSegmentBytes, rememberEnded, callbacks, p, jointHold);
    }

    public static BrokerConfig defaults(Path dataDir) {
        return new BrokerConfig(dataDir, true, 65_536, 1_024, Duration.ofMillis(500), Duration.ofSeconds(1),
                Duration.ofSeconds(10), 200_000, 50, 64L << 20, 100_000);
    }

    public BrokerConfig withFsync(boolean v) {
        return new BrokerConfig(dataDir, v, commandQueueCapacity, maxBatch, queueUpdateInterval, statusPublishInterval,
                shortAbandonGrace, maxActiveRequests, maxActiveRequestsPerPoint, journalSegmentBytes, rememberEnded, callbacks, postgres, jointHold);
    }

    public BrokerConfig withIntervals(Duration queueUpdates, Duration statusPushes) {
        return new BrokerConfig(dataDir, fsync, commandQueueCapacity, maxBatch, queueUpdates, statusPushes,
                shortAbandonGrace, maxActiveRequests, maxActiveRequestsPerPoint, journalSegmentBytes, rememberEnded, callbacks, postgres, jointHold);
    }

    public BrokerConfig withLimits(int maxActive, int maxActivePerPoint) {
        return new BrokerConfig(dataDir, fsync, commandQueueCapacity, maxBatch, queueUpdateInterval, statusPublishInterval,
                shortAbandonGrace, maxActive, maxActivePerPoint, journalSegmentBytes, rememberEnded, callbacks, postgres, jointHold);
    }

    public BrokerConfig withSegmentBytes(long bytes) {
        return new BrokerConfig(dataDir, fsync, commandQueueCapacity, maxBatch, queueUpdateInterval, statusPublishInterval,
                shortAbandonGrace, maxActiveRequests, maxActiveRequestsPerPoint, bytes, rememberEnded, callbacks, postgres, jointHold);
    }

    private static void positive(String what, long v) {
        if (v <= 0) {
            throw BrokerException.invalid(what + " must be positive, got " + v);
        }
    }

    private static void nonNegative(String what, Duration d) {
        if (d == null || d.isNegative()) {
            throw BrokerException.invalid(what + " must be zero or more");
        }
    }
}
