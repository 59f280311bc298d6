package fi.palvelurinki.broker.analytics;

import java.time.Instant;

/**
 * One change of a ring's settings or an expert's rings, as the journal records it.
 *
 * @param actor   who made it, e.g. {@code operator:olli}
 * @param subject {@code ring} or {@code expert}
 * @param what    the fields that changed, old → new, in English
 */
public record ChangeRow(Instant at, String actor, String subject, String id, String name, String what) {}
