package fi.palvelurinki.broker;

import fi.palvelurinki.broker.ring.Language;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * What an advisor sees before calling: is the ring open, what it serves, how long the wait is now.
 * {@code available}: experts free to be offered a call now; {@code estimatedWait} is zero while one is.
 * {@code interpreting}: for an interpreter ring (not called directly), the languages it interprets; else empty.
 */
public record RingSummary(String ringId, String name, String authorityId, String authorityName, boolean open,
        Instant nextOpening, Set<String> topics, Set<Language> languages, int waiting, int staffed,
        Duration estimatedWait, int available, Set<String> interpreting) {}
