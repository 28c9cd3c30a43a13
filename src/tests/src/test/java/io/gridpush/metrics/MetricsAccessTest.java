package io.gridpush.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.testkit.TestGateway;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With {@code metrics.open = false} (as in config/production.conf), /metrics answers only its bearer token. */
class MetricsAccessTest {
    private static final String TOKEN = "a-long-random-scraper-token";

    @Test
    void closedMetricsNeedTheBearerToken() throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of("metrics.open", "false", "metrics.token", TOKEN))) {
            assertEquals(401, scrape(gateway, null).statusCode());
            assertEquals(401, scrape(gateway, "Bearer wrong").statusCode());
            assertEquals(401, scrape(gateway, "Basic " + TOKEN).statusCode());
            HttpResponse<String> allowed = scrape(gateway, "Bearer " + TOKEN);
            assertEquals(200, allowed.statusCode());
            assertTrue(allowed.body().contains("gridpush"), allowed.body());
        }
    }

    @Test
    void closedMetricsWithoutATokenAnswerNobody() throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of("metrics.open", "false"))) {
            assertEquals(401, scrape(gateway, null).statusCode());
            assertEquals(401, scrape(gateway, "Bearer ").statusCode());
        }
    }

    private static HttpResponse<String> scrape(TestGateway gateway, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.gateway().uri().resolve("/metrics"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
