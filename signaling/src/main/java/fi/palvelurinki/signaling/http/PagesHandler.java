package fi.palvelurinki.signaling.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The advisor, expert and operator pages (docs/pages.md): plain HTML, CSS and JavaScript modules from
 * the jar's {@code /pages} folder, without a build step. Pages are at {@code /}, {@code /advisor},
 * {@code /expert} and {@code /operator}; what they load is under {@code /assets/}. Everything is
 * revalidated on each load (ETag), so a new version of the server is picked up at once.
 */
public final class PagesHandler extends Handler.Abstract {
    private static final Map<String, String> PAGES = Map.of("/", "index.html", "/advisor", "advisor.html",
            "/expert", "expert.html", "/operator", "operator.html");
    /** A home customer's join link: the page reads its token from the address (docs/pages.md). */
    private static final Pattern JOIN = Pattern.compile("/join/[A-Za-z0-9._-]{1,4096}");
    /** Asset names are kept simple so that no path can leave the folder. */
    private static final Pattern ASSET = Pattern.compile("/assets/(?:[a-z0-9-]+/)?[a-z0-9-]+\\.(?:js|css|svg|json|wav)");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml",
            "json", "application/json; charset=utf-8", "wav", "audio/wav");
    /**
     * Only our own scripts and styles; WebSocket to this server; camera pictures as media streams. Camera
     * and microphone for this origin only.
     */
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "media-src 'self' blob: mediastream:; connect-src 'self'; worker-src 'self'; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private record Resource(byte[] bytes, String type, String etag) {}

    private final Map<String, Optional<Resource>> cache = new ConcurrentHashMap<>();

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String file = PAGES.get(path);
        if (file == null && JOIN.matcher(path).matches()) {
            file = "customer.html";
        }
        if (file == null && ASSET.matcher(path).matches()) {
            file = path.substring(1);
        }
        if (file == null) {
            return false;
        }
        Optional<Resource> found = cache.computeIfAbsent(file, PagesHandler::load);
        if (found.isEmpty()) {
            return false;
        }
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
            return true;
        }
        Resource r = found.get();
        var h = response.getHeaders();
        h.put(HttpHeader.CACHE_CONTROL, "no-cache");
        h.put(HttpHeader.ETAG, r.etag());
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "no-referrer");
        if (file.endsWith(".html")) {
            h.put("Content-Security-Policy", CSP);
            h.put("Permissions-Policy", "camera=(self), microphone=(self), fullscreen=(self), geolocation=()");
        }
        if (r.etag().equals(request.getHeaders().get(HttpHeader.IF_NONE_MATCH))) {
            response.setStatus(HttpStatus.NOT_MODIFIED_304);
            callback.succeeded();
            return true;
        }
        h.put(HttpHeader.CONTENT_TYPE, r.type());
        h.put(HttpHeader.CONTENT_LENGTH, r.bytes().length);
        response.write(true, method.equals("HEAD") ? ByteBuffer.allocate(0) : ByteBuffer.wrap(r.bytes()), callback);
        return true;
    }

    private static Optional<Resource> load(String file) {
        try (InputStream in = PagesHandler.class.getResourceAsStream("/pages/" + file)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            String ext = file.substring(file.lastIndexOf('.') + 1);
            String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12) + "\"";
            return Optional.of(new Resource(bytes, TYPES.get(ext), etag));
        } catch (IOException e) {
            throw new UncheckedIOException("reading page " + file + " from the jar", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
