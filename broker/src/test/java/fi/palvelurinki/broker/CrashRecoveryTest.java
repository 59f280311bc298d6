package fi.palvelurinki.broker;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.JournalReader;
import fi.palvelurinki.broker.routing.LongestIdlePolicy;
import fi.palvelurinki.broker.testing.ManualClock;
import fi.palvelurinki.broker.testing.ManualTimerService;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills a journal-writing JVM with SIGKILL mid-stream and checks that every acknowledged event survived. */
class CrashRecoveryTest {
    @TempDir
    Path dir;
    /** The child's first booking slot (bookings mode), which depends on the date the test runs. */
    Instant firstSlot;

    /** Runs the child until it has acknowledged {@code enough} ids, kills it with kill -9, returns the ids. */
    private List<Long> ackedBeforeKill(String mode, int enough) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CrashWriterMain.class.getName(), dir.toString(), mode)
                .redirectError(dir.resolve("child.err").toFile())
                .start();
        List<Long> acked = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean killed = false;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("FIRST ")) {
                    firstSlot = Instant.parse(line.substring(6));
                }
                if (line.startsWith("ACK ")) {
                    acked.add(Long.parseLong(line.substring(4)));
                    if (!killed && acked.size() >= enough) {
                        // A real kill -9: no shutdown hooks, no flush, no close. (Process.destroyForcibly
                        // would also close our end of the pipe, losing ACKs the child printed just before.)
                        new ProcessBuilder("kill", "-9", Long.toString(child.pid())).inheritIO().start().waitFor();
                        killed = true;
                    }
                }
            }
            assertThat(killed).as("the child acknowledged enough requests before dying; see child.err").isTrue();
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(child.exitValue()).as("killed by signal 9").isEqualTo(137);
        return acked;
    }

    @Test
    void everyAcknowledgedRequestSurvivesKillDashNine() throws Exception {
        List<Long> acked = ackedBeforeKill("calls", 3000);

        // What the disk holds, read without repairing anything:
        Set<Long> queued = new HashSet<>();
        JournalReader.Outcome outcome = JournalReader.read(dir.resolve("journal"), e -> {
            if (e.event() instanceof DomainEvent.RequestQueued q) {
                queued.add(q.requestId());
            }
        });
        assertThat(queued).as("every acknowledged request is in the journal").containsAll(acked);

        // And the broker recovers all of them, waiting in their original order.
        ManualClock clock = new ManualClock(Instant.parse("2099-01-01T00:00:00Z"));
        try (Broker broker = Broker.start(BrokerConfig.defaults(dir).withLimits(1_000_000, 1_000_000), clock,
                new ManualTimerService(clock), new LongestIdlePolicy(), NotificationSink.DISCARD, null)) {
            int previous = 0;
            List<Long> sorted = acked.stream().sorted().toList();
            for (long id : sorted.subList(0, 50)) {
                Reply.RequestStatus s = (Reply.RequestStatus) broker.submit(new Command.GetRequest(id)).get(10, TimeUnit.SECONDS);
                assertThat(s.state()).isEqualTo("WAITING");
                assertThat(s.position()).isGreaterThan(previous);
                previous = s.position();
            }
            Reply.RequestStatus last = (Reply.RequestStatus) broker.submit(
                    new Command.GetRequest(sorted.get(sorted.size() - 1))).get(10, TimeUnit.SECONDS);
            assertThat(last.state()).isEqualTo("WAITING");
            assertThat(broker.health().healthy()).isTrue();
        }
        System.out.printf("crash test: %d acknowledged, %d in the journal, torn tail %d bytes%n",
                acked.size(), queued.size(), outcome.tornBytes());
    }

    @Test
    void everyConfirmedBookingSurvivesKillDashNine() throws Exception {
        List<Long> acked = ackedBeforeKill("bookings", 1500);
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (Broker broker = Broker.start(BrokerConfig.defaults(dir).withLimits(1_000_000, 1_000_000), clock,
                new ManualTimerService(clock), new LongestIdlePolicy(), NotificationSink.DISCARD, null)) {
            // Five-minute slots one after another from the first: every acknowledged one lies in this window.
            Reply.Bookings all = (Reply.Bookings) broker.submit(new Command.GetBookings(null, null,
                    firstSlot, firstSlot.plus(java.time.Duration.ofMinutes(5L * (acked.size() + 10_000))))).get(10, TimeUnit.SECONDS);
            Set<Long> recovered = new HashSet<>();
            all.bookings().forEach(b -> recovered.add(b.id()));
            assertThat(recovered).as("every confirmed booking is there").containsAll(acked);
            assertThat(all.bookings()).allSatisfy(b -> assertThat(b.status().name()).isEqualTo("CONFIRMED"));
            // Each slot holds one booking: nothing was booked twice across the crash.
            assertThat(all.bookings().stream().map(b -> b.start()).distinct().count()).isEqualTo(all.bookings().size());
        }
    }

    @Test
    void jointOffersInTheMiddleAtAKillDashNineWaitForBothAgain() throws Exception {
        List<Long> acked = ackedBeforeKill("joint", 150);
        Set<Long> held = new HashSet<>();
        Set<Long> needed = new HashSet<>();
        JournalReader.read(dir.resolve("journal"), e -> {
            if (e.event() instanceof DomainEvent.OfferHeld h) {
                held.add(h.requestId());
            } else if (e.event() instanceof DomainEvent.InterpreterNeeded n) {
                needed.add(n.requestId());
            }
        });
        assertThat(held).as("every acknowledged acceptance is in the journal").containsAll(acked);
        assertThat(needed).containsAll(acked);

        ManualClock clock = new ManualClock(Instant.parse("2099-01-01T00:00:00Z"));
        try (Broker broker = Broker.start(BrokerConfig.defaults(dir).withLimits(1_000_000, 1_000_000), clock,
                new ManualTimerService(clock), new LongestIdlePolicy(), NotificationSink.DISCARD, null)) {
            List<Long> sorted = acked.stream().sorted().toList();
            for (long id : sorted) {
                Reply.RequestStatus s = (Reply.RequestStatus) broker.submit(new Command.GetRequest(id)).get(10, TimeUnit.SECONDS);
                assertThat(s.state()).as("request %d: the held expert and the ringing interpreter are gone", id)
                        .isEqualTo("WAITING");
            }
            // An expert alone does not take the first of them; with an interpreter both are offered it.
            broker.submit(new Command.SetPresence("e0", fi.palvelurinki.broker.expert.Presence.AVAILABLE)).get(10, TimeUnit.SECONDS);
            assertThat(((Reply.ExpertStatus) broker.submit(new Command.GetExpert("e0")).get(10, TimeUnit.SECONDS))
                    .offeredRequestId()).isNull();
            broker.submit(new Command.SetPresence("t0", fi.palvelurinki.broker.expert.Presence.AVAILABLE)).get(10, TimeUnit.SECONDS);
            assertThat(((Reply.ExpertStatus) broker.submit(new Command.GetExpert("e0")).get(10, TimeUnit.SECONDS))
                    .offeredRequestId()).isEqualTo(sorted.get(0));
            Long need = ((Reply.ExpertStatus) broker.submit(new Command.GetExpert("t0")).get(10, TimeUnit.SECONDS))
                    .offeredRequestId();
            assertThat(need).isNotNull();
            broker.submit(new Command.AcceptOffer("t0", need)).get(10, TimeUnit.SECONDS);
            assertThat(broker.submit(new Command.AcceptOffer("e0", sorted.get(0))).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(Reply.CallConnected.class);
            assertThat(broker.health().healthy()).isTrue();
        }
    }
}
