package io.gridpush.bayeux;

import io.gridpush.protocol.ChannelNames;
import io.gridpush.security.AddressSessions;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.ServerChannel;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * Installs gridpush's services on the running Bayeux server: the gateway's own session, the
 * operation dispatcher on {@code /service/**}, the token refresh and expiry, and the snapshot sender. Started once the servlet has
 * started the Bayeux server.
 */
@Singleton
public final class BayeuxServices extends AbstractLifeCycle {
    private static final String SERVICES = ChannelNames.SERVICE_ROOT + "**";
    private final BayeuxServer bayeux;
    private final Outbound outbound;
    private final OperationDispatcher dispatcher;
    private final SnapshotSender snapshots;
    private final AddressSessions addresses;
    private final BacklogGuard backlog;
    private final PollingAcknowledgements acknowledgements;
    private final TokenExpiry expiry;
    private final TokenRefresh refresh;

    @Inject
    public BayeuxServices(BayeuxServer bayeux, Outbound outbound, OperationDispatcher dispatcher, SnapshotSender snapshots,
                          AddressSessions addresses, BacklogGuard backlog, PollingAcknowledgements acknowledgements,
                          TokenExpiry expiry, TokenRefresh refresh) {
        this.expiry = expiry;
        this.refresh = refresh;
        this.bayeux = bayeux;
        this.outbound = outbound;
        this.dispatcher = dispatcher;
        this.snapshots = snapshots;
        this.addresses = addresses;
        this.backlog = backlog;
        this.acknowledgements = acknowledgements;
    }

    @Override
    protected void doStart() {
        outbound.open();
        ServerChannel services = bayeux.createChannelIfAbsent(SERVICES, channel -> channel.setPersistent(true)).getReference();
        services.removeListener(dispatcher);
        services.addListener(dispatcher);
        dispatcher.accept();
        ServerChannel tokens = bayeux.createChannelIfAbsent(ChannelNames.TOKEN_REFRESH_CHANNEL, channel -> channel.setPersistent(true)).getReference();
        tokens.removeListener(refresh);
        tokens.addListener(refresh);
        bayeux.addListener(expiry);
        bayeux.addExtension(expiry);
        bayeux.addListener(snapshots);
        bayeux.addListener(addresses);
        bayeux.addListener(backlog);
        bayeux.addExtension(acknowledgements);
    }

    @Override
    protected void doStop() {
        bayeux.removeExtension(expiry);
        bayeux.removeListener(expiry);
        bayeux.removeExtension(acknowledgements);
        bayeux.removeListener(backlog);
        bayeux.removeListener(addresses);
        bayeux.removeListener(snapshots);
        // The dispatcher stays until the Bayeux server stops: the drain made it answer every operation
        // `unavailable`, and a message that found no listener would get no answer at all.
        outbound.close();
    }
}
