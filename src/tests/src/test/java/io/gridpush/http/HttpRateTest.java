package io.gridpush.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.testkit.HttpApi;
import io.gridpush.testkit.TestGateway;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code limits.operationsPerSecond} over HTTP, per identity and address: a batch costs one operation per
 * item, items past the rate are refused and not applied, the next request gets 429 with Retry-After, and
 * another identity is not held back.
 */
class HttpRateTest {
    private static final int RATE = 20;

    @RegisterExtension
    static final TestGateway gateway = TestGateway.of(Map.of(
        "security.tokens", "{ burst-token = burst, calm-token = calm }",
        "limits.operationsPerSecond", String.valueOf(RATE)));

    @Test
    void theRateHoldsPerItemAndPerRequest() {
        HttpApi burst = new HttpApi(gateway.gateway().uri(), "burst-token");
        String body = "{\"operations\":[" + String.join(",", IntStream.range(0, 100)
            .mapToObj(i -> "{\"op\":\"put\",\"key\":\"burst-" + i + "\",\"value\":" + i + "}").toList()) + "]}";
        HttpApi.Answer answer = burst.post("caches/default/batch", body);
        // The bucket refills a token every 50 ms, so of requests sent in a row right after, one comes within
        // 50 ms of the last and is refused. Bounded by a count, not a time: on a loaded machine a request can
        // take longer than a refill (5 attempts were not always enough in the full suite).
        HttpApi.Answer next = null;
        for (int i = 0; i < 200 && (next == null || next.status() != 429); ++i) {
            next = burst.get(HttpApi.entry("default", "burst-0"));
        }
        assertEquals(200, answer.status());
        Object[] results = (Object[])answer.map().get("results");
        int refused = 0;
        for (int i = 0; i < results.length; ++i) {
            Map<?, ?> result = (Map<?, ?>)results[i];
            if ("rate_limited".equals(result.get("error"))) {
                ++refused;
                assertNull(gateway.gateway().grid().cache("default").get("burst-" + i), "a refused item is not applied");
            } else {
                assertEquals("put", result.get("op"));
                assertEquals(String.valueOf(i), gateway.gateway().grid().cache("default").get("burst-" + i).json());
            }
        }
        assertTrue(refused >= 50, "at " + RATE + " operations per second, most of 100 items are refused: " + refused);
        assertEquals(429, next.status(), next.text());
        assertEquals("rate_limited", next.error());
        assertEquals("1", next.header("Retry-After"));
        HttpApi calm = burst.as("calm-token");
        assertEquals(0L, calm.get(HttpApi.entry("default", "burst-0")).map().get("value"), "another identity is not held back");
    }
}
