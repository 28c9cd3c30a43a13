package io.gridpush.server;

import io.gridpush.bayeux.MessageClock;
import io.gridpush.bayeux.MessageTimeout;
import io.gridpush.bayeux.GridpushCometDServlet;
import io.gridpush.config.GatewayConfig;
import io.gridpush.metrics.GatewayMetrics;
import io.gridpush.metrics.MetricsServlet;
import com.google.inject.servlet.GuiceFilter;
import io.gridpush.http.ApiLifeCycle;
import io.gridpush.http.ApiModule;
import jakarta.inject.Inject;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.Set;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.server.BayeuxServerImpl;
import org.eclipse.jetty.ee11.servlet.DefaultServlet;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Context;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.SecuredRedirectHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.server.handler.CrossOriginHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The Jetty assembly: one HTTP port; {@code /cometd} is the Bayeux endpoint (WebSocket upgrade, or
 * long polling through the CometD servlet); {@code /} serves the browser client and demo from the jar.
 */
@Singleton
public final class HttpServer {
    public static final String COMETD_PATH = "/cometd";
    private final Server server;
    private final ServerConnector connector;
    private final ServerConnector secureConnector;
    private final String host;
    private final GatewayConfig.Tls tls;

    @Inject
    public HttpServer(GatewayConfig config, BayeuxServerImpl bayeux, GatewayMetrics metrics, io.gridpush.cache.InfinispanService infinispan,
                      Drain drain, GuiceFilter api, ApiLifeCycle apiStreams) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("gridpush-http");
        server = new Server(threads);
        host = config.http().host();
        tls = config.tls();
        HttpConfiguration plain = new HttpConfiguration();
        plain.setSendServerVersion(false);
        plain.setUriCompliance(AmbiguousPaths.COMPLIANCE);
        // No per-connection header cache: Jetty builds one on a connection's second request, a trie of about
        // 100 KB that lives as long as the connection, so every long-polling session paid ~100 KB of heap
        // (README, "Idle memory"). Without it a request's headers are parsed afresh: a few small objects each.
        plain.setHeaderCacheSize(0);
        // Slowloris: a body must keep arriving at this rate, and idle connections are closed.
        plain.setMinRequestDataRate(config.http().minRequestDataRate());
        // Forwarded client addresses, believed from the configured proxies only.
        plain.addCustomizer(new TrustedProxies(config.http().trustedProxies()));
        if (tls.enabled()) {
            plain.setSecureScheme("https");
            plain.setSecurePort(tls.port());
            HttpConfiguration secure = new HttpConfiguration(plain);
            secure.addCustomizer(new SecureRequestCustomizer());
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStoreType("PKCS12");
            ssl.setKeyStorePath(tls.keystore());
            ssl.setKeyStorePassword(tls.keystorePassword());
            // h2 where the browser offers it (ALPN), else HTTP/1.1: over h2 every long poll and WebSocket of
            // a browser shares one connection, so the 6-connections-per-host limit no longer applies.
            ssl.setCipherComparator(HTTP2Cipher.COMPARATOR);
            HttpConnectionFactory http1 = new HttpConnectionFactory(secure);
            ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
            alpn.setDefaultProtocol(http1.getProtocol());
            secureConnector = connector(new ServerConnector(server, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn,
                new HTTP2ServerConnectionFactory(secure), http1), tls.port(), config);
        } else {
            secureConnector = null;
        }
        connector = tls.enabled() && tls.plainHttp().equals("refuse") ? null
            : connector(new ServerConnector(server, new HttpConnectionFactory(plain)), config.http().port(), config);
        ServletContextHandler context = new ServletContextHandler("/", ServletContextHandler.NO_SESSIONS);
        // Keys with / or % in the HTTP API's paths (AmbiguousPaths refuses them everywhere else).
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        // The Bayeux server is ours (built by Guice); the servlet finds it here and starts it.
        context.setAttribute(BayeuxServer.ATTRIBUTE, bayeux);
        // CometD's Jetty WebSocket transport looks up the WebSocket container through the context.
        bayeux.setOption(Context.class.getName(), context.getContext());
        ServletHolder cometd = new ServletHolder("cometd", GridpushCometDServlet.class);
        cometd.setInitOrder(1);
        cometd.setAsyncSupported(true);
        context.addServlet(cometd, COMETD_PATH + "/*");
        context.insertHandler(WebSocketUpgradeHandler.from(server, context));
        watchWebSocketMessages(context, config.http().webSocketMessageTimeoutMs());

