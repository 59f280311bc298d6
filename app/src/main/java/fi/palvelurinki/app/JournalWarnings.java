package fi.palvelurinki.app;

import fi.palvelurinki.broker.journal.JournalDamage;
import java.io.PrintWriter;
import java.util.List;

/** What the commands that read a journal say about the parts they could not read. */
final class JournalWarnings {
    private JournalWarnings() {}

    /**
     * One line per unread part on {@code err}: damage as a warning that {@code what} (e.g. "this report")
     * leaves its events out, an unfinished last write as a note.
     */
    static void print(PrintWriter err, String command, String what, List<JournalDamage> unread) {
        for (JournalDamage d : unread) {
            if (d.torn()) {
                err.println(command + ": note: the journal's last write is unfinished (a write in progress, or one cut"
                        + " short by a crash; never acknowledged), so " + what + " leaves out " + d.seqs() + " — "
                        + d.where());
            } else {
                err.println(command + ": warning: the journal is damaged: " + what + " leaves out " + d.seqs() + " — "
                        + d.where() + " (`palvelurinki journal check` says more)");
            }
        }
        err.flush();
    }
}
