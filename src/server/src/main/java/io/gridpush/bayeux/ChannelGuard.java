package io.gridpush.bayeux;

import static io.gridpush.protocol.BayeuxErrors.BAD_CHANNEL;
import static io.gridpush.protocol.BayeuxErrors.PUBLISH_DENIED;
import static io.gridpush.protocol.BayeuxErrors.SUBSCRIBE_DENIED;

import io.gridpush.protocol.ChannelNames;
import io.gridpush.protocol.ChannelNames.BadChannelException;
import io.gridpush.protocol.ChannelNames.CacheChannel;
import io.gridpush.security.CacheRights;
import io.gridpush.security.HandshakePolicy;
import io.gridpush.security.Right;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;
import org.cometd.server.ServerMessageImpl;

/**
 * Decides who may subscribe and publish where, before CometD acts on the message, and answers refusals
 * with the contract's exact codes ({@code 400::bad_channel}, {@code 403::subscribe_denied},
 * {@code 403::publish_denied}); a {@code SecurityPolicy} refusal would carry CometD's own reason text.
 *
 * <p>Clients may subscribe only to {@code /cache/{cache}/{segment}} and {@code /cache/{cache}/*} of a
 * cache they may read, and may publish only to {@code /service/**} (remote calls). Nothing else: no
 * {@code /**}, no wider wildcard under {@code /cache/}, and no publishing on {@code /cache/**}, where only
 * the gateway's own session publishes.</p>
 */
@Singleton
public final class ChannelGuard implements BayeuxServer.Extension {
    private final CacheRights rights;
    private final SessionLimits limits;

    @Inject
    public ChannelGuard(CacheRights rights, SessionLimits limits) {
        this.rights = rights;
        this.limits = limits;
    }

    @Override
    public boolean rcvMeta(ServerSession from, ServerMessage.Mutable message) {
        if (from == null || from.isLocalSession() || !Channel.META_SUBSCRIBE.equals(message.getChannel()) || !from.isHandshook()) {
            return true;
        }
        List<String> subscriptions = subscriptions(message.get(Message.SUBSCRIPTION_FIELD));
        if (!limits.allowSubscriptions(from, subscriptions.size()) || !limits.inBudget(from)) {
            return refuse(message, SUBSCRIBE_DENIED);
        }
        for (String subscription : subscriptions) {
            String error = subscribeError(from, subscription);
            if (error != null) {
                return refuse(message, error);
            }
        }
        return true;
    }

    @Override
    public boolean rcv(ServerSession from, ServerMessage.Mutable message) {
        if (from == null || from.isLocalSession() || message.getChannel().startsWith(ChannelNames.SERVICE_ROOT)) {
            return true;
        }
        return refuse(message, PUBLISH_DENIED);
    }

    private String subscribeError(ServerSession from, String subscription) {
        if (!ChannelNames.isCacheChannel(subscription)) {
            return SUBSCRIBE_DENIED;
        }
        CacheChannel channel;
        try {
            channel = ChannelNames.parse(subscription);
        } catch (BadChannelException x) {
            return BAD_CHANNEL;
        }
        if (channel.denied() || rights.check(HandshakePolicy.identityOf(from), channel.cache(), Right.READ) != null) {
            return SUBSCRIBE_DENIED;
        }
        return null;
    }

    private static List<String> subscriptions(Object field) {
        if (field instanceof String single) {
            return List.of(single);
        }
        if (field instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return list.stream().map(String.class::cast).toList();
        }
        // Missing or malformed: CometD itself answers 403::subscription_missing / subscription_invalid.
        return List.of();
    }

    /** Answers the message with {@code error} and stops CometD from processing it. */
    private static boolean refuse(ServerMessage.Mutable message, String error) {
        ServerMessage.Mutable reply = message.getAssociated();
        reply.setSuccessful(false);
        reply.put(Message.ERROR_FIELD, error);
        // Marks the reply as answered, so CometD sends it as is instead of "404::message_deleted".
        ((ServerMessageImpl)reply).setHandled(true);
        return false;
    }
}
