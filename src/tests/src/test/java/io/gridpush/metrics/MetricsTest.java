package io.gridpush.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.protocol.EventType;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.Events;
import io.gridpush.testkit.Raw;
import io.gridpush.testkit.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** /metrics reports what the gateway did, in Prometheus text format. */
class MetricsTest {
    @RegisterExtension
    static final TestGateway gateway = TestGateway.of();

    @Test
    void metricsCountSessionsSubscriptionsEventsDeliveriesOperationsAndErrors() throws Exception {
        GridpushClient ws = gateway.client(Transport.WEBSOCKET);
        GridpushClient lp = gateway.client(Transport.LONG_POLLING);
        Events one = new Events();
        Events two = new Events();
        Await.result(ws.cache("default").watch("metered", one).ready());
        Await.result(lp.cache("default").watchAll(two).ready());
        Await.result(ws.cache("default").put("metered", 1));
        Await.result(ws.cache("default").put("metered", 2));
        one.until(e -> e.type() == EventType.MODIFIED);
        two.until(e -> e.type() == EventType.MODIFIED);
        Raw.call(lp, "cache/get", Map.of("cache", "default"));
        Raw.call(lp, "cache/get", Map.of("cache", "nope", "key", "k"));

        String text = scrape();
        assertEquals(1.0, value(text, "gridpush_sessions\\{transport=\"websocket\"\\}"), text);
        assertEquals(1.0, value(text, "gridpush_sessions\\{transport=\"long-polling\"\\}"), text);
        assertEquals(2.0, value(text, "gridpush_subscriptions"), text);
        assertEquals(2.0, value(text, "gridpush_events_published_total"), text);
        assertEquals(4.0, value(text, "gridpush_deliveries_total"), text);
        assertEquals(2.0, value(text, "gridpush_operation_seconds_count\\{op=\"put\"\\}"), text);
        assertEquals(2.0, value(text, "gridpush_operation_seconds_count\\{op=\"get\"\\}"), text);
        assertEquals(1.0, value(text, "gridpush_errors_total\\{code=\"bad_request\"\\}"), text);
        assertEquals(1.0, value(text, "gridpush_errors_total\\{code=\"unknown_cache\"\\}"), text);
        assertTrue(text.contains("gridpush_queued_messages"), text);
        assertTrue(text.contains("gridpush_operation_seconds_bucket{op=\"put\""), "a latency histogram");
    }

    @Test
    void healthSaysServingWhileTheCachesAreAvailable() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create(gateway.gateway().uri() + "health")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals("serving", response.body().strip());
    }

    private static String scrape() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create(gateway.gateway().uri() + "metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        return response.body();
    }

    private static double value(String text, String metric) {
        Matcher matcher = Pattern.compile("(?m)^" + metric + " (\\S+)$").matcher(text);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
    }
}
