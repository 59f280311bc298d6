package fi.palvelurinki.signaling.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.ErrorCode;
import fi.palvelurinki.signaling.auth.Principal;
import fi.palvelurinki.signaling.protocol.ProtocolCodec;
import fi.palvelurinki.signaling.protocol.ServerMessages;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/** One API call: the request, who made it, and JSON answers with the API's error conventions. */
final class Exchange {
    static final int MAX_BODY = 64 << 10;

    final Request request;
    final Response response;
    final Callback callback;
    final Principal who;
    private Fields query;

    Exchange(Request request, Response response, Callback callback, Principal who) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.who = who;
    }

    String param(String name) {
        if (query == null) {
            query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        }
        return query.getValue(name);
    }

    String requiredParam(String name) {
        String v = param(name);
        if (v == null || v.isBlank()) {
            throw BrokerException.invalid("query parameter '" + name + "' is required");
        }
        return v;
    }

    /** Reads the JSON body, then answers with what {@code then} produces. */
    void body(Function<JsonNode, CompletableFuture<ObjectNode>> then) {
        bodyThen(node -> answer(then.apply(node)));
    }

    /** Reads the JSON body and hands it to {@code then}, which answers. */
    void bodyThen(java.util.function.Consumer<JsonNode> then) {
        if (request.getLength() > MAX_BODY) {
            json(HttpStatus.PAYLOAD_TOO_LARGE_413, error("too_large", "at most " + MAX_BODY + " bytes"));
            return;
        }
        Content.Source.asStringAsync(request, StandardCharsets.UTF_8).whenComplete((text, e) -> {
            if (e != null) {
                json(HttpStatus.BAD_REQUEST_400, error("bad_request", "could not read the body"));
                return;
            }
            if (text.length() > MAX_BODY) {
                json(HttpStatus.PAYLOAD_TOO_LARGE_413, error("too_large", "at most " + MAX_BODY + " bytes"));
                return;
            }
            JsonNode node;
            try {
                node = ProtocolCodec.mapper().readTree(text);
            } catch (java.io.IOException ex) {
                json(HttpStatus.BAD_REQUEST_400, error("bad_json", "the body is not JSON"));
                return;
            }
            try {
                then.accept(node == null ? JsonNodeFactory.instance.nullNode() : node);
            } catch (BrokerException be) {
                fail(be);
            } catch (Refusal r) {
                fail(r);
            }
        });
    }

    void answer(CompletableFuture<ObjectNode> result) {
        answer(200, result);
    }

    void answer(int status, CompletableFuture<ObjectNode> result) {
        result.whenComplete((o, e) -> {
            if (e == null) {
                json(status, o);
                return;
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof BrokerException b) {
                fail(b);
            } else if (cause instanceof Refusal r) {
                fail(r);
            } else {
                json(500, error("internal", "internal error"));
            }
        });
    }

    void fail(BrokerException e) {
        json(status(e), error(e.code().wireName(), e.getMessage()));
    }

    void fail(Refusal r) {
        json(r.status, error(r.code, r.getMessage()));
    }

    /**
     * A refusal whose HTTP status the error code alone does not tell: an unknown id in the request's path
     * is 404, the same code for an id named in a body or query is a bad value (400); a clash is 409.
     */
    static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String code;

        Refusal(int status, String code, String reason) {
            super(reason, null, false, false);
            this.status = status;
            this.code = code;
        }

        /** The broker's refusal, about the id the path names. */
        static Refusal notFound(BrokerException e) {
            return new Refusal(HttpStatus.NOT_FOUND_404, e.code().wireName(), e.getMessage());
        }
    }

    /** {@code result}, with a refusal of {@code code} taken as about the id in the path (404). */
    static <T> CompletableFuture<T> pathNamed(CompletableFuture<T> result, ErrorCode code) {
        return result.handle((v, e) -> {
            if (e == null) {
                return v;
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof BrokerException b && b.code() == code) {
                throw Refusal.notFound(b);
            }
            throw e instanceof CompletionException ce ? ce : new CompletionException(cause);
        });
    }

    /** Unknown ids named in a body or query are bad values; booking ids appear only in paths. */
    static int status(BrokerException e) {
        return switch (e.code()) {
            case UNKNOWN_BOOKING -> HttpStatus.NOT_FOUND_404;
            case SLOT_TAKEN, BOOKING_CLOSED -> HttpStatus.CONFLICT_409;
            case NOT_A_PARTY -> HttpStatus.FORBIDDEN_403;
            case OVERLOADED, UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE_503;
            case INTERNAL -> 500;
            default -> HttpStatus.BAD_REQUEST_400;
        };
    }

    static ObjectNode error(String code, String reason) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("code", code);
        o.put("reason", reason);
        return o;
    }

    void json(int status, ObjectNode body) {
        send(status, "application/json; charset=utf-8", ServerMessages.write(body));
    }

    void send(int status, String contentType, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        Content.Sink.write(response, true, body, callback);
    }
}
