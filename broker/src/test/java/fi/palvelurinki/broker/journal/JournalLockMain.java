package fi.palvelurinki.broker.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The other process of {@link JournalLockTest}: {@code hold DIR} opens the journal for writing, writes an
 * event, prints {@code HOLDING} and keeps the lock until its stdin closes or it is killed; {@code try DIR}
 * tries to open it and prints {@code OPENED} or {@code REFUSED <message>}.
 */
public final class JournalLockMain {
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[1]);
        if (args[0].equals("hold")) {
            try (FileJournal j = FileJournal.open(dir, JournalBytes.CLOCK, FileJournal.Options.defaults(), null, e -> {})) {
                j.append(List.of(JournalTest.everyKind().get(0)));
                System.out.println("HOLDING " + ProcessHandle.current().pid());
                System.out.flush();
                while (System.in.read() >= 0) {
                    // hold until the parent closes our stdin
                }
            }
            return;
        }
        try (FileJournal j = FileJournal.open(dir, JournalBytes.CLOCK, FileJournal.Options.defaults(), null, e -> {})) {
            System.out.println("OPENED");
        } catch (JournalLockedException e) {
            System.out.println("REFUSED " + e.getMessage());
        }
    }
}
