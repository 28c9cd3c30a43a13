package io.gridpush.server;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers 413 to a long-polling request whose declared body is over {@code limits.messageBytes}, before
 * anything reads it. (CometD enforces the same limit while reading, but reports an overrun as a 500.)
 */
final class RequestSizeLimit extends Handler.Wrapper {
    private final long maxBytes;

    RequestSizeLimit(long maxBytes, Handler handler) {
        super(handler);
        this.maxBytes = maxBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.getLength() > maxBytes && Request.getPathInContext(request).startsWith(HttpServer.COMETD_PATH)) {
            Response.writeError(request, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413,
                "message of " + request.getLength() + " bytes is over the limit of " + maxBytes);
            return true;
        }
        return super.handle(request, response, callback);
    }
}
