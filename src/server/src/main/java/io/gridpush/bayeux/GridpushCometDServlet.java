package io.gridpush.bayeux;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.cometd.server.http.jakarta.CometDServlet;

/**
 * CometD's servlet, answering every failure with {@link EdgeFailures}: CometD itself answers any failure
 * but its own 400s with a 500, including a body refused by our parser, a body that arrives too slowly,
 * or one cut off by the client.
 *
 * <p>Threads: Jetty's, for the request or for the read that failed.</p>
 */
public final class GridpushCometDServlet extends CometDServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws jakarta.servlet.ServletException, IOException {
        String encoding = request.getCharacterEncoding();
        // JSON is UTF-8 (RFC 8259); CometD would fail on an unknown charset name with a 500.
        if (encoding != null && !StandardCharsets.UTF_8.name().equalsIgnoreCase(encoding)) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, "send Bayeux messages as UTF-8 JSON");
            return;
        }
        super.service(request, response);
    }

    @Override
    protected void sendError(HttpServletRequest request, HttpServletResponse response, int code, Throwable failure) {
        EdgeFailures.Answer answer = EdgeFailures.answer(failure, request.getRemoteAddr());
        try {
            // No ERROR_EXCEPTION attribute: the error page must not show the failure's class or trace.
            response.sendError(answer.status(), answer.reason());
        } catch (IOException | IllegalStateException x) {
            // The response was committed or the client is gone: nothing more can be said to it.
        }
    }
}
