package io.gridpush.bayeux;

import static io.gridpush.protocol.BayeuxErrors.PUBLISH_DENIED;
import static io.gridpush.protocol.BayeuxErrors.SUBSCRIBE_DENIED;

import io.gridpush.protocol.ChannelNames;
import io.gridpush.protocol.Fields;
import io.gridpush.security.AccessRules;
import io.gridpush.security.HandshakePolicy;
import io.gridpush.security.Identity;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.ServerChannel;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;
import org.cometd.server.ServerMessageImpl;

/**
 * The CometD side of {@link AccessRules}: refuses subscriptions and publishes before CometD acts on the
 * message, with the contract's exact codes ({@code 400::bad_channel}, {@code 403::subscribe_denied},
 * {@code 403::publish_denied}; a {@code SecurityPolicy} refusal would carry CometD's own reason text), and
 * holds back each event of a key that a wildcard subscriber may not read (per-key rights).
 *
 * <p>Threads: a key filter runs once per receiving session on the thread that delivers (an event lane, or
 * the Jetty thread sending a snapshot); it only reads immutable rules and the session's identity.</p>
 */
@Singleton
public final class ChannelGuard implements BayeuxServer.Extension, BayeuxServer.SessionListener {
    private final AccessRules rules;
    private final SessionLimits limits;

    @Inject
    public ChannelGuard(AccessRules rules, SessionLimits limits) {
        this.rules = rules;
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
        Identity identity = HandshakePolicy.identityOf(from);
        for (String subscription : subscriptions) {
            String error = rules.subscribeError(identity, subscription);
            if (error != null) {
                return refuse(message, error);
            }
        }
        return true;
    }

    @Override
    public boolean rcv(ServerSession from, ServerMessage.Mutable message) {
        if (from == null || from.isLocalSession() || rules.mayPublish(message.getChannel())) {
            return true;
        }
        return refuse(message, PUBLISH_DENIED);
    }

    /**
     * A session whose identity reads only some keys of a cache gets a filter of its own: CometD calls
     * server-wide extensions once per broadcast (with no receiving session), and session extensions once
     * per receiver. Sessions that read whole caches (most) get none and pay nothing per delivery.
     */
    @Override
    public void sessionAdded(ServerSession session, ServerMessage message) {
        Identity identity = session.isLocalSession() ? null : (Identity)session.getAttribute(Identity.ATTRIBUTE);
        if (identity != null) {
            filterIfNeeded(session, identity);
        }
    }

    /**
     * The session's identity was replaced (a token refresh): drops the subscriptions the new identity may not
     * hold, and filters its deliveries by key if it now reads only some keys. The caller has already stored
     * the new identity. Threads: the thread handling the refresh; the session's own messages wait for it.
     */
    void identityChanged(ServerSession session, Identity identity) {
        for (ServerChannel channel : List.copyOf(session.getSubscriptions())) {
            if (rules.subscribeError(identity, channel.getId()) != null) {
                channel.unsubscribe(session);
            }
        }
        filterIfNeeded(session, identity);
    }

    private void filterIfNeeded(ServerSession session, Identity identity) {
        if (rules.readsSomeKeysOnly(identity) && session.getAttribute(KeyFilter.ATTRIBUTE) == null) {
            KeyFilter filter = new KeyFilter(rules);
            session.setAttribute(KeyFilter.ATTRIBUTE, filter);
            session.addExtension(filter);
        }
    }

    /** Holds back each event of a key its session's (current) identity may not read (a wildcard subscription's deliveries). */
    private static final class KeyFilter implements ServerSession.Extension {
        static final String ATTRIBUTE = KeyFilter.class.getName();
        private final AccessRules rules;

        KeyFilter(AccessRules rules) {
            this.rules = rules;
        }

        @Override
        public ServerMessage send(ServerSession sender, ServerSession session, ServerMessage message) {
            if (!message.getChannel().startsWith(ChannelNames.CACHE_ROOT)) {
                return message;
            }
            Map<String, Object> data = message.getDataAsMap();
            Object cache = data == null ? null : data.get(Fields.CACHE);
            Object key = data == null ? null : data.get(Fields.KEY);
            if (!(cache instanceof String cacheName) || !(key instanceof String keyName)) {
                return message;
            }
            return rules.mayRead(HandshakePolicy.identityOf(session), cacheName, keyName) ? message : null;
        }
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

    /** Answers the message with {@code error} and stops CometD from processing it (returns false, for the extension to return). */
    static boolean refuse(ServerMessage.Mutable message, String error) {
        ServerMessage.Mutable reply = message.getAssociated();
        reply.setSuccessful(false);
        reply.put(Message.ERROR_FIELD, error);
        // Marks the reply as answered, so CometD sends it as is instead of "404::message_deleted".
        ((ServerMessageImpl)reply).setHandled(true);
        return false;
    }
}
