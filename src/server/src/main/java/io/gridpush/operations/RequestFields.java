package io.gridpush.operations;

import io.gridpush.cache.JsonValues;
import io.gridpush.protocol.ErrorCode;
import io.gridpush.protocol.GridpushException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Typed, validated access to a remote call's {@code data}; every mistake is a {@code bad_request} naming the field. */
final class RequestFields {
    private final Map<?, ?> data;

    private RequestFields(Map<?, ?> data) {
        this.data = data;
    }

    static RequestFields of(Object data) {
        if (!(data instanceof Map<?, ?> map)) {
            throw GridpushException.badRequest("request data must be a JSON object");
        }
        return new RequestFields(map);
    }

    String string(String field) {
        Object value = require(field);
        if (!(value instanceof String text)) {
            throw mistyped(field, "a string");
        }
        JsonValues.checkText(text);
        return text;
    }

    String optionalString(String field) {
        return data.get(field) == null ? null : string(field);
    }

    /** The field's value, which must be present; JSON {@code null} is returned as null for the caller to judge. */
    Object present(String field) {
        if (!data.containsKey(field)) {
            throw GridpushException.badRequest("missing field '" + field + "'");
        }
        return data.get(field);
    }

    long integer(String field) {
        Object value = require(field);
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number)value).longValue();
        }
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 0x1p53) {
            return d.longValue();
        }
        throw mistyped(field, "an integer");
    }

    /** An optional integer at least {@code min}; {@code absent} when missing or null. */
    long optionalInteger(String field, long min, long absent) {
        if (data.get(field) == null) {
            return absent;
        }
        long value = integer(field);
        if (value < min) {
            throw GridpushException.badRequest("field '" + field + "' must be at least " + min);
        }
        return value;
    }

    List<String> strings(String field, int max) {
        Object value = require(field);
        if (!(value instanceof List<?> items)) {
            throw mistyped(field, "an array of strings");
        }
        if (items.size() > max) {
            throw new GridpushException(ErrorCode.TOO_LARGE, "field '" + field + "' holds " + items.size() + " items, over the limit of " + max);
        }
        List<String> result = new ArrayList<>(items.size());
        for (Object item : items) {
            if (!(item instanceof String text)) {
                throw mistyped(field, "an array of strings");
            }
            result.add(text);
        }
        return result;
    }

    private Object require(String field) {
        Object value = data.get(field);
        if (value == null) {
            throw GridpushException.badRequest("missing field '" + field + "'");
        }
        return value;
    }

    private static GridpushException mistyped(String field, String expected) {
        return GridpushException.badRequest("field '" + field + "' must be " + expected);
    }
}
