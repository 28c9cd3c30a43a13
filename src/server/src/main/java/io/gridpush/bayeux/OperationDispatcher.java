package io.gridpush.bayeux;

import io.gridpush.operations.OperationRunner;
import io.gridpush.protocol.ChannelNames;
import io.gridpush.scope.MessageScope;
import io.gridpush.security.HandshakePolicy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.cometd.bayeux.server.ServerChannel;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;

/**
 * Handles every message published on {@code /service/**}: opens the per-message request scope, runs the
 * operation there ({@link OperationRunner}, which audits it and turns failures into contract errors), and
 * replies to the caller alone.
 *
 * <p>Threads: runs on the Jetty thread that read the message (WebSocket frame or long-polling request).</p>
 */
@Singleton
public final class OperationDispatcher implements ServerChannel.MessageListener {
    private final MessageScope scope;
    private final OperationRunner runner;
    private final Outbound outbound;
    private final SessionLimits limits;

    @Inject
    public OperationDispatcher(MessageScope scope, OperationRunner runner, Outbound outbound, SessionLimits limits) {
        this.scope = scope;
        this.runner = runner;
        this.outbound = outbound;
        this.limits = limits;
    }

    @Override
    public boolean onMessage(ServerSession from, ServerChannel channel, ServerMessage.Mutable message) {
        // The token refresh has a listener of its own (TokenRefresh); every other /service/ message is an operation.
        if (from == null || outbound.isSelf(from) || ChannelNames.TOKEN_REFRESH_CHANNEL.equals(message.getChannel())) {
            return true;
        }
        // A channel that names no operation is run too (as unknown), so that it costs the session's rate like any other.
        String op = ChannelNames.operationOf(message.getChannel());
        String name = op == null ? message.getChannel() : op;
        scope.run(from, message, HandshakePolicy.identityOf(from), () -> {
            OperationRunner.Outcome outcome = runner.run(name, message.getData(), limits.budget(from));
            outbound.reply(from, message, outcome.successful(), outcome.result());
        });
        return true;
    }

    /** Accepts operations again (a gateway started after a stop); the drain stopped them at the runner. */
    void accept() {
        runner.accept();
    }
}
