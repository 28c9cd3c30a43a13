package io.gridpush.bayeux;

import io.gridpush.bayeux.StrictJsonContext.RefusedInput;
import java.util.List;
import java.util.Map;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.server.ServerMessage;

/**
 * The types of the Bayeux fields, checked once per incoming batch. CometD casts them as it goes
 * ({@code (String)get("channel")}, {@code (Map)get("advice")}, {@code (Number)advice.get("timeout")}), so
 * a mistyped field would fail deep inside it, as an HTTP 500 or a WebSocket close 1011 with the
 * exception's class name. A batch that breaks a rule here is refused whole, with a reason that names
 * the field.
 */
final class MessageShape {
    private static final int MAX_CHANNEL_LENGTH = 1024;

    private MessageShape() {
    }

    static void check(List<ServerMessage.Mutable> batch) {
        for (ServerMessage.Mutable message : batch) {
            check(message);
            if (batch.size() > 1 && Channel.META_HANDSHAKE.equals(message.get(Message.CHANNEL_FIELD))) {
                throw new RefusedInput("a /meta/handshake must be alone in its batch");
            }
        }
    }

    private static void check(Map<String, Object> message) {
        Object channel = message.get(Message.CHANNEL_FIELD);
        if (!(channel instanceof String name)) {
            throw new RefusedInput("every message needs a \"channel\" string" + got(channel));
        }
        if (!isChannel(name)) {
            throw new RefusedInput("\"channel\" is not a channel name: segments of visible ASCII, separated by single slashes, "
                + "a wildcard only as the last segment");
        }
        optional(message, Message.CLIENT_ID_FIELD, String.class, "a string");
        Object id = message.get(Message.ID_FIELD);
        if (id != null && !(id instanceof String) && !(id instanceof Long)) {
            throw new RefusedInput("\"id\" must be a string" + got(id));
        }
        optional(message, Message.CONNECTION_TYPE_FIELD, String.class, "a string");
        optional(message, Message.VERSION_FIELD, String.class, "a string");
        optional(message, Message.MIN_VERSION_FIELD, String.class, "a string");
        optional(message, Message.SUCCESSFUL_FIELD, Boolean.class, "a boolean");
        Map<?, ?> ext = optional(message, Message.EXT_FIELD, Map.class, "an object");
        Object ack = ext == null ? null : ext.get("ack");
        if (ack != null && !(ack instanceof Boolean) && !(ack instanceof Long)) {
            throw new RefusedInput("\"ext.ack\" must be a boolean or a batch number" + got(ack));
        }
        Map<?, ?> advice = optional(message, Message.ADVICE_FIELD, Map.class, "an object");
        if (advice != null) {
            optional(advice, Message.TIMEOUT_FIELD, Long.class, "an integer");
            optional(advice, Message.INTERVAL_FIELD, Long.class, "an integer");
            optional(advice, Message.RECONNECT_FIELD, String.class, "a string");
        }
        List<?> types = optional(message, Message.SUPPORTED_CONNECTION_TYPES_FIELD, List.class, "an array of strings");
        if (types != null && !types.stream().allMatch(String.class::isInstance)) {
            throw new RefusedInput("\"" + Message.SUPPORTED_CONNECTION_TYPES_FIELD + "\" must be an array of strings");
        }
        Object subscription = message.get(Message.SUBSCRIPTION_FIELD);
        if (subscription != null && !(subscription instanceof String)
            && !(subscription instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(String.class::isInstance))) {
            throw new RefusedInput("\"subscription\" must be a channel name or a non-empty array of them" + got(subscription));
        }
    }

    /** One or more segments of visible ASCII after single slashes; a wildcard only as a whole last segment. */
    static boolean isChannel(String name) {
        if (name.length() < 2 || name.length() > MAX_CHANNEL_LENGTH || name.charAt(0) != '/') {
            return false;
        }
        int start = 1;
        while (true) {
            int end = name.indexOf('/', start);
            String segment = name.substring(start, end < 0 ? name.length() : end);
            if (segment.isEmpty() || !segment.chars().allMatch(c -> c > ' ' && c < 0x7F)) {
                return false;
            }
            if (segment.contains("*") && (end >= 0 || !segment.equals("*") && !segment.equals("**"))) {
                return false;
            }
            if (end < 0) {
                return true;
            }
            start = end + 1;
        }
    }

    private static <T> T optional(Map<?, ?> fields, String field, Class<T> type, String expected) {
        Object value = fields.get(field);
        if (value != null && !type.isInstance(value)) {
            throw new RefusedInput("\"" + field + "\" must be " + expected + got(value));
        }
        return type.cast(value);
    }

    private static String got(Object value) {
        return value == null ? "" : ", not a JSON " + StrictJsonContext.kind(value);
    }
}
