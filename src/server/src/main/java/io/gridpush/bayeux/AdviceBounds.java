package io.gridpush.bayeux;

import io.gridpush.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;

/**
 * Bounds the advice a client may give on {@code /meta/connect}: {@code timeout} (how long a poll is
 * held) at most {@code bayeux.timeout}, {@code interval} (how long the client may wait before its next
 * poll, which CometD adds to {@code maxInterval} before sweeping the session) at most
 * {@code bayeux.maxInterval}. CometD takes them as given, so an interval of 2^53 - 1 made a session that
 * was never swept. Negative values mean "no advice" to CometD and stay as they are.
 *
 * <p>Threads: runs on the thread handling the message, before CometD reads the advice. The types were
 * checked by {@link MessageShape}.</p>
 */
@Singleton
public final class AdviceBounds implements BayeuxServer.Extension {
    private final long maxTimeout;
    private final long maxInterval;

    @Inject
    public AdviceBounds(GatewayConfig config) {
        this.maxTimeout = config.bayeux().timeoutMs();
        this.maxInterval = config.bayeux().maxIntervalMs();
    }

    @Override
    public boolean rcvMeta(ServerSession from, ServerMessage.Mutable message) {
        if (Channel.META_CONNECT.equals(message.getChannel()) && message.get(Message.ADVICE_FIELD) instanceof Map<?, ?> advice) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>)advice;
            clamp(fields, Message.TIMEOUT_FIELD, maxTimeout);
            clamp(fields, Message.INTERVAL_FIELD, maxInterval);
        }
        return true;
    }

    private static void clamp(Map<String, Object> advice, String field, long max) {
        if (advice.get(field) instanceof Number value && value.longValue() > max) {
            advice.put(field, max);
        }
    }
}
