package io.gridpush.server;

import io.gridpush.cache.InfinispanService;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /health}: 200 "serving" while this node can serve (Infinispan running, every exposed cache
 * available), 503 otherwise: starting, draining before a stop, or in a minority partition. Load balancers route on it.
 */
final class HealthServlet extends HttpServlet {
    private final transient InfinispanService infinispan;
    private final transient Drain drain;

    HealthServlet(InfinispanService infinispan, Drain drain) {
        this.infinispan = infinispan;
        this.drain = drain;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean serving = !drain.draining() && infinispan.serving();
        response.setStatus(serving ? 200 : 503);
        response.setContentType("text/plain; charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().println(serving ? "serving" : "unavailable" + reason());
    }

    /** Why not serving, for the operator who reads the body (balancers use the status alone). */
    private String reason() {
        if (drain.draining()) {
            return ": stopping";
        }
        java.util.List<String> joining = infinispan.isRunning() ? infinispan.joining() : java.util.List.of();
        return joining.isEmpty() ? "" : ": receiving its share of caches " + joining;
    }
}
