package io.gridpush.server;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Encoded {@code /}, {@code %} and dot segments ({@code %2F}, {@code %25}, {@code %2E%2E}) in a path, for
 * the HTTP API only, where a key is one percent-encoded segment and may hold any of them. Jetty refuses such paths by default because a file
 * server could take {@code %2F} for a separator; the connectors accept them ({@link #COMPLIANCE}), and
 * this handler refuses them with 400 everywhere but under {@code prefix}, so the static files and
 * {@code /cometd} see what they saw before.
 */
final class AmbiguousPaths extends Handler.Wrapper {
    static final UriCompliance COMPLIANCE = UriCompliance.DEFAULT.with("gridpush-api",
        UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
        UriCompliance.Violation.AMBIGUOUS_PATH_SEGMENT);
    private final String prefix;

    AmbiguousPaths(String prefix, Handler next) {
        super(next);
        this.prefix = prefix;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        HttpURI uri = request.getHttpURI();
        if ((uri.hasAmbiguousSeparator() || uri.hasAmbiguousEncoding() || uri.hasAmbiguousSegment()) && !uri.getPath().startsWith(prefix)) {
            Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400, "Ambiguous URI path");
            return true;
        }
        return super.handle(request, response, callback);
    }
}
