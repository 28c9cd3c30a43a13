package io.gridpush.bayeux;

import io.gridpush.protocol.BayeuxErrors;
import io.gridpush.security.HandshakePolicy;
import io.gridpush.security.Identity;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.ServerChannel;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;
import org.cometd.server.BayeuxServerImpl;
import org.cometd.server.ServerSessionImpl;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session is served under its identity only until the identity expires ({@link Identity#expiresAt}, a
 * JWT's {@code exp} plus the clock skew; static tokens never do). Then it is unsubscribed from everything
 * (nothing more is delivered under the old identity), its held {@code /meta/connect} is answered at once,
 * and every message it sends after that, {@code /meta/connect} included, fails with
 * {@code 401::token_expired}; a {@code /meta/connect} gets advice {@code reconnect: handshake, interval: 0},
 * so a CometD client handshakes again (our clients with a fresh token) and re-subscribes. The old session
 * is swept like any session that stopped connecting. A session that refreshes its token in band
 * ({@link TokenRefresh}) gets a later expiry and is never cut.
 *
 * <p>Threads: the timer runs on CometD's scheduler; the extension methods on the thread handling the
 * message (or, for a resumed {@code /meta/connect}, the thread resuming it). Both only set session attributes
 * and call thread-safe CometD methods; expiring twice at once is harmless.</p>
 */
@Singleton
public final class TokenExpiry implements BayeuxServer.Extension, BayeuxServer.SessionListener {
    private static final Logger LOG = LoggerFactory.getLogger(TokenExpiry.class);
    private static final String EXPIRED = TokenExpiry.class.getName() + ".expired";
    private static final String TIMER = TokenExpiry.class.getName() + ".timer";
    private final BayeuxServerImpl bayeux;

    @Inject
    public TokenExpiry(BayeuxServerImpl bayeux) {
        this.bayeux = bayeux;
    }

    @Override
    public void sessionAdded(ServerSession session, ServerMessage message) {
        if (!session.isLocalSession()) {
            watch(session);
        }
    }

    @Override
    public void sessionRemoved(ServerSession session, ServerMessage message, boolean timeout) {
        if (session.getAttribute(TIMER) instanceof Scheduler.Task task) {
            task.cancel();
        }
    }

    /** Arms the timer for the session's current identity; re-armed when it fires for an identity refreshed meanwhile. */
    private void watch(ServerSession session) {
        Instant expiresAt = HandshakePolicy.identityOf(session).expiresAt();
        if (expiresAt == null || !session.isHandshook()) {
            return;
        }
        long delay = Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis());
        session.setAttribute(TIMER, bayeux.schedule(() -> {
            if (session.isHandshook() && !expire(session)) {
                watch(session);
            }
        }, delay));
    }

    /** Cuts the session if its identity has expired; returns whether it is (now or already) cut. */
    private boolean expire(ServerSession session) {
        if (session.getAttribute(EXPIRED) != null) {
            return true;
        }
        Identity identity = HandshakePolicy.identityOf(session);
        if (!identity.expiredAt(Instant.now())) {
            return false;
        }
        session.setAttribute(EXPIRED, Boolean.TRUE);
        LOG.info("Session {} of {}: its token expired at {}; told 401::token_expired", session.getId(), identity.name(), identity.expiresAt());
        for (ServerChannel channel : List.copyOf(session.getSubscriptions())) {
            channel.unsubscribe(session);
        }
        // Over WebSocket a held /meta/connect is answered only on its timeout, unless the session delivers
        // through /meta/connect only; the flush then answers it now (over long polling it always does).
        session.setMetaConnectDeliveryOnly(true);
        ((ServerSessionImpl)session).flush();
        return true;
    }

    private boolean cut(ServerSession session) {
        return session != null && !session.isLocalSession() && session.isHandshook() && expire(session);
    }

    @Override
    public boolean rcvMeta(ServerSession from, ServerMessage.Mutable message) {
        String channel = message.getChannel();
        if (Channel.META_HANDSHAKE.equals(channel) || Channel.META_DISCONNECT.equals(channel) || !cut(from)) {
            return true;
        }
        if (Channel.META_CONNECT.equals(channel)) {
            adviseHandshake(message.getAssociated());
        }
        return ChannelGuard.refuse(message, BayeuxErrors.TOKEN_EXPIRED);
    }

    @Override
    public boolean rcv(ServerSession from, ServerMessage.Mutable message) {
        return !cut(from) || ChannelGuard.refuse(message, BayeuxErrors.TOKEN_EXPIRED);
    }

    /** The /meta/connect held when the session was cut is resumed as a success: it is answered as the refusal it is. */
    @Override
    public boolean sendMeta(ServerSession session, ServerMessage.Mutable reply) {
        if (session != null && Channel.META_CONNECT.equals(reply.getChannel()) && session.getAttribute(EXPIRED) != null) {
            reply.setSuccessful(false);
            reply.put(Message.ERROR_FIELD, BayeuxErrors.TOKEN_EXPIRED);
            adviseHandshake(reply);
        }
        return true;
    }

    private static void adviseHandshake(ServerMessage.Mutable reply) {
        Map<String, Object> advice = reply.getAdvice(true);
        advice.put(Message.RECONNECT_FIELD, Message.RECONNECT_HANDSHAKE_VALUE);
        advice.put(Message.INTERVAL_FIELD, 0L);
    }
}
