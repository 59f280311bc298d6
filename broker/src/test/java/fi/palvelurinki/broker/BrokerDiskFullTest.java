package fi.palvelurinki.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fi.palvelurinki.broker.journal.FileJournal;
import fi.palvelurinki.broker.point.Advisor;
import fi.palvelurinki.broker.point.ServicePoint;
import fi.palvelurinki.broker.ring.Authority;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.RingConfig;
import fi.palvelurinki.broker.routing.LongestIdlePolicy;
import fi.palvelurinki.broker.testing.ManualClock;
import fi.palvelurinki.broker.testing.ManualTimerService;
import fi.palvelurinki.broker.testing.Tmpfs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A journal on a real, small file system (tmpfs) that fills up: every command waiting for durability is
 * answered {@code unavailable}, health says why, and after space returns a restart has every acknowledged
 * request.
 */
class BrokerDiskFullTest {
    final ManualClock clock = ManualClock.tuesdayMorning();

    Broker start(Path data) throws Exception {
        return Broker.start(BrokerConfig.defaults(data).withLimits(1_000_000, 1_000_000)
                        .withIntervals(Duration.ZERO, Duration.ZERO), clock, new ManualTimerService(clock),
                new LongestIdlePolicy(), NotificationSink.DISCARD, null);
    }

    static void setUp(Broker b) throws Exception {
        b.submit(new Command.DefineAuthority(new Authority("kela", "Kela"))).get(10, TimeUnit.SECONDS);
        b.submit(new Command.ConfigureRing(RingConfig.builder("kela", "kela").build(), "test")).get(10, TimeUnit.SECONDS);
        b.submit(new Command.DefinePoint(new ServicePoint("p", "Point", "Mikkeli", 1))).get(10, TimeUnit.SECONDS);
        b.submit(new Command.DefineAdvisor(new Advisor("a", "Advisor", "p"))).get(10, TimeUnit.SECONDS);
    }

    static CompletableFuture<Reply> request(Broker b, int i) {
        return b.submit(Command.RequestCall.instant("a", "kela", "general", Language.FI, "customer " + i));
    }

    @Test
    void everyCommandInFlightWhenTheDiskFillsIsAnsweredAndARestartRecoversEveryAcknowledgedOne() throws Exception {
        try (Tmpfs fs = Tmpfs.mount(4L << 20)) {
            Path data = fs.path().resolve("data");
            List<Long> acknowledged = new ArrayList<>();
            Broker broker = start(data);
            setUp(broker);
            fs.fill();
            // Waves of commands sent together; each wave is waited for. The wave whose write fails has
            // nothing after it to shake its replies loose: they must be answered all the same.
            String refusal = null;
            int i = 0;
            while (refusal == null) {
                assertThat(i).as("the file system never filled").isLessThan(100_000);
                List<CompletableFuture<Reply>> wave = new ArrayList<>();
                for (int k = 0; k < 20; k++) {
                    wave.add(request(broker, i++));
                }
                await("every command of the wave answered").atMost(Duration.ofSeconds(30))
                        .until(() -> wave.stream().allMatch(CompletableFuture::isDone));
                for (CompletableFuture<Reply> f : wave) {
                    try {
                        acknowledged.add(((Reply.Queued) f.join()).requestId());
                    } catch (CompletionException e) {
                        assertThat(e.getCause()).isInstanceOf(BrokerException.class);
                        assertThat(((BrokerException) e.getCause()).code()).isEqualTo(ErrorCode.UNAVAILABLE);
                        refusal = e.getCause().getMessage();
                    }
                }
            }
            assertThat(refusal).contains("No space left on device").contains("restarted");
            Broker.Health h = broker.health();
            assertThat(h.healthy()).isFalse();
            assertThat(h.journalWritable()).isFalse();
            assertThat(h.problem()).contains("No space left on device");
            CompletableFuture<Reply> later = request(broker, i);
            assertThat(later).as("refused at once").isCompletedExceptionally();
            broker.close();

            fs.free();
            Broker again = start(data);
            try {
                for (long id : acknowledged) {
                    Reply.RequestStatus s = (Reply.RequestStatus) again.submit(new Command.GetRequest(id)).get(10, TimeUnit.SECONDS);
                    assertThat(s.state()).as("request " + id).isEqualTo("WAITING");
                }
                assertThat(again.health().healthy()).isTrue();
            } finally {
                again.close();
            }
            System.out.printf("disk full: %d requests acknowledged before the write failed, all recovered%n",
                    acknowledged.size());
        }
    }

    @Test
    void aJournalThatCannotBeWrittenAtStartIsReportedAndCommandsAreRefused() throws Exception {
        try (Tmpfs fs = Tmpfs.mount(1L << 20)) {
            fs.fill();
            Broker broker = start(fs.path().resolve("data"));
            try {
                Broker.Health h = broker.health();
                assertThat(h.healthy()).isFalse();
                assertThat(h.journalWritable()).isFalse();
                assertThat(h.problem()).contains("No space left on device");
                CompletableFuture<Reply> f = broker.submit(new Command.DefineAuthority(new Authority("kela", "Kela")));
                await().atMost(Duration.ofSeconds(10)).until(f::isDone);
                assertThat(f).isCompletedExceptionally();
                assertThat(f.handle((r, e) -> ((BrokerException) e).code()).join())
                        .isEqualTo(ErrorCode.UNAVAILABLE);
            } finally {
                broker.close();
            }
        }
    }

    @Test
    void aRestartOnAFullDiskReportsTheJournalAsNotWritable() throws Exception {
        try (Tmpfs fs = Tmpfs.mount(4L << 20)) {
            Path data = fs.path().resolve("data");
            Broker first = start(data);
            setUp(first);
            first.close();
            fs.fill();
            Broker broker = start(data);
            try {
                Broker.Health h = broker.health();
                assertThat(h.journalWritable()).as("no room at start: not healthy").isFalse();
                assertThat(h.problem()).contains("bytes free, less than 1048576");
                assertThat(h.journalFreeBytes()).isLessThan(FileJournal.MIN_FREE_BYTES);
            } finally {
                broker.close();
            }
            fs.free();
            Broker freed = start(data);
            try {
                assertThat(freed.health().healthy()).as("healthy again once space is back").isTrue();
            } finally {
                freed.close();
            }
        }
    }
    @Test
    void closingWhileTheRefusalsAreGoingOutNeverHangs() throws Exception {
        try (Tmpfs fs = Tmpfs.mount(1L << 20)) {
            fs.fill();
            for (int round = 0; round < 10; round++) {
                Broker broker = start(fs.path().resolve("data"));
                Thread closer = new Thread(broker::close, "closer");
                CompletableFuture<Reply> first = new CompletableFuture<>();
                // Runs on the broker thread as it refuses the first command: the stop request lands among
                // the commands it is still refusing (it used to be dropped there, and close() waited forever).
                first.whenComplete((r, e) -> {
                    closer.start();
                    while (closer.getState() != Thread.State.WAITING && closer.getState() != Thread.State.TERMINATED) {
                        Thread.onSpinWait();
                    }
                });
                broker.submit(new Command.DefineAuthority(new Authority("kela", "Kela"))).whenComplete((r, e) -> {
                    if (e != null) {
                        first.completeExceptionally(e);
                    } else {
                        first.complete(r);
                    }
                });
                for (int k = 0; k < 1000; k++) {
                    request(broker, k);
                }
                await("close() returns").atMost(Duration.ofSeconds(20)).until(() -> closer.getState() == Thread.State.TERMINATED);
            }
        }
    }
}
