package fi.palvelurinki.broker.journal;

import fi.palvelurinki.broker.BrokerConfig;
import fi.palvelurinki.broker.BrokerMetrics;
import fi.palvelurinki.broker.testing.PostgresCluster;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;

/** The journal contract on a throw-away PostgreSQL, a fresh database per test. */
class PostgresJournalContractTest extends JournalContract {
    String url;

    @BeforeEach
    void database() throws Exception {
        url = PostgresCluster.shared().newDatabase();
    }

    @Override
    Journal open(Consumer<JournalEntry> replay) throws IOException {
        return PostgresJournal.open(PostgresJournal.Options.of(url, "test", null), BrokerMetrics.NONE, replay);
    }

    @Override
    List<JournalEntry> readAll() throws IOException {
        List<JournalEntry> all = new ArrayList<>();
        try (Connection c = PostgresJournal.connect(url)) {
            PostgresJournal.readFrom(c, 0, all::add, url);
        } catch (SQLException e) {
            throw new IOException(e);
        }
        return all;
    }

    @Override
    UnaryOperator<BrokerConfig> backend() {
        String u = url;
        return c -> c.withPostgres(BrokerConfig.Postgres.of(u));
    }
}
