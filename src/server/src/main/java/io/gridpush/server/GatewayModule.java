package io.gridpush.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.gridpush.bayeux.AdviceBounds;
import io.gridpush.bayeux.BacklogGuard;
import io.gridpush.bayeux.ChannelGuard;
import io.gridpush.bayeux.GridpushWebSocketTransport;
import io.gridpush.bayeux.Outbound;
import io.gridpush.bayeux.ProvenHttpTransport;
import io.gridpush.bayeux.SessionProof;
import io.gridpush.bayeux.StrictJsonContext;
import io.gridpush.cache.ChangePublisher;
import io.gridpush.config.GatewayConfig;
import io.gridpush.http.ApiModule;
import io.gridpush.scope.AuditSink;
import io.gridpush.scope.LogAuditSink;
import io.gridpush.scope.ScopeModule;
import io.gridpush.security.HandshakePolicy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.server.AbstractServerTransport;
import org.cometd.server.BayeuxServerImpl;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import io.gridpush.bayeux.PollingAcknowledgements;
import org.cometd.server.http.AbstractHttpTransport;
import org.cometd.server.websocket.common.AbstractWebSocketTransport;

/** Binds the gateway. Like every Guice module it only binds: nothing starts until {@link Gateway#start()}. */
public final class GatewayModule extends AbstractModule {
    private final GatewayConfig config;

    public GatewayModule(GatewayConfig config) {
        this.config = config;
    }

    @Override
    protected void configure() {
        install(new ScopeModule());
        install(new ApiModule());
        bind(GatewayConfig.class).toInstance(config);
        bind(AuditSink.class).to(LogAuditSink.class);
        bind(BayeuxServer.class).to(BayeuxServerImpl.class);
        bind(ChangePublisher.class).to(Outbound.class);
    }

    @Provides
    @Singleton
    BayeuxServerImpl bayeux(HandshakePolicy policy, ChannelGuard guard, AdviceBounds advice) {
        BayeuxServerImpl bayeux = new BayeuxServerImpl();
        // CometD hands every WebSocket session's flush to this executor, one job per session with something
        // new to write: per pushed change, one job per watcher. CometD's default pool grows to 128 threads,
        // each woken for a single write, all contending with the lanes for the sessions' locks; with a few
        // threads (delivery.flushThreads) the jobs queue instead, the threads stay busy without waking,
        // and a session whose job waits collects more messages for one frame. Flushes never block (the
        // write is asynchronous), so a small pool cannot stall; the only other jobs are CometD's periodic
        // session sweeps, a few milliseconds each. Measured in README (bench fanout).
        QueuedThreadPool flushes = new QueuedThreadPool(config.delivery().flushThreads(), 0);
        flushes.setName("gridpush-flush");
        flushes.setReservedThreads(0);
        bayeux.setExecutor(flushes);
        bayeux.addBean(flushes);
        GatewayConfig.Bayeux settings = config.bayeux();
        List<String> transports = new ArrayList<>();
        for (String name : settings.transports()) {
            transports.add(name.equals(AbstractWebSocketTransport.NAME) ? GridpushWebSocketTransport.class.getName() : ProvenHttpTransport.class.getName());
        }
        bayeux.setOption(BayeuxServerImpl.TRANSPORTS_OPTION, String.join(",", transports));
        bayeux.setOption(BayeuxServerImpl.ALLOWED_TRANSPORTS_OPTION, String.join(",", settings.transports()));
        bayeux.setOption(AbstractWebSocketTransport.PREFIX + "." + AbstractWebSocketTransport.COMETD_URL_MAPPING_OPTION, HttpServer.COMETD_PATH + "/*");
        bayeux.setOption(AbstractServerTransport.TIMEOUT_OPTION, settings.timeoutMs());
        bayeux.setOption(AbstractServerTransport.MAX_INTERVAL_OPTION, settings.maxIntervalMs());
        // Long polling only (the transport's option prefix): WebSocket delivers outside /meta/connect.
        bayeux.setOption(AbstractHttpTransport.PREFIX + "." + AbstractServerTransport.INTERVAL_OPTION, settings.pollIntervalMs());
        bayeux.setOption(AbstractHttpTransport.MAX_SESSIONS_PER_BROWSER_OPTION, settings.maxSessionsPerBrowser());
        bayeux.setOption(AbstractWebSocketTransport.PREFIX + "." + AbstractWebSocketTransport.IDLE_TIMEOUT_OPTION, settings.wsIdleTimeoutMs());
        // A WebSocket connection may only use the session it handshook itself: a clientId learnt elsewhere is refused.
        bayeux.setOption(AbstractWebSocketTransport.PREFIX + "." + AbstractWebSocketTransport.REQUIRE_HANDSHAKE_PER_CONNECTION_OPTION, true);
        bayeux.setOption(AbstractServerTransport.MAX_MESSAGE_SIZE_OPTION, config.limits().messageBytes());
        bayeux.setOption(AbstractServerTransport.JSON_CONTEXT_OPTION, new StrictJsonContext());
        // Several queued messages go out in one WebSocket frame: far fewer writes when a session gets bursts.
        bayeux.setOption(AbstractWebSocketTransport.PREFIX + "." + AbstractWebSocketTransport.MESSAGES_PER_FRAME_OPTION, 32);
        // The BAYEUX_BROWSER cookie: HttpOnly always, Secure under TLS, SameSite as configured.
        bayeux.setOption(AbstractHttpTransport.BROWSER_COOKIE_HTTP_ONLY_OPTION, true);
        bayeux.setOption(AbstractHttpTransport.BROWSER_COOKIE_SECURE_OPTION, config.tls().enabled());
        bayeux.setOption(AbstractHttpTransport.BROWSER_COOKIE_SAME_SITE_OPTION, settings.cookieSameSite());
        bayeux.setSecurityPolicy(policy);
        // The policy also words its refusals (403::token_expired).
        bayeux.addExtension(policy);
        bayeux.addExtension(guard);
        bayeux.addListener(guard);
        // Long polling from pages of other sites, whose browsers do not send the BAYEUX_BROWSER cookie back.
        bayeux.addExtension(new SessionProof());
        bayeux.addExtension(advice);
        // Each session's queue is bounded; past conflateAt, CometD asks BacklogGuard for every message, which
        // conflates now and then and re-syncs at maxQueue.
        bayeux.setOption(AbstractServerTransport.MAX_QUEUE_OPTION, config.delivery().conflateAt());
        return bayeux;
    }

    /** Acknowledged delivery for long polling (a client that reconnects within maxInterval gets what it missed), bounded like the queue. */
    @Provides
    @Singleton
    PollingAcknowledgements acknowledgements(BacklogGuard backlog) {
        PollingAcknowledgements acks = new PollingAcknowledgements();
        acks.setMaxQueueSize(config.delivery().conflateAt());
        acks.addListener(backlog);
        return acks;
    }
}
