package fi.palvelurinki.media.bridge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives an external Jitsi Videobridge for calls through the Colibri2 REST API of its private HTTP interface:
 * one Colibri2 conference per call (meeting id = call id), one endpoint per party.
 *
 * <ul>
 *   <li>{@link #allocate}: {@code POST /colibri/v2/conferences} creates the conference with the call's parties;</li>
 *   <li>{@link #addParty}, {@link #updateParty}, {@link #removeParty}, {@link #endCall}:
 *       {@code PATCH /colibri/v2/conferences/<call id>}.</li>
 * </ul>
 *
 * Each method blocks for one HTTP exchange, at most {@link VideobridgeConfig#timeout()}: call it off any event
 * loop. Untested against a live bridge: the contract is tested against Jitsi's own JSON fixtures and parsers.
 */
public final class Colibri2Client {
    /** A call has at most four parties (advisor, expert, interpreter, second authority). */
    public static final int MAX_PARTIES = 4;

    private final VideobridgeConfig config;
    private final HttpClient http;

    public Colibri2Client(VideobridgeConfig config) {
        this(config, HttpClient.newBuilder().connectTimeout(config.timeout()).build());
    }

    public Colibri2Client(VideobridgeConfig config, HttpClient http) {
        this.config = config;
        this.http = http;
    }

    /**
     * The bridge's side of each party's endpoint, which the SDP given to that party's browser must carry.
     *
     * @param transports      by party key, in the order asked
     * @param feedbackSources the bridge's own sources, for every browser's SDP
     */
    public record Allocation(Map<String, IceTransport> transports, List<MediaSourceDesc> feedbackSources) {
        public Allocation {
            transports = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(transports));
            feedbackSources = List.copyOf(feedbackSources);
        }
    }

    /** Creates the call's conference with an endpoint (audio, video, ICE/DTLS) for each party. */
    public Allocation allocate(String callId, List<String> partyKeys) throws Colibri2Exception {
        List<String> ids = endpointIds(partyKeys);
        ConferenceModified answer = exchange("POST", config.conferences(), Colibri2Messages.createConference(callId, ids));
        return allocation(partyKeys, ids, answer);
    }

    /** A party joins the call: its endpoint is added to the conference. */
    public Allocation addParty(String callId, String partyKey) throws Colibri2Exception {
        List<String> ids = List.of(Colibri2Messages.endpointId(partyKey));
        ConferenceModified answer = exchange("PATCH", config.conference(Colibri2Messages.checkMeetingId(callId)),
                Colibri2Messages.createEndpoints(callId, ids));
        return allocation(List.of(partyKey), ids, answer);
    }

    /**
     * Hands the bridge a party's browser side: the ICE credentials, candidates and DTLS fingerprint of its SDP
     * answer and the sources it sends. Either may be null to leave it as it was (trickled candidates).
     */
    public void updateParty(String callId, String partyKey, IceTransport browser, List<MediaSourceDesc> sources)
            throws Colibri2Exception {
        String id = Colibri2Messages.endpointId(partyKey);
        exchange("PATCH", config.conference(Colibri2Messages.checkMeetingId(callId)),
                Colibri2Messages.updateEndpoint(callId, id, browser, sources));
    }

    /**
     * A party left the call: its endpoint is expired. A conference the bridge no longer has is not an error: the
     * bridge expires a conference by itself when its last endpoint goes.
     */
    public void removeParty(String callId, String partyKey) throws Colibri2Exception {
        String id = Colibri2Messages.endpointId(partyKey);
        expire(callId, Colibri2Messages.expireEndpoint(callId, id));
    }

    /** The call ended: its conference is expired. Idempotent, as for {@link #removeParty}. */
    public void endCall(String callId) throws Colibri2Exception {
        expire(callId, Colibri2Messages.expireConference(callId));
    }

    private void expire(String callId, ObjectNode request) throws Colibri2Exception {
        try {
            exchange("PATCH", config.conference(Colibri2Messages.checkMeetingId(callId)), request);
        } catch (Colibri2Exception e) {
            if (e.kind() != Colibri2Exception.Kind.CONFERENCE_NOT_FOUND) {
                throw e;
            }
        }
    }

    private static List<String> endpointIds(List<String> partyKeys) {
        if (partyKeys == null || partyKeys.isEmpty() || partyKeys.size() > MAX_PARTIES) {
            throw new IllegalArgumentException("a call has 1-" + MAX_PARTIES + " parties, got " + partyKeys);
        }
        if (new HashSet<>(partyKeys).size() != partyKeys.size()) {
            throw new IllegalArgumentException("a party is named twice: " + partyKeys);
        }
        List<String> ids = new ArrayList<>();
        for (String p : partyKeys) {
            ids.add(Colibri2Messages.endpointId(p));
        }
        return ids;
    }

    private Allocation allocation(List<String> partyKeys, List<String> ids, ConferenceModified answer)
            throws Colibri2Exception {
        Map<String, IceTransport> transports = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            BridgeEndpoint e = answer.endpoints().get(ids.get(i));
            if (e == null || e.transport() == null) {
                throw new Colibri2Exception(Colibri2Exception.Kind.BAD_ANSWER, 200, "the bridge allocated no transport "
                        + "for party " + partyKeys.get(i) + " (endpoint " + ids.get(i) + ")");
            }
            transports.put(partyKeys.get(i), e.transport());
        }
        return new Allocation(transports, answer.feedbackSources());
    }

    private ConferenceModified exchange(String method, URI uri, ObjectNode body) throws Colibri2Exception {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(config.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new Colibri2Exception(Colibri2Exception.Kind.NO_ANSWER, 0, "the videobridge at " + config.url()
                    + " did not answer " + method + " " + uri.getPath() + " within " + config.timeout().toMillis() + " ms", e);
        } catch (IOException e) {
            throw new Colibri2Exception(Colibri2Exception.Kind.NO_ANSWER, 0,
                    "cannot reach the videobridge at " + config.url() + " (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Colibri2Exception(Colibri2Exception.Kind.NO_ANSWER, 0,
                    "interrupted while waiting for the videobridge", e);
        }
        int status = response.statusCode();
        if (status == 200) {
            return Colibri2Messages.parseConferenceModified(response.body());
        }
        Colibri2Exception.Kind kind = switch (status) {
            case 404 -> Colibri2Exception.Kind.CONFERENCE_NOT_FOUND;
            case 400 -> Colibri2Exception.Kind.REFUSED;
            default -> Colibri2Exception.Kind.BRIDGE_ERROR;
        };
        String why = switch (status) {
            case 404 -> "has no conference " + uri.getPath().substring(uri.getPath().lastIndexOf('/') + 1)
                    + " (expired, or never created)";
            case 400 -> "refused the request";
            default -> "answered HTTP " + status;
        };
        throw new Colibri2Exception(kind, status, "the videobridge " + why + " (" + method + " " + uri.getPath() + "): "
                + snippet(response.body()));
    }

    /** Enough of an answer to tell what went wrong, without flooding a log line. */
    static String snippet(String body) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        String s = body.strip().replaceAll("\\s+", " ");
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }
}
