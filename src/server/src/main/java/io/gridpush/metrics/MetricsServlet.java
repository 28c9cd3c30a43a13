package io.gridpush.metrics;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code GET /metrics}: the Prometheus text exposition of {@link GatewayMetrics}. */
public final class MetricsServlet extends HttpServlet {
    private final transient GatewayMetrics metrics;

    public MetricsServlet(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain; version=0.0.4; charset=utf-8");
        response.getOutputStream().write(metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }
}
