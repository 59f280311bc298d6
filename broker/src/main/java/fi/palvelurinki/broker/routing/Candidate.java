package fi.palvelurinki.broker.routing;

import fi.palvelurinki.broker.ring.Language;
import java.time.Instant;
import java.util.Set;

/**
 * An expert who may take the request: AVAILABLE, a member of {@code viaRingId} (the request's ring or
 * its overflow ring), speaks an acceptable language, handles the topic, and is not cooling down after
 * declining or missing this very request.
 *
 * @param idleSince         when the expert last became available after a call, a break or signing in
 * @param speaksRequested   speaks the language the customer asked for (not only a fallback)
 * @param inRequestedRing   member of the request's own ring (not only of the overflow ring)
 */
public record Candidate(String expertId, String viaRingId, Set<Language> languages, Set<String> topics,
        Instant idleSince, boolean speaksRequested, boolean inRequestedRing) {}
