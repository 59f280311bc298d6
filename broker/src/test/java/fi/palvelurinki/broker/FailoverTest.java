package fi.palvelurinki.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.PostgresJournal;
import fi.palvelurinki.broker.journal.PostgresLease;
import fi.palvelurinki.broker.ring.Authority;
import fi.palvelurinki.broker.routing.LongestIdlePolicy;
import fi.palvelurinki.broker.testing.PostgresCluster;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one PostgreSQL journal: the active one a separate JVM under load
 * ({@link FailoverWriterMain}), the standby this test. Killed with SIGKILL, the active loses nothing it
 * acknowledged and the standby takes over within 5 s; paused with SIGSTOP until the standby took over,
 * the old active appends nothing when it is let go on.
 */
class FailoverTest {
    @TempDir
    Path dir;

    private record Child(Process process, List<Long> acked, List<String> lines) {}

    private Child startActive(String url, Duration ttl) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                FailoverWriterMain.class.getName(), url, Long.toString(ttl.toMillis()))
                .redirectError(dir.resolve("child.err").toFile()).start();
        Child c = new Child(p, new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("ACK ")) {
                        c.acked().add(Long.parseLong(line.substring(4)));
                    } else {
                        c.lines().add(line);
                    }
                }
            } catch (java.io.IOException ignored) {
                // the child is gone
            }
        });
        reader.setDaemon(true);
        reader.start();
        // Before any standby looks: a lease never held is free to take.
        await("the active starts; see child.err").atMost(Duration.ofSeconds(60))
                .until(() -> c.lines().contains("READY") || !p.isAlive());
        assertThat(c.lines()).as(() -> "child: " + read(dir.resolve("child.err"))).contains("READY");
        return c;
    }

    private static String read(Path f) {
        try {
            return java.nio.file.Files.readString(f);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static void signal(Process p, String sig) throws Exception {
        new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).inheritIO().start().waitFor();
    }

    private static BrokerConfig standbyConfig(String url, Duration ttl) {
        return BrokerConfig.defaults(Path.of("unused")).withLimits(1_000_000, 1_000_000)
                .withPostgres(new BrokerConfig.Postgres(url, "http://standby", ttl));
    }

    /** The requests queued in the journal, in journal order. */
    private static List<Long> queued(String url) throws Exception {
        return queued(url, Long.MAX_VALUE);
    }

    /** The requests queued in the journal up to {@code seq}. */
    private static List<Long> queued(String url, long seq) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (Connection c = PostgresJournal.connect(url)) {
            PostgresJournal.readFrom(c, 0, e -> {
                if (e.event() instanceof DomainEvent.RequestQueued q && e.seq() <= seq) {
                    ids.add(q.requestId());
                }
            }, url);
        }
        return ids;
    }

    @Test
    void killDashNineOfTheActiveUnderLoadLosesNothingAcknowledgedAndTheStandbyTakesOverWithinFiveSeconds()
            throws Exception {
        String url = PostgresCluster.shared().newDatabase();
        Duration ttl = Duration.ofSeconds(3);
        Child active = startActive(url, ttl);
        try (Standby standby = Standby.start(standbyConfig(url, ttl), InstantSource.system(), new LongestIdlePolicy())) {
            await("the active acknowledges under load").atMost(Duration.ofSeconds(60)).until(() -> active.acked().size() >= 2000);
            await("the standby follows").atMost(Duration.ofSeconds(10)).until(() -> standby.followedSeq() > 1000);
            assertThat(standby.lease().holder()).isNotEqualTo(Broker.nodeName());
            assertThat(standby.takeover()).isNotDone();

            signal(active.process(), "9");
            long killedAt = System.nanoTime();
            active.process().waitFor(10, TimeUnit.SECONDS);
            Standby.Takeover t = standby.takeover().get(10, TimeUnit.SECONDS);
            long failoverMs = (System.nanoTime() - killedAt) / 1_000_000;
            assertThat(failoverMs).as("takeover after the kill, ms").isLessThan(5000);

            try (Broker b = Broker.takeOver(t, new ScheduledTimerService(InstantSource.system()), NotificationSink.DISCARD,
                    null)) {
                b.submit(new Command.DefineAuthority(new Authority("after", "After the takeover"))).get(10, TimeUnit.SECONDS);
            }
            List<Long> acked = new ArrayList<>(active.acked());
            List<Long> journaled = queued(url);
            assertThat(journaled).as("every acknowledged request is in the journal").containsAll(acked);
            List<Long> sorted = new ArrayList<>(journaled);
            Collections.sort(sorted);
            assertThat(journaled).as("in the order they were queued").isEqualTo(sorted);
            try (Connection c = PostgresJournal.connect(url)) {
                assertThat(PostgresLease.read(c).epoch()).isEqualTo(t.journal().epoch()).isEqualTo(2);
            }
        } finally {
            active.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPausedOldActiveAppendsNothingAfterTheTakeover() throws Exception {
        String url = PostgresCluster.shared().newDatabase();
        Duration ttl = Duration.ofSeconds(1);
        Child active = startActive(url, ttl);
        try (Standby standby = Standby.start(standbyConfig(url, ttl), InstantSource.system(), new LongestIdlePolicy())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> active.acked().size() >= 1000);
            signal(active.process(), "STOP");
            Standby.Takeover t = standby.takeover().get(15, TimeUnit.SECONDS);
            long takenAt = t.journal().appendedSeq();
            try (Broker b = Broker.takeOver(t, new ScheduledTimerService(InstantSource.system()), NotificationSink.DISCARD,
                    null)) {
                b.submit(new Command.DefineAuthority(new Authority("new", "The new active"))).get(10, TimeUnit.SECONDS);
                signal(active.process(), "CONT");
                await("the old active notices it was fenced").atMost(Duration.ofSeconds(20))
                        .until(() -> active.lines().stream().anyMatch(l -> l.startsWith("REFUSED")));
                b.submit(new Command.DefineAuthority(new Authority("new2", "Still the new active"))).get(10, TimeUnit.SECONDS);
            }
            try (Connection c = PostgresJournal.connect(url); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT count(*), coalesce(min(epoch), 0), coalesce(max(epoch), 0)"
                            + " FROM palvelurinki_journal WHERE seq > " + takenAt)) {
                r.next();
                assertThat(r.getLong(1)).as("the new active wrote after the takeover").isPositive();
                assertThat(r.getLong(2)).as("nothing of the old epoch after the takeover").isEqualTo(t.journal().epoch());
            }
            assertThat(queued(url, takenAt)).as("whatever the old active acknowledged was committed before the takeover")
                    .containsAll(active.acked());
        } finally {
            active.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