        // The HTTP API: GuiceFilter opens Guice's request scope and hands the request to the API's servlet (ApiModule).
        context.addFilter(new FilterHolder(api), ApiModule.PATHS, EnumSet.of(DispatcherType.REQUEST));
        server.addBean(apiStreams.component());

        context.addServlet(new ServletHolder("metrics", new MetricsServlet(metrics, config.metrics())), "/metrics");
        context.addServlet(new ServletHolder("health", new HealthServlet(infinispan, drain)), "/health");

        context.setBaseResource(ResourceFactory.of(server).newClassLoaderResource("webapp/"));
        ServletHolder files = new ServletHolder("webapp", DefaultServlet.class);
        files.setInitParameter("dirAllowed", "false");
        context.addServlet(files, "/");
        // In front of everything: refuse foreign Origins (Jetty's CrossOriginHandler answers them 400, with
        // no 101 for a cross-site WebSocket upgrade; OriginCheckTest) and answer CORS for the allowed ones; then
        // limit body sizes. (Handshakes are throttled at the Bayeux handshake itself, HandshakeRate, whatever
        // the path or transport.)
        CrossOriginHandler origins = new CrossOriginHandler();
        origins.setAllowedOriginPatterns(config.security().originPatterns());
        origins.setAllowedMethods(Set.of("GET", "POST", "PUT", "DELETE", "OPTIONS"));
        origins.setAllowedHeaders(Set.of("Content-Type", "Authorization", "If-Match", "If-None-Match", "Last-Event-ID"));
        origins.setExposedHeaders(Set.of("ETag", "Retry-After"));
        origins.setAllowCredentials(true);
        origins.setDeliverNonAllowedOriginRequests(false);
        origins.setDeliverNonAllowedOriginWebSocketUpgradeRequests(false);
        String apiPrefix = ApiModule.PATHS.substring(0, ApiModule.PATHS.length() - 1);
        origins.setHandler(new AmbiguousPaths(apiPrefix, bodySizeLimit(config.limits().messageBytes(), context)));
        // Plain requests go to https when TLS is on and plainHttp = redirect.
        // Slowloris on the headers: they must be complete within limits.httpHeaderTimeout.
        server.addBean(new HeaderTimeout(server, config.http().headerTimeoutMs()));
        server.setHandler(tls.enabled() && tls.plainHttp().equals("redirect") ? new SecuredRedirectHandler(origins) : origins);
    }

    /**
     * Slowloris on WebSocket: a message must be complete within limits.webSocketMessageTimeout. The
     * transport adds a {@link MessageClock} to every connection; the clocks find their sweep among the
     * WebSocket components' beans (Jetty creates extensions by class, so nothing can be handed to them).
     */
    private void watchWebSocketMessages(ServletContextHandler context, long timeoutMs) {
        WebSocketComponents components = WebSocketServerComponents.getWebSocketComponents(context);
        components.getExtensionRegistry().register(MessageClock.NAME, MessageClock.class);
        MessageTimeout timeout = new MessageTimeout(server.getScheduler(), timeoutMs);
        components.addBean(timeout, false);
        server.addBean(timeout);
    }

    /**
     * Bodies over limits.messageBytes get 413: at once when the length is declared, while reading when
     * the body is chunked (then the read fails and the servlet answers 413 through EdgeFailures).
     */
    private static Handler bodySizeLimit(long maxBytes, Handler next) {
        SizeLimitHandler limit = new SizeLimitHandler(maxBytes, -1);
        limit.setHandler(next);
        return limit;
    }

    Server server() {
        return server;
    }

    private ServerConnector connector(ServerConnector connector, int port, GatewayConfig config) {
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(config.http().idleTimeoutMs());
        server.addConnector(connector);
        return connector;
    }

    /** The root URL, once started: {@code https://host:port/} under TLS, else {@code http://host:port/}. */
    public URI uri() {
        String shown = host.equals("0.0.0.0") ? "127.0.0.1" : host;
        return secureConnector != null
            ? URI.create("https://" + shown + ":" + secureConnector.getLocalPort() + "/")
            : URI.create("http://" + shown + ":" + connector.getLocalPort() + "/");
    }

    /** The plain {@code http://} root URL, or null when plain HTTP is refused. */
    public URI plainUri() {
        String shown = host.equals("0.0.0.0") ? "127.0.0.1" : host;
        return connector == null ? null : URI.create("http://" + shown + ":" + connector.getLocalPort() + "/");
    }
}
