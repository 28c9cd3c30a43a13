package io.gridpush.server;

import io.gridpush.cache.InfinispanService;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /health}: 200 "serving" while this node can serve (Infinispan running, every exposed cache
 * available), 503 otherwise: starting, stopping, or in a minority partition. Load balancers route on it.
 */
final class HealthServlet extends HttpServlet {
    private final transient InfinispanService infinispan;

    HealthServlet(InfinispanService infinispan) {
        this.infinispan = infinispan;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean serving = infinispan.serving();
        response.setStatus(serving ? 200 : 503);
        response.setContentType("text/plain; charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().println(serving ? "serving" : "unavailable");
    }
}
