package io.gridpush.metrics;

import io.gridpush.config.GatewayConfig;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code GET /metrics}: the Prometheus text exposition of {@link GatewayMetrics}, to anyone when
 * {@code metrics.open}, else only with {@code Authorization: Bearer <metrics.token>} (401 without it).
 * Metrics tell an outsider how loaded the gateway is and which caches exist.
 */
public final class MetricsServlet extends jakarta.servlet.http.HttpServlet {
    private static final String BEARER = "Bearer ";
    private final transient GatewayMetrics metrics;
    private final transient GatewayConfig.Metrics access;

    public MetricsServlet(GatewayMetrics metrics, GatewayConfig.Metrics access) {
        this.metrics = metrics;
        this.access = access;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!access.open() && !authorized(request.getHeader("Authorization"))) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"gridpush metrics\"");
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "metrics need Authorization: Bearer <metrics.token>");
            return;
        }
        response.setContentType("text/plain; version=0.0.4; charset=utf-8");
        response.getOutputStream().write(metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }

    private boolean authorized(String header) {
        if (access.token().isEmpty() || header == null || !header.startsWith(BEARER)) {
            return false;
        }
        // Constant time, so the token cannot be guessed byte by byte from response times.
        return MessageDigest.isEqual(access.token().getBytes(StandardCharsets.UTF_8),
            header.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8));
    }
}
