package fi.palvelurinki.broker.journal;

import fi.palvelurinki.broker.BrokerConfig;
import fi.palvelurinki.broker.BrokerMetrics;
import java.io.IOException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

class FileJournalContractTest extends JournalContract {
    @Override
    Journal open(Consumer<JournalEntry> replay) throws IOException {
        return FileJournal.open(dir.resolve("journal"), InstantSource.system(), FileJournal.Options.defaults(),
                BrokerMetrics.NONE, replay);
    }

    @Override
    List<JournalEntry> readAll() throws IOException {
        List<JournalEntry> all = new ArrayList<>();
        JournalReader.read(dir.resolve("journal"), all::add);
        return all;
    }

    @Override
    UnaryOperator<BrokerConfig> backend() {
        return c -> c;
    }
}
