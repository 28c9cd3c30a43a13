package io.gridpush.client;

import io.gridpush.protocol.ChannelNames;
import io.gridpush.protocol.Fields;
import io.gridpush.protocol.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The operations and watches of one cache of a gateway. Every operation returns a future that completes
 * with its result or exceptionally with a {@link io.gridpush.protocol.GridpushException} carrying the
 * contract's error code. Values are JSON values: maps, lists, strings, numbers and booleans.
 */
public final class RemoteCache {
    private final GridpushClient client;
    private final String name;

    RemoteCache(GridpushClient client, String name) {
        this.client = client;
        this.name = name;
    }

    public String name() {
        return name;
    }

    public CompletableFuture<Entry> get(String key) {
        return call(Operation.GET, request(key)).thenApply(data -> entry(key, data));
    }

    /** The entries of {@code keys}, in the same order. */
    public CompletableFuture<List<Entry>> getAll(List<String> keys) {
        Map<String, Object> request = request(null);
        request.put(Fields.KEYS, keys);
        return call(Operation.GET_ALL, request).thenApply(data -> entries(data.get(Fields.ENTRIES)));
    }

    public CompletableFuture<WriteResult> put(String key, Object value) {
        return put(key, value, null, null);
    }

    /** Puts with an optional lifespan and maximum idle time (null for none). */
    public CompletableFuture<WriteResult> put(String key, Object value, Duration lifespan, Duration maxIdle) {
        Map<String, Object> request = request(key);
        request.put(Fields.VALUE, value);
        if (lifespan != null) {
            request.put(Fields.LIFESPAN_MS, lifespan.toMillis());
        }
        if (maxIdle != null) {
            request.put(Fields.MAX_IDLE_MS, maxIdle.toMillis());
        }
        return call(Operation.PUT, request).thenApply(data -> {
            Object previous = data.get(Fields.PREVIOUS);
            Entry before = previous instanceof Map<?, ?> map ? entry(key, withFound(map)) : null;
            return new WriteResult(true, version(data), before);
        });
    }

    public CompletableFuture<WriteResult> putIfAbsent(String key, Object value) {
        Map<String, Object> request = request(key);
        request.put(Fields.VALUE, value);
        return call(Operation.PUT_IF_ABSENT, request)
            .thenApply(data -> new WriteResult(Boolean.TRUE.equals(data.get(Fields.STORED)), version(data), null));
    }

    /** Replaces the value only if the current version is {@code ifVersion}. */
    public CompletableFuture<WriteResult> replace(String key, Object value, long ifVersion) {
        Map<String, Object> request = request(key);
        request.put(Fields.VALUE, value);
        request.put(Fields.IF_VERSION, ifVersion);
        return call(Operation.REPLACE, request)
            .thenApply(data -> new WriteResult(Boolean.TRUE.equals(data.get(Fields.REPLACED)), version(data), null));
    }

    public CompletableFuture<Boolean> remove(String key) {
        return call(Operation.REMOVE, request(key)).thenApply(data -> Boolean.TRUE.equals(data.get(Fields.REMOVED)));
    }

    /** Removes the key only if the current version is {@code ifVersion}. */
    public CompletableFuture<Boolean> remove(String key, long ifVersion) {
        Map<String, Object> request = request(key);
        request.put(Fields.IF_VERSION, ifVersion);
        return call(Operation.REMOVE, request).thenApply(data -> Boolean.TRUE.equals(data.get(Fields.REMOVED)));
    }

    /** One page of entries in key order; {@code after} is the previous page's {@code next}, or null. */
    public CompletableFuture<Page> entries(String after, int limit) {
        Map<String, Object> request = request(null);
        if (after != null) {
            request.put(Fields.AFTER, after);
        }
        request.put(Fields.LIMIT, limit);
        return call(Operation.ENTRIES, request).thenApply(data -> new Page(entries(data.get(Fields.ENTRIES)),
            (String)data.get(Fields.NEXT)));
    }

    /** Watches one key: a snapshot first, then every change, never an older value after a newer one. */
    public Watch watch(String key, CacheListener listener) {
        return client.watch(ChannelNames.keyChannel(name, key), listener);
    }

    /** Watches every key: one snapshot per entry, {@code snapshot-end}, then every change. */
    public Watch watchAll(CacheListener listener) {
        return client.watch(ChannelNames.cacheChannel(name), listener);
    }

    private CompletableFuture<Map<String, Object>> call(Operation op, Map<String, Object> request) {
        return client.call(ChannelNames.operationTarget(op.wire()), request);
    }

    private Map<String, Object> request(String key) {
        Map<String, Object> request = new HashMap<>();
        request.put(Fields.CACHE, name);
        if (key != null) {
            request.put(Fields.KEY, key);
        }
        return request;
    }

    private static List<Entry> entries(Object field) {
        List<?> items = field instanceof Object[] array ? List.of(array) : field instanceof List<?> list ? list : List.of();
        List<Entry> result = new ArrayList<>(items.size());
        for (Object item : items) {
            Map<?, ?> map = (Map<?, ?>)item;
            result.add(entry((String)map.get(Fields.KEY), map.containsKey(Fields.FOUND) ? map : withFound(map)));
        }
        return result;
    }

    private static Map<?, ?> withFound(Map<?, ?> map) {
        Map<Object, Object> copy = new HashMap<>(map);
        copy.put(Fields.FOUND, true);
        return copy;
    }

    private static Entry entry(String key, Map<?, ?> data) {
        boolean found = Boolean.TRUE.equals(data.get(Fields.FOUND));
        return new Entry(key, found, Values.plain(data.get(Fields.VALUE)), found ? version(data) : -1);
    }

    private static long version(Map<?, ?> data) {
        return data.get(Fields.VERSION) instanceof Number n ? n.longValue() : -1;
    }
}
