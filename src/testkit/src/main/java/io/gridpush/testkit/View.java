package io.gridpush.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridpush.cache.GridCache;
import io.gridpush.cache.JsonValues;
import io.gridpush.cache.Versioned;
import io.gridpush.client.CacheListener;
import io.gridpush.protocol.EventType;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a user's screen would show for a watch: the latest value per key, keys removed when the client says
 * so. Compared with the server's state to prove a client converged.
 *
 * <p>Threads: fed by CometD client threads, read by the test thread.</p>
 */
public final class View implements CacheListener {
    private final Map<String, Object> values = new ConcurrentHashMap<>();
    private final AtomicInteger resyncs = new AtomicInteger();
    private final AtomicInteger syncs = new AtomicInteger();

    @Override
    public void onEvent(io.gridpush.client.CacheEvent event) {
        if (event.type() == EventType.RESYNC) {
            resyncs.incrementAndGet();
            return;
        }
        if (event.key() == null) {
            syncs.incrementAndGet();
            return;
        }
        if (event.present()) {
            values.put(event.key(), normalize(event.value()));
        } else {
            values.remove(event.key());
        }
    }

    /** How many resync instructions this watch received. */
    public int resyncs() {
        return resyncs.get();
    }

    /** The live entries of {@code keys} in {@code cache}, as a view would show them. */
    public static Map<String, Object> serverState(GridCache cache, List<String> keys) {
        Map<String, Object> state = new HashMap<>();
        for (String key : keys) {
            Versioned entry = cache.get(key);
            if (entry != null && entry.json() != null) {
                state.put(key, normalize(JsonValues.parse(entry.json())));
            }
        }
        return state;
    }

    /** Waits (bounded, 60 s) until the view equals {@code expected}, then asserts it, naming some differences. */
    public void awaitEquals(Map<String, Object> expected, String what) throws InterruptedException {
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).pollInterval(java.time.Duration.ofMillis(50))
                .until(() -> expected.equals(values));
        } catch (org.awaitility.core.ConditionTimeoutException x) {
            // Asserted below, naming the differences.
        }
        Map<String, Object> seen = new HashMap<>(values);
        Map<String, String> wrong = new LinkedHashMap<>();
        expected.forEach((k, v) -> {
            if (!v.equals(seen.get(k))) {
                wrong.put(k, "expected " + brief(v) + " saw " + brief(seen.get(k)));
            }
        });
        seen.keySet().stream().filter(k -> !expected.containsKey(k)).forEach(k -> wrong.put(k, "expected absent saw " + brief(seen.get(k))));
        assertEquals(0, wrong.size(), what + ": " + wrong.size() + " keys differ (after " + syncs + " snapshot-ends and "
            + resyncs + " resyncs), for example "
            + wrong.entrySet().stream().limit(3).toList());
    }

    private static String brief(Object value) {
        String text = String.valueOf(value);
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }

    /** Numbers compare by value whatever their Java type. */
    private static Object normalize(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new HashMap<>();
            map.forEach((k, v) -> copy.put(k, normalize(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(View::normalize).toList();
        }
        if (value instanceof Object[] array) {
            return List.of(array).stream().map(View::normalize).toList();
        }
        return value instanceof Number n && n.doubleValue() == n.longValue() ? n.longValue() : value;
    }
}
