package io.gridpush.security;

import io.gridpush.protocol.BayeuxErrors;
import io.gridpush.protocol.Fields;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.Promise;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;
import org.cometd.server.DefaultSecurityPolicy;

/**
 * Admits a handshake only with a valid identity and records it on the session. CometD answers a refusal
 * with {@code 403::handshake_denied} and advice {@code reconnect: none}, as the contract asks; a token that
 * verifies but has expired gets {@code 403::token_expired} instead (same advice), written into the reply by
 * {@link #sendMeta}, as CometD spells every refusal of a policy {@code handshake_denied}.
 * Channel rights are decided by {@code ChannelGuard}, which can give the contract's exact error codes.
 *
 * <p>Threads: the Jetty thread handling the handshake, for both methods.</p>
 */
@Singleton
public final class HandshakePolicy extends DefaultSecurityPolicy implements BayeuxServer.Extension {
    /** Session attribute of a refused handshake's session: the error its reply must carry instead of CometD's. */
    private static final String REFUSAL = HandshakePolicy.class.getName() + ".refusal";
    private final Authenticator authenticator;
    private final AddressSessions addresses;
    private final HandshakeRate rate;

    @Inject
    public HandshakePolicy(Authenticator authenticator, AddressSessions addresses, HandshakeRate rate) {
        this.authenticator = authenticator;
        this.addresses = addresses;
        this.rate = rate;
    }

    @Override
    public void canHandshake(BayeuxServer server, ServerSession session, ServerMessage message, Promise<Boolean> promise) {
        if (session.isLocalSession()) {
            session.setAttribute(Identity.ATTRIBUTE, new Identity("gridpush"));
            promise.succeed(true);
            return;
        }
        String address = RemoteAddress.of(message);
        if (!rate.admits(address)) {
            promise.fail(new HandshakeRate.TooManyHandshakes("more than " + rate.perSecond() + " handshakes a second from " + address + "; retry later"));
            return;
        }
        if (!addresses.admits(message)) {
            promise.succeed(false);
            return;
        }
        Authenticator.Outcome outcome = authenticator.check(token(message));
        if (outcome.identity() != null) {
            session.setAttribute(Identity.ATTRIBUTE, outcome.identity());
        } else if (outcome.expired()) {
            session.setAttribute(REFUSAL, BayeuxErrors.HANDSHAKE_TOKEN_EXPIRED);
        }
        promise.succeed(outcome.identity() != null);
    }

    @Override
    public boolean sendMeta(ServerSession session, ServerMessage.Mutable reply) {
        if (session != null && !reply.isSuccessful() && Channel.META_HANDSHAKE.equals(reply.getChannel())
            && session.getAttribute(REFUSAL) instanceof String error) {
            reply.put(Message.ERROR_FIELD, error);
        }
        return true;
    }

    private static Object token(ServerMessage message) {
        Map<String, Object> ext = message.getExt();
        Object auth = ext == null ? null : ext.get(Fields.EXT_AUTH);
        return auth instanceof Map<?, ?> map ? map.get(Fields.TOKEN) : null;
    }

    /** The identity a handshaken session proved; fails fast if called for a session that never passed this policy. */
    public static Identity identityOf(ServerSession session) {
        Identity identity = (Identity)session.getAttribute(Identity.ATTRIBUTE);
        if (identity == null) {
            throw new IllegalStateException("session " + session.getId() + " has no identity; was it handshaken through HandshakePolicy?");
        }
        return identity;
    }
}
