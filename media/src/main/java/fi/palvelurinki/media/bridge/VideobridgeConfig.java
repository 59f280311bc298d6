package fi.palvelurinki.media.bridge;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * An external Jitsi Videobridge, driven through the Colibri2 REST API of its <em>private</em> HTTP interface
 * ({@code videobridge.apis.rest.enabled = true} in its {@code jvb.conf}). Optional: without one, calls use the
 * browsers' peer-to-peer mesh. Intended configuration keys: {@code media.videobridge.url} and
 * {@code media.videobridge.timeout} ({@code docs/configuration.md}).
 *
 * @param url     base URL of the bridge's private REST interface, e.g. {@code http://10.0.0.5:8080}; the client
 *                appends {@code /colibri/v2/conferences}. That interface has no authentication of its own, so it
 *                must be reachable from this server only (private network, or TLS with client certificates)
 * @param timeout how long one Colibri2 request may take before it fails: 100 ms to 60 s
 */
public record VideobridgeConfig(URI url, Duration timeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public VideobridgeConfig {
        if (url == null) {
            throw new IllegalArgumentException("media.videobridge.url is required, e.g. http://10.0.0.5:8080");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("media.videobridge.url must be an http: or https: URL of the bridge's "
                    + "private REST interface, got '" + url + "'");
        }
        if (url.getHost() == null || url.getRawQuery() != null || url.getRawFragment() != null
                || url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("media.videobridge.url must be scheme://host[:port][/path] without "
                    + "user, query or fragment, got '" + url + "'");
        }
        if (timeout == null || timeout.compareTo(Duration.ofMillis(100)) < 0 || timeout.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("media.videobridge.timeout must be between 100 ms and 60 s, got " + timeout);
        }
        // A trailing slash would make ".../" + "colibri/..." and "...//colibri/..." differ; keep one form.
        String s = url.toString();
        if (s.endsWith("/")) {
            url = URI.create(s.substring(0, s.length() - 1));
        }
    }

    public VideobridgeConfig(String url) {
        this(parse(url), DEFAULT_TIMEOUT);
    }

    private static URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("media.videobridge.url is required, e.g. http://10.0.0.5:8080");
        }
        try {
            return new URI(url.strip());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("media.videobridge.url is not a URL: '" + url + "' (" + e.getReason() + ")");
        }
    }

    /** {@code <url>/colibri/v2/conferences}: POST creates a conference. */
    public URI conferences() {
        return URI.create(url + "/colibri/v2/conferences");
    }

    /** {@code <url>/colibri/v2/conferences/<meetingId>}: PATCH modifies or expires it. */
    public URI conference(String meetingId) {
        return URI.create(url + "/colibri/v2/conferences/" + PathSegment.encode(meetingId));
    }
}
