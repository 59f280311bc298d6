package fi.palvelurinki.broker.journal;

/** An event with its position in the journal (1, 2, 3… without gaps). */
public record JournalEntry(long seq, DomainEvent event) {}
