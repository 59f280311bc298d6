package fi.palvelurinki.media.bridge;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A bridge's successful answer to a Colibri2 {@code conference-modify}: its {@code conference-modified}, reduced
 * to what a call needs.
 *
 * @param endpoints       by endpoint id, in the bridge's order
 * @param feedbackSources the bridge's own audio and video sources ({@code jvb-a0}, {@code jvb-v0}), which the
 *                        browsers' SDP must announce so that their RTCP feedback reaches the bridge; the bridge
 *                        sends them with the answer to any request that created something, else empty
 */
record ConferenceModified(Map<String, BridgeEndpoint> endpoints, List<MediaSourceDesc> feedbackSources) {
    ConferenceModified {
        endpoints = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(endpoints));
        feedbackSources = List.copyOf(feedbackSources);
    }

    Optional<BridgeEndpoint> endpoint(String id) {
        return Optional.ofNullable(endpoints.get(id));
    }
}
