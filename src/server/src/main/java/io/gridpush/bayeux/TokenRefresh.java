package io.gridpush.bayeux;

import io.gridpush.operations.OperationBudget;
import io.gridpush.protocol.ErrorCode;
import io.gridpush.protocol.Fields;
import io.gridpush.security.Authenticator;
import io.gridpush.security.HandshakePolicy;
import io.gridpush.security.Identity;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import org.cometd.bayeux.server.ServerChannel;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;

/**
 * The in-band token refresh ({@code /service/auth/token}, data {@code {token}}): a session whose token is
 * about to expire sends a fresh one and goes on under the identity it proves, with its subscriptions, so
 * nothing is re-synced. The new token must prove the same identity ({@code sub}); its rights replace the
 * old ones, and subscriptions they no longer allow are dropped. The reply is {@code {expiresAt?}} (ms since
 * the epoch), or {@code forbidden} (token refused, expired, or of another identity: the session keeps its
 * old identity until that expires), {@code bad_request} or {@code rate_limited}.
 *
 * <p>Threads: the Jetty thread that read the message.</p>
 */
@Singleton
public final class TokenRefresh implements ServerChannel.MessageListener {
    private final Authenticator authenticator;
    private final ChannelGuard guard;
    private final SessionLimits limits;
    private final Outbound outbound;

    @Inject
    public TokenRefresh(Authenticator authenticator, ChannelGuard guard, SessionLimits limits, Outbound outbound) {
        this.authenticator = authenticator;
        this.guard = guard;
        this.limits = limits;
        this.outbound = outbound;
    }

    @Override
    public boolean onMessage(ServerSession from, ServerChannel channel, ServerMessage.Mutable message) {
        if (from == null || from.isLocalSession()) {
            return true;
        }
        Map<String, Object> data = message.getDataAsMap();
        Object token = data == null ? null : data.get(Fields.TOKEN);
        OperationBudget budget = limits.budget(from);
        if (!budget.tryTake()) {
            return answer(from, message, error(ErrorCode.RATE_LIMITED, "more than " + budget.perSecond() + " operations per second; slow down"));
        }
        if (!(token instanceof String)) {
            return answer(from, message, error(ErrorCode.BAD_REQUEST, "send {\"token\": \"...\"}"));
        }
        Authenticator.Outcome outcome = authenticator.check(token);
        Identity current = HandshakePolicy.identityOf(from);
        Identity fresh = outcome.identity();
        if (fresh == null) {
            return answer(from, message, error(ErrorCode.FORBIDDEN, outcome.expired() ? "the new token has expired too" : "the new token is not valid"));
        }
        if (!fresh.name().equals(current.name())) {
            return answer(from, message, error(ErrorCode.FORBIDDEN,
                "the new token proves '" + fresh.name() + "', this session is '" + current.name() + "'; handshake again to change identity"));
        }
        from.setAttribute(Identity.ATTRIBUTE, fresh);
        guard.identityChanged(from, fresh);
        Map<String, Object> result = new HashMap<>();
        if (fresh.expiresAt() != null) {
            result.put(Fields.EXPIRES_AT, fresh.expiresAt().toEpochMilli());
        }
        outbound.reply(from, message, true, result);
        return true;
    }

    private boolean answer(ServerSession to, ServerMessage request, Map<String, Object> error) {
        outbound.reply(to, request, false, error);
        return true;
    }

    private static Map<String, Object> error(ErrorCode code, String text) {
        return Map.of(Fields.ERROR, code.wire(), Fields.MESSAGE, text);
    }
}
