package fi.palvelurinki.signaling.node;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.palvelurinki.broker.Standby;
import fi.palvelurinki.broker.journal.PostgresLease;
import fi.palvelurinki.signaling.tls.HttpsFront;
import fi.palvelurinki.signaling.tls.WebTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * What a standby node answers on the server's port while it stands by: {@code /healthz} says
 * {@code standby} (503, so a load balancer sends nobody here) and where the active node is; {@code /ws}
 * and the API are refused with 503 naming the active node's URL (clients with a list of nodes try the
 * next); pages are redirected to the active node. Stopped when the node takes over, which then starts
 * the full server on the same port.
 */
final class StandbyFront implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    private StandbyFront(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    static StandbyFront start(String host, int port, WebTransport transport, Standby standby) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("standby-http");
        // A takeover waits for this front to stop before the server starts on the port, and clients wait with it:
        // no graceful wait for requests (each is one short 503 or redirect), and a thread still busy then is not
        // waited for the pool's default 5 s.
        threads.setStopTimeout(500);
        Server server = new Server(threads);
        server.setStopTimeout(0);
        ServerConnector connector = HttpsFront.connector(server, transport, host, port);
        server.addConnector(connector);
        server.setHandler(HttpsFront.front(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                answer(request, response, callback, standby);
                return true;
            }
        }, transport));
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw new IOException("the standby cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return new StandbyFront(server, connector);
    }

    private static void answer(Request request, Response response, Callback callback, Standby standby) {
        PostgresLease.State lease = standby.lease();
        String active = lease == null || lease.expired() ? null : lease.url();
        String path = Request.getPathInContext(request);
        boolean page = "GET".equals(request.getMethod()) && !path.equals("/healthz") && !path.equals("/ws")
                && !path.startsWith("/api/") && !path.equals("/metrics");
        if (page && active != null) {
            String query = request.getHttpURI().getQuery();
            response.setStatus(307);
            response.getHeaders().put(HttpHeader.LOCATION, active + path + (query == null ? "" : "?" + query));
            callback.succeeded();
            return;
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("status", "standby");
        o.put("role", "standby");
        if (active != null) {
            o.put("active", active);
        }
        if (lease != null) {
            o.put("activeHolder", lease.holder());
            o.put("epoch", lease.epoch());
        }
        o.put("followedSeq", standby.followedSeq());
        if (!path.equals("/healthz")) {
            o.put("error", "standby");
            o.put("message", "this node stands by" + (active == null ? "; the active node is being chosen, try again"
                    : "; the active node is " + active));
        }
        response.setStatus(503);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        if (active != null) {
            response.getHeaders().put("X-Palvelurinki-Active", active);
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        Content.Sink.write(response, true, o.toString(), callback);
    }

    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            // Every connection is closed at once, so that its client goes on to the active node (or comes back
            // here to the server) without waiting for an answer this front will not give.
            connector.getConnectedEndPoints().forEach(org.eclipse.jetty.io.EndPoint::close);
            server.stop();
        } catch (Exception e) {
            // stopping is all that was left to do
        }
    }
}
