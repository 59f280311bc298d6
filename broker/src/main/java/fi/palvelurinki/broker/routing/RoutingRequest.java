package fi.palvelurinki.broker.routing;

import fi.palvelurinki.broker.CallKind;
import fi.palvelurinki.broker.ring.Language;
import java.time.Instant;
import java.util.Set;

/**
 * The request a policy is choosing an expert for.
 *
 * @param language             the language the customer asked for
 * @param acceptableLanguages  that language, plus the ring's fallback languages once escalated
 */
public record RoutingRequest(long requestId, String ringId, String topic, Language language,
        Set<Language> acceptableLanguages, int priority, CallKind kind, Instant queuedAt, Instant now) {}
