package fi.palvelurinki.broker.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import fi.palvelurinki.broker.BrokerConfig;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.ring.RingConfig;
import fi.palvelurinki.broker.testing.JournalScript;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every journal backend promises the broker, run against each ({@link FileJournalContractTest},
 * {@link PostgresJournalContractTest}): every event back, in order, numbered without gaps across restarts;
 * durable only once committed; one writer at a time; and a broker writing the same events through either.
 */
abstract class JournalContract {
    @TempDir
    Path dir;

    /** Opens the backend's journal under test, replaying what it holds. */
    abstract Journal open(Consumer<JournalEntry> replay) throws IOException;

    /** Reads everything the journal holds, as a report would. */
    abstract List<JournalEntry> readAll() throws IOException;

    /** How a broker's configuration points at this backend. */
    abstract UnaryOperator<BrokerConfig> backend();

    @Test
    void everyEventComesBackInOrderNumberedWithoutGaps() throws Exception {
        List<DomainEvent> all = JournalTest.everyKind();
        try (Journal j = open(e -> { })) {
            j.append(all.subList(0, 5));
            j.append(all.subList(5, all.size()));
            assertThat(j.appendedSeq()).isEqualTo(all.size());
        }
        List<JournalEntry> back = readAll();
        assertThat(back).extracting(JournalEntry::event).containsExactlyElementsOf(all);
        assertThat(back).extracting(JournalEntry::seq).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, all.size()).boxed().toList());
    }

    @Test
    void numberingGoesOnAfterAReopen() throws Exception {
        List<DomainEvent> all = JournalTest.everyKind();
        try (Journal j = open(e -> { })) {
            j.append(all.subList(0, 3));
        }
        List<JournalEntry> replayed = new ArrayList<>();
        try (Journal j = open(replayed::add)) {
            assertThat(j.appendedSeq()).isEqualTo(3);
            assertThat(j.durableSeq()).isEqualTo(3);
            assertThat(j.append(all.subList(3, 5))).isEqualTo(5);
        }
        assertThat(replayed).extracting(JournalEntry::seq).containsExactly(1L, 2L, 3L);
        assertThat(readAll()).extracting(JournalEntry::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void durableMovesOnlyWhenCommittedAndTellsTheListener() throws Exception {
        AtomicInteger told = new AtomicInteger();
        try (Journal j = open(e -> { })) {
            j.onDurable(told::incrementAndGet);
            assertThat(j.durableSeq()).isZero();
            List<DomainEvent> all = JournalTest.everyKind();
            for (DomainEvent e : all) {
                j.append(List.of(e));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> j.durableSeq() == all.size());
            assertThat(told.get()).isPositive();
            // Whatever is durable is readable by another reader, at once.
            assertThat(readAll()).hasSize(all.size());
            assertThat(j.failure()).isNull();
            assertThat(j.notWritable()).isNull();
        }
    }

    @Test
    void oneWriterAtATime() throws Exception {
        try (Journal j = open(e -> { })) {
            assertThatThrownBy(() -> open(e -> { }).close()).isInstanceOf(IOException.class)
                    .hasMessageContaining("one writer at a time");
        }
        open(e -> { }).close(); // once the first has closed
    }

    @Test
    void aBrokerWritesTheSameEventsThroughEitherBackend() throws Exception {
        List<DomainEvent> viaFile = script(dir.resolve("reference"), c -> c);
        List<DomainEvent> viaBackend = script(dir.resolve("backend"), backend());
        assertThat(viaBackend).isNotEmpty().containsExactlyElementsOf(viaFile);
    }

    /** A short day: configuration, a call, a restart (recovery journaled), a request after it. */
    private static List<DomainEvent> script(Path data, UnaryOperator<BrokerConfig> backend) throws IOException {
        try (JournalScript s = new JournalScript(data, backend)) {
            s.authority("kela", "Kela").ring(RingConfig.builder("kela", "kela").topics(Set.of("general")).build())
                    .point("mikkeli", "Mikkeli", "Mikkeli").advisor("anna", "mikkeli").expert("e1", "Eeva", "kela")
                    .presence("e1", Presence.AVAILABLE);
            long request = s.request("anna", "kela");
            s.at(3);
            long call = s.accept("e1", request);
            s.at(60).hangUp("anna", call).at(70).restart().at(80);
            s.request("anna", "kela");
            s.at(90);
        }
        List<DomainEvent> events = new ArrayList<>();
        if (backend.apply(BrokerConfig.defaults(data)).postgres() == null) {
            JournalReader.read(data.resolve("journal"), e -> events.add(e.event()));
        } else {
            try (var c = PostgresJournal.connect(backend.apply(BrokerConfig.defaults(data)).postgres().url())) {
                PostgresJournal.readFrom(c, 0, e -> events.add(e.event()), "test");
            } catch (java.sql.SQLException e) {
                throw new IOException(e);
            }
        }
        return events;
    }
}
