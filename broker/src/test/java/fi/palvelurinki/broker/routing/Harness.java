package fi.palvelurinki.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fi.palvelurinki.broker.BrokerConfig;
import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.CallKind;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.ErrorCode;
import fi.palvelurinki.broker.Notification;
import fi.palvelurinki.broker.Party;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.JournalEntry;
import fi.palvelurinki.broker.point.Advisor;
import fi.palvelurinki.broker.point.ServicePoint;
import fi.palvelurinki.broker.ring.Authority;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.RingConfig;
import fi.palvelurinki.broker.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Drives a {@link RoutingEngine} directly with a manual clock, recording what it emits. */
final class Harness {
    final ManualClock clock = ManualClock.tuesdayMorning();
    final RoutingEngine engine;
    final List<DomainEvent> events = new ArrayList<>();
    /** Never cleared: the whole journal of this engine. */
    final List<DomainEvent> journal = new ArrayList<>();
    final List<Notification> sent = new ArrayList<>();

    Harness() {
        this(new LongestIdlePolicy());
    }

    Harness(RoutingPolicy policy) {
        this(policy, c -> c);
    }

    Harness(RoutingPolicy policy, UnaryOperator<BrokerConfig> tweak) {
        BrokerConfig config = BrokerConfig.defaults(Path.of("unused")).withIntervals(Duration.ZERO, Duration.ZERO);
        engine = new RoutingEngine(clock, policy, tweak.apply(config));
    }

    /**
     * Kela ring (fi, sv; escalates Swedish to Finnish after 2 min for consenting customers) and a
     * DVV ring; points Mikkeli and Parainen with one advisor each.
     */
    Harness standard() {
        return standard(b -> b);
    }

    Harness standard(UnaryOperator<RingConfig.Builder> kela) {
        run(new Command.DefineAuthority(new Authority("kela", "Kela")));
        run(new Command.DefineAuthority(new Authority("dvv", "Digi- ja väestötietovirasto")));
        run(new Command.ConfigureRing(RingConfig.builder("dvv", "dvv").name("DVV")
                .topics(Set.of("guardianship", "registry")).languages(Set.of(Language.FI, Language.SV)).build(), "test"));
        run(new Command.ConfigureRing(kela.apply(RingConfig.builder("kela", "kela").name("Kela")
                .topics(Set.of("pension", "housing", "general")).languages(Set.of(Language.FI, Language.SV))
                .offerTimeout(Duration.ofSeconds(30)).wrapUp(Duration.ofSeconds(60)).maxMissedOffers(2)
                .declineCooldown(Duration.ofSeconds(60))
                .languageEscalation(Duration.ofMinutes(2), Set.of(Language.FI))).build(), "test"));
        run(new Command.DefinePoint(new ServicePoint("mikkeli", "Mikkelin Asiointipiste", "Mikkeli", 2)));
        run(new Command.DefinePoint(new ServicePoint("parainen", "Paraisten Asiointipiste", "Parainen", 1)));
        run(new Command.DefineAdvisor(new Advisor("anna", "Anna Advisor", "mikkeli")));
        run(new Command.DefineAdvisor(new Advisor("bo", "Bo Rådgivare", "parainen")));
        run(new Command.DefineAdvisor(new Advisor("maria", "Maria Nieminen", "mikkeli")));
        clear();
        return this;
    }

    void expert(String id, Set<String> rings, Language... languages) {
        run(new Command.DefineExpert(new ExpertProfile(id, "Expert " + id, rings, Set.of(languages), Set.of()), "test"));
    }

    void available(String... experts) {
        for (String e : experts) {
            run(new Command.SetPresence(e, Presence.AVAILABLE));
            tick(Duration.ofSeconds(1));
        }
    }

    Reply run(Command c) {
        try {
            return engine.handle(c);
        } finally {
            collect();
        }
    }

    /** Asserts the command is refused with {@code code} and emits nothing. */
    BrokerException refuse(Command c, ErrorCode code) {
        long before = engine.lastSeq();
        int sentBefore = sent.size();
        BrokerException[] out = new BrokerException[1];
        assertThatThrownBy(() -> {
            try {
                engine.handle(c);
            } catch (BrokerException e) {
                out[0] = e;
                throw e;
            }
        }).isInstanceOf(BrokerException.class).extracting(e -> ((BrokerException) e).code()).isEqualTo(code);
        collect();
        assertThat(engine.lastSeq()).as("a refused command emits no event").isEqualTo(before);
        assertThat(sent).as("a refused command notifies nobody").hasSize(sentBefore);
        return out[0];
    }

    Reply.Queued call(String advisor, String ring, String topic, Language language) {
        return (Reply.Queued) run(new Command.RequestCall(advisor, ring, topic, language, false, "triage: " + topic,
                CallKind.INSTANT, 0));
    }

    Reply.Queued callWithConsent(String advisor, String ring, String topic, Language language) {
        return (Reply.Queued) run(new Command.RequestCall(advisor, ring, topic, language, true, "", CallKind.INSTANT, 0));
    }

    Reply.CallConnected accept(String expert, long request) {
        return (Reply.CallConnected) run(new Command.AcceptOffer(expert, request));
    }

    void decline(String expert, long request) {
        run(new Command.DeclineOffer(expert, request));
    }

    void hangup(Party party, String id, long call) {
        run(new Command.Hangup(party, id, call));
    }

    void tick(Duration d) {
        clock.advance(d);
        engine.fireDueTimers();
        collect();
    }

    void collect() {
        engine.publishUpdates();
        List<DomainEvent> fresh = engine.drainEvents();
        events.addAll(fresh);
        journal.addAll(fresh);
        sent.addAll(engine.drainNotifications());
    }

    void clear() {
        events.clear();
        sent.clear();
    }

    <T> List<T> sent(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Notification n : sent) {
            if (type.isInstance(n)) {
                out.add(type.cast(n));
            }
        }
        return out;
    }

    <T> List<T> events(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (DomainEvent e : events) {
            if (type.isInstance(e)) {
                out.add(type.cast(e));
            }
        }
        return out;
    }

    /** The request currently ringing at the expert, or null. */
    Long ringingAt(String expert) {
        return ((Reply.ExpertStatus) run(new Command.GetExpert(expert))).offeredRequestId();
    }

    Presence presence(String expert) {
        return ((Reply.ExpertStatus) run(new Command.GetExpert(expert))).presence();
    }

    Reply.RequestStatus request(long id) {
        return (Reply.RequestStatus) run(new Command.GetRequest(id));
    }

    /** Every event this engine has ever emitted, numbered, for replay into a fresh engine. */
    static List<JournalEntry> numbered(List<DomainEvent> all) {
        List<JournalEntry> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            out.add(new JournalEntry(i + 1, all.get(i)));
        }
        return out;
    }
}
