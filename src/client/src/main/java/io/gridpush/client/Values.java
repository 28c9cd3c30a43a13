package io.gridpush.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One shape for the values the client hands out, whichever transport brought them: CometD's Java client
 * parses JSON arrays as {@code Object[]} over WebSocket and as {@code List} over long polling, so a
 * value is given with every array as a {@link List} (and objects as {@link Map}).
 */
final class Values {
    private Values() {
    }

    static Object plain(Object value) {
        if (value instanceof Object[] array) {
            List<Object> list = new ArrayList<>(array.length);
            for (Object item : array) {
                list.add(plain(item));
            }
            return list;
        }
        if (value instanceof List<?> list && needsCopy(list)) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(plain(item)));
            return copy;
        }
        if (value instanceof Map<?, ?> map && needsCopy(map.values())) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, plain(v)));
            return copy;
        }
        return value;
    }

    /** Whether anything inside is an array or holds one, so that plain values are handed out without a copy. */
    private static boolean needsCopy(Iterable<?> items) {
        for (Object item : items) {
            if (item instanceof Object[] || item instanceof List<?> list && needsCopy(list) || item instanceof Map<?, ?> map && needsCopy(map.values())) {
                return true;
            }
        }
        return false;
    }
}
