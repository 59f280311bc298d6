package fi.palvelurinki.signaling;

import java.net.HttpCookie;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.api.ExtensionConfig;
import org.eclipse.jetty.websocket.api.UpgradeRequest;
import org.eclipse.jetty.websocket.api.UpgradeResponse;
import org.eclipse.jetty.websocket.common.JettyWebSocketFrameHandler;
import org.eclipse.jetty.websocket.common.JettyWebSocketFrameHandlerFactory;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketCreator;
import org.eclipse.jetty.websocket.core.server.WebSocketMappings;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * Jetty's WebSocket upgrade with the Jetty API endpoints ({@code Session.Listener}), but without keeping the
 * HTTP request of the handshake for the connection's life.
 *
 * <p>Jetty's own path ({@code ServerWebSocketContainer.addMapping}) gives every session a snapshot of the upgrade
 * request and response, and in Jetty 12.1.14 both snapshots still reach the HTTP exchange: the request's header
 * copy keeps a compliance-listener supplier that captures the {@code HttpChannelState}, and the response's header
 * map is a live view of the upgrade response. Through them each held session kept its {@code HttpConnection},
 * {@code HttpParser}, channel, request, headers (the bearer token among them) and handshake negotiation: about
 * 5 KB of the ≈ 10.7 KB a held session cost ({@code docs/performance.md}, Round 3). Here the same upgrade goes through
 * Jetty's core mappings and its frame-handler factory, and each session gets a lean request and response that keep
 * only what the session itself reads (whether the connection is secure, the protocol version, the accepted
 * subprotocol). Nothing in Palvelurinki reads the upgrade request after the handshake: authentication happens in
 * the creator, during it.
 *
 * <p>The container ({@link #getServerWebSocketContainer()}) is still Jetty's: it tracks open sessions and closes
 * them when the server stops, as before. Limits are set with {@link #limits()}, not on the container, whose settings
 * apply only to its own mappings (none here).
 */
final class LeanUpgradeHandler extends WebSocketUpgradeHandler {
    private final WebSocketMappings mappings;
    private final JettyWebSocketFrameHandlerFactory frames;
    private final Configuration.ConfigurationCustomizer limits = new Configuration.ConfigurationCustomizer();

    LeanUpgradeHandler(Server server) {
        super(ServerWebSocketContainer.ensure(server));
        WebSocketComponents components = WebSocketServerComponents.ensureWebSocketComponents(server);
        this.mappings = new WebSocketMappings(components);
        this.frames = new JettyWebSocketFrameHandlerFactory(getServerWebSocketContainer(), components);
        addBean(frames);
    }

    /** Idle timeout, message sizes and the outgoing queue of every session this handler opens. */
    Configuration.ConfigurationCustomizer limits() {
        return limits;
    }

    /** {@code creator} returns the endpoint (a Jetty API listener), or null once it has answered the request itself. */
    void addMapping(String path, WebSocketCreator creator) {
        mappings.addMapping(WebSocketMappings.parsePathSpec(path), WebSocketNegotiator.from(creator, (endpoint, req, resp) -> {
            JettyWebSocketFrameHandler handler = frames.newJettyFrameHandler(endpoint);
            handler.setUpgradeRequest(new Handshake(req.isSecure(), req.getProtocolVersion()));
            handler.setUpgradeResponse(new Accepted(resp.getAcceptedSubProtocol()));
            return handler;
        }, limits));
    }

    @Override
    protected boolean handle(ServerWebSocketContainer container, Request request, Response response, Callback callback) {
        return mappings.upgrade(request, response, callback, null);
    }

    /** What a session may ask of its upgrade request; headers, cookies, parameters and the token are not kept. */
    private record Handshake(boolean secure, String protocolVersion) implements UpgradeRequest {
        @Override
        public List<HttpCookie> getCookies() {
            return List.of();
        }

        @Override
        public List<ExtensionConfig> getExtensions() {
            return List.of();
        }

        @Override
        public String getHeader(String name) {
            return null;
        }

        @Override
        public int getHeaderInt(String name) {
            return -1;
        }

        @Override
        public Map<String, List<String>> getHeaders() {
            return Map.of();
        }

        @Override
        public List<String> getHeaders(String name) {
            return List.of();
        }

        @Override
        public String getHost() {
            return null;
        }

        @Override
        public String getHttpVersion() {
            return "HTTP/1.1";
        }

        @Override
        public String getMethod() {
            return "GET";
        }

        @Override
        public String getOrigin() {
            return null;
        }

        @Override
        public Map<String, List<String>> getParameterMap() {
            return Map.of();
        }

        @Override
        public String getProtocolVersion() {
            return protocolVersion;
        }

        @Override
        public String getQueryString() {
            return null;
        }

        @Override
        public URI getRequestURI() {
            return null;
        }

        @Override
        public List<String> getSubProtocols() {
            return List.of();
        }

        @Override
        public Principal getUserPrincipal() {
            return null;
        }

        @Override
        public boolean hasSubProtocol(String subProtocol) {
            return false;
        }

        @Override
        public boolean isSecure() {
            return secure;
        }
    }

    /** The upgrade's answer as far as a session may ask: 101 with the accepted subprotocol (no extensions here). */
    private record Accepted(String acceptedSubProtocol) implements UpgradeResponse {
        @Override
        public String getAcceptedSubProtocol() {
            return acceptedSubProtocol;
        }

        @Override
        public List<ExtensionConfig> getExtensions() {
            return List.of();
        }

        @Override
        public String getHeader(String name) {
            return null;
        }

        @Override
        public Set<String> getHeaderNames() {
            return Set.of();
        }

        @Override
        public Map<String, List<String>> getHeaders() {
            return Map.of();
        }

        @Override
        public List<String> getHeaders(String name) {
            return List.of();
        }

        @Override
        public int getStatusCode() {
            return 101;
        }
    }
}
