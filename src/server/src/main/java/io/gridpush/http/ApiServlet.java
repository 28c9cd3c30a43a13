package io.gridpush.http;

import io.gridpush.operations.OperationBudget;
import io.gridpush.protocol.ErrorCode;
import io.gridpush.scope.HttpSeeds;
import io.gridpush.scope.Origin;
import io.gridpush.security.Authenticator;
import io.gridpush.security.Identity;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jetty.util.ajax.JSON;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API ({@value ApiRoute#ROOT}), for services in any language: routes a request
 * ({@link ApiRoute}), authenticates it ({@link ApiCallers}), seeds its Guice request scope
 * ({@link HttpSeeds}: GuiceFilter opened it), and hands it to the entry, batch or event handlers.
 * Every answer is JSON; every failure is the contract's {@code {error, message}} with an HTTP status,
 * never a stack trace.
 *
 * <p>Threads: a Jetty thread per request (an event stream continues on the change lanes, {@link EventStreams}).</p>
 */
@Singleton
final class ApiServlet extends HttpServlet {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);
    private static final JSON JSON_TEXT = new JSON();
    private final transient ApiCallers callers;
    private final transient EntryApi entries;
    private final transient BatchApi batch;
    private final transient EventStreams events;
    private final transient OpenApiDocument openapi;

    @Inject
    ApiServlet(ApiCallers callers, EntryApi entries, BatchApi batch, EventStreams events, OpenApiDocument openapi) {
        this.callers = callers;
        this.entries = entries;
        this.batch = batch;
        this.events = events;
        this.openapi = openapi;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ApiReply reply;
        try {
            reply = handle(request, response);
        } catch (ApiRequest.Refused refused) {
            reply = refused.reply();
        } catch (RuntimeException x) {
            String correlation = UUID.randomUUID().toString();
            LOG.error("Internal error {} handling {} {}", correlation, request.getMethod(), request.getRequestURI(), x);
            reply = ApiReply.error(ErrorCode.INTERNAL, "internal error, correlation id " + correlation);
        }
        if (reply != null) {
            write(reply, response);
        }
    }

    /** The reply, or null when the handler answers by itself (an event stream). */
    private ApiReply handle(HttpServletRequest request, HttpServletResponse response) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        ApiRoute route;
        try {
            route = path.startsWith(ApiRoute.ROOT) ? ApiRoute.parse(path.substring(ApiRoute.ROOT.length())) : null;
        } catch (IllegalArgumentException x) {
            return ApiReply.error(ErrorCode.BAD_REQUEST, x.getMessage());
        }
        if (route == null) {
            return ApiReply.error(404, ApiReply.NOT_FOUND, "no such path in the HTTP API; its paths are in " + ApiRoute.ROOT + "/" + ApiRoute.OPENAPI);
        }
        String method = request.getMethod();
        if (route.kind() == ApiRoute.Kind.OPENAPI) {
            return method.equals("GET") ? ApiReply.of(200, openapi.document()) : notAllowed("GET");
        }
        Authenticator.Outcome authenticated = callers.authenticate(request);
        Identity identity = authenticated.identity();
        if (identity == null) {
            return ApiCallers.refusal(request, authenticated);
        }
        // Behind a trusted proxy, the forwarded address (TrustedProxies rewrote it before this runs).
        String address = request.getRemoteAddr();
        HttpSeeds.seed(request, identity, new Origin("http", "http", address));
        OperationBudget budget = callers.budget(identity, address);
        ApiRequest api = new ApiRequest(request);
        return switch (route.kind()) {
            case ENTRY -> switch (method) {
                case "GET" -> entries.get(route, api, budget);
                case "PUT" -> entries.put(route, api, budget);
                case "DELETE" -> entries.delete(route, api, budget);
                default -> notAllowed("GET, PUT, DELETE");
            };
            case PAGE -> method.equals("GET") ? entries.page(route, api, budget) : notAllowed("GET");
            case BATCH -> method.equals("POST") ? batch.batch(route, api, budget) : notAllowed("POST");
            case KEY_EVENTS, CACHE_EVENTS -> method.equals("GET") ? events.open(route, api, response, budget) : notAllowed("GET");
            case OPENAPI -> throw new IllegalStateException("answered above");
        };
    }

    private static ApiReply notAllowed(String allowed) {
        return ApiReply.error(405, ApiReply.METHOD_NOT_ALLOWED, "this path answers " + allowed).with("Allow", allowed);
    }

    private static void write(ApiReply reply, HttpServletResponse response) throws IOException {
        response.setStatus(reply.status());
        for (Map.Entry<String, String> header : reply.headers().entrySet()) {
            response.setHeader(header.getKey(), header.getValue());
        }
        // Entries change all the time: a cache in between may keep a copy, but must check its ETag first.
        response.setHeader("Cache-Control", "no-cache");
        if (reply.body() == null) {
            return;
        }
        byte[] body = JSON_TEXT.toJSON(reply.body()).getBytes(StandardCharsets.UTF_8);
        response.setContentType("application/json;charset=utf-8");
        response.setContentLength(body.length);
        try (OutputStream out = response.getOutputStream()) {
            out.write(body);
        }
    }
}
