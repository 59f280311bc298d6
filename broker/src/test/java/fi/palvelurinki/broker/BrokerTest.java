package fi.palvelurinki.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.point.Advisor;
import fi.palvelurinki.broker.point.ServicePoint;
import fi.palvelurinki.broker.ring.Authority;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.RingConfig;
import fi.palvelurinki.broker.routing.LongestIdlePolicy;
import fi.palvelurinki.broker.testing.ManualClock;
import fi.palvelurinki.broker.testing.ManualTimerService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerTest {
    @TempDir
    Path dir;

    final ManualClock clock = ManualClock.tuesdayMorning();
    final ManualTimerService timers = new ManualTimerService(clock);
    final List<Notification> sent = new CopyOnWriteArrayList<>();
    Broker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    Broker start(BrokerConfig config, NotificationSink sink) throws Exception {
        broker = Broker.start(config, clock, timers, new LongestIdlePolicy(), sink, null);
        return broker;
    }

    Broker start() throws Exception {
        return start(BrokerConfig.defaults(dir).withIntervals(Duration.ZERO, Duration.ZERO), sent::add);
    }

    static Reply join(CompletableFuture<Reply> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    void configure() throws Exception {
        join(broker.submit(new Command.DefineAuthority(new Authority("kela", "Kela"))));
        join(broker.submit(new Command.ConfigureRing(RingConfig.builder("kela", "kela").topics(Set.of("pension"))
                .offerTimeout(Duration.ofSeconds(20)).wrapUp(Duration.ofSeconds(30)).build(), "test")));
        join(broker.submit(new Command.DefinePoint(new ServicePoint("mikkeli", "Mikkeli", "Mikkeli", 3))));
        join(broker.submit(new Command.DefineAdvisor(new Advisor("anna", "Anna", "mikkeli"))));
        for (String e : List.of("e1", "e2")) {
            join(broker.submit(new Command.DefineExpert(new ExpertProfile(e, "Expert " + e, Set.of("kela"),
                    Set.of(Language.FI), Set.of()), "test")));
        }
    }

    <T> List<T> sent(Class<T> type) {
        return sent.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void aCallFromRequestToHangUpThroughTheBrokerThread() throws Exception {
        start();
        configure();
        join(broker.submit(new Command.SetPresence("e1", Presence.AVAILABLE)));
        Reply.Queued q = (Reply.Queued) join(broker.submit(
                Command.RequestCall.instant("anna", "kela", "pension", Language.FI, "needs pension advice")));
        await().until(() -> sent(Notification.Offer.class).size() == 1);
        assertThat(sent(Notification.Offer.class).get(0).triageNote()).isEqualTo("needs pension advice");

        Reply.CallConnected c = (Reply.CallConnected) join(broker.submit(new Command.AcceptOffer("e1", q.requestId())));
        Broker.Health h = broker.health();
        assertThat(h.durableSeq()).as("acknowledged only once durable; nothing else is in flight")
                .isEqualTo(h.appendedSeq());
        await().until(() -> sent(Notification.CallConnected.class).size() == 2);
        assertThat(sent(Notification.CallConnected.class)).extracting(n -> n.recipient().role())
                .containsExactlyInAnyOrder(Recipient.Role.ADVISOR, Recipient.Role.EXPERT);

        join(broker.submit(new Command.Hangup(Party.ADVISOR, "anna", c.callId())));
        await().until(() -> sent(Notification.CallEnded.class).size() == 2);
        assertThat(broker.health().healthy()).isTrue();
    }

    @Test
    void timersFireWhenTheInjectedClockReachesThem() throws Exception {
        start();
        configure();
        join(broker.submit(new Command.SetPresence("e1", Presence.AVAILABLE)));
        join(broker.submit(new Command.SetPresence("e2", Presence.AVAILABLE)));
        Reply.Queued q = (Reply.Queued) join(broker.submit(Command.RequestCall.instant("anna", "kela", "pension", Language.FI, "")));
        await().until(() -> sent(Notification.Offer.class).size() == 1);
        String first = sent(Notification.Offer.class).get(0).expertId();

        timers.advance(Duration.ofSeconds(19));
        fi.palvelurinki.broker.testing.Settle.settle(broker);
        assertThat(sent(Notification.OfferRevoked.class)).as("not a second before the 20 s offer timeout").isEmpty();
        timers.advance(Duration.ofSeconds(1));
        await().until(() -> sent(Notification.Offer.class).size() == 2);
        // The next offer is speculative and goes out at once; the revoke waits for the journal (fsync).
        await().until(() -> !sent(Notification.OfferRevoked.class).isEmpty());
        assertThat(sent(Notification.OfferRevoked.class)).singleElement()
                .satisfies(r -> assertThat(r.expertId()).isEqualTo(first));
        Notification.Offer second = sent(Notification.Offer.class).get(1);
        assertThat(second.expertId()).isNotEqualTo(first);
        assertThat(second.requestId()).isEqualTo(q.requestId());
    }

    @Test
    void refusedCommandsFailWithTheirCode() throws Exception {
        start();
        configure();
        assertThatThrownBy(() -> join(broker.submit(new Command.AcceptOffer("e1", 99))))
                .isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(BrokerException.class)
                .satisfies(e -> assertThat(((BrokerException) e).code()).isEqualTo(ErrorCode.NO_SUCH_OFFER));
    }

    @Test
    void aFullCommandQueueRefusesInsteadOfBlockingTheCaller() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch inSink = new CountDownLatch(1);
        BrokerConfig small = new BrokerConfig(dir, true, 4, 16, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(10),
                1000, 50, 1 << 20, 1000);
        start(small, n -> {
            if (n instanceof Notification.Offer) {
                inSink.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        configure();
        join(broker.submit(new Command.SetPresence("e1", Presence.AVAILABLE)));
        broker.submit(Command.RequestCall.instant("anna", "kela", "pension", Language.FI, ""));
        assertThat(inSink.await(10, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Reply>> flood = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            flood.add(broker.submit(new Command.ListRings()));
        }
        release.countDown();
        long overloaded = flood.stream().filter(f -> {
            try {
                f.get(10, TimeUnit.SECONDS);
                return false;
            } catch (ExecutionException e) {
                return e.getCause() instanceof BrokerException b && b.code() == ErrorCode.OVERLOADED;
            } catch (Exception e) {
                return false;
            }
        }).count();
        assertThat(overloaded).as("4 fit in the queue, the rest are refused").isEqualTo(6);
    }

    @Test
    void aRestartKeepsWaitingRequestsInOrderAndBringsExpertsBackOffline() throws Exception {
        start();
        configure();
        join(broker.submit(new Command.SetPresence("e1", Presence.AVAILABLE)));
        long[] ids = new long[4];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = ((Reply.Queued) join(broker.submit(
                    Command.RequestCall.instant("anna", "kela", "pension", Language.FI, "customer " + i)))).requestId();
            clock.advance(Duration.ofSeconds(1));
        }
        broker.close();

        clock.advance(Duration.ofSeconds(30));
        start();
        assertThat(broker.replayedEvents()).isPositive();
        Reply.ExpertStatus e1 = (Reply.ExpertStatus) join(broker.submit(new Command.GetExpert("e1")));
        assertThat(e1.presence()).isEqualTo(Presence.OFFLINE);
        for (int i = 0; i < ids.length; i++) {
            Reply.RequestStatus s = (Reply.RequestStatus) join(broker.submit(new Command.GetRequest(ids[i])));
            assertThat(s.state()).isEqualTo("WAITING");
            assertThat(s.position()).as("the ringing one went back to its place first").isEqualTo(i + 1);
        }
        join(broker.submit(new Command.SetPresence("e2", Presence.AVAILABLE)));
        await().until(() -> sent(Notification.Offer.class).stream().anyMatch(o -> o.expertId().equals("e2")));
        Notification.Offer offer = sent(Notification.Offer.class).stream().filter(o -> o.expertId().equals("e2"))
                .findFirst().orElseThrow();
        assertThat(offer.requestId()).isEqualTo(ids[0]);
        assertThat(offer.triageNote()).isEqualTo("customer 0");
    }

    @Test
    void afterCloseCommandsAreRefused() throws Exception {
        start();
        broker.close();
        assertThatThrownBy(() -> join(broker.submit(new Command.ListRings()))).cause()
                .isInstanceOf(BrokerException.class)
                .satisfies(e -> assertThat(((BrokerException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }
}
