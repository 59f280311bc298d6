package fi.palvelurinki.broker.booking;

import java.time.Instant;

/** A bookable time: the call from {@code start} to {@code end}; {@code experts} could still take it. */
public record Slot(Instant start, Instant end, int experts) {}
