package fi.palvelurinki.broker.journal;

import java.nio.file.Path;
import java.util.Locale;

/**
 * A place where a journal could not be read: which segment, from which byte offset and for how many bytes,
 * why, and which sequence numbers it hides.
 *
 * @param segment the segment file (for a gap between segments: the one after the gap)
 * @param offset  byte offset in the segment where the unreadable bytes start
 * @param bytes   how many bytes from {@code offset} could not be read (0 for a gap between segments)
 * @param reason  what is wrong there, e.g. "checksum mismatch in the record of seq 41"
 * @param fromSeq the first sequence number not read
 * @param toSeq   the last sequence number not read, or -1 when unknown (the damage runs to the journal's end)
 * @param torn    an unfinished last write (never acknowledged; recovery cuts it), not damage
 */
public record JournalDamage(Path segment, long offset, long bytes, String reason, long fromSeq, long toSeq, boolean torn) {

    /** The sequence numbers not read, e.g. "seq 41–57" or "seq 41 onwards". */
    public String seqs() {
        if (toSeq < 0) {
            return String.format(Locale.ROOT, "seq %,d onwards", fromSeq);
        }
        if (toSeq < fromSeq) {
            return "no events";
        }
        return toSeq == fromSeq ? String.format(Locale.ROOT, "seq %,d", fromSeq)
                : String.format(Locale.ROOT, "seq %,d–%,d (%,d events)", fromSeq, toSeq, toSeq - fromSeq + 1);
    }

    /** Where and what, for a person: "segment …journal, offset 1,234 (567 bytes): checksum mismatch …". */
    public String where() {
        return String.format(Locale.ROOT, "segment %s, offset %,d (%,d bytes): %s", segment.getFileName(), offset, bytes,
                reason);
    }

    /** One line naming what could not be read and where. */
    public String describe() {
        return (torn ? "an unfinished last write, never acknowledged, " : "") + seqs() + " unread — " + where();
    }
}
