package io.gridpush.server;

import io.gridpush.config.GatewayConfig;
import io.gridpush.metrics.GatewayMetrics;
import io.gridpush.metrics.MetricsServlet;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.Set;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.server.BayeuxServerImpl;
import org.cometd.server.http.jakarta.CometDServlet;
import org.eclipse.jetty.ee11.servlet.DefaultServlet;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Context;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.CrossOriginHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
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
    private final String host;

    @Inject
    public HttpServer(GatewayConfig config, BayeuxServerImpl bayeux, GatewayMetrics metrics) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("gridpush-http");
        server = new Server(threads);
        connector = new ServerConnector(server);
        host = config.http().host();
        connector.setHost(host);
        connector.setPort(config.http().port());
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler("/", ServletContextHandler.NO_SESSIONS);
        // The Bayeux server is ours (built by Guice); the servlet finds it here and starts it.
        context.setAttribute(BayeuxServer.ATTRIBUTE, bayeux);
        // CometD's Jetty WebSocket transport looks up the WebSocket container through the context.
        bayeux.setOption(Context.class.getName(), context.getContext());
        ServletHolder cometd = new ServletHolder("cometd", CometDServlet.class);
        cometd.setInitOrder(1);
        cometd.setAsyncSupported(true);
        context.addServlet(cometd, COMETD_PATH + "/*");
        context.insertHandler(WebSocketUpgradeHandler.from(server, context));

        context.addServlet(new ServletHolder("metrics", new MetricsServlet(metrics)), "/metrics");

        context.setBaseResource(ResourceFactory.of(server).newClassLoaderResource("webapp/"));
        ServletHolder files = new ServletHolder("webapp", DefaultServlet.class);
        files.setInitParameter("dirAllowed", "false");
        context.addServlet(files, "/");
        // In front of everything: refuse foreign Origins (no 101 for a cross-site WebSocket, 403 for a
        // cross-site long poll) and answer CORS for the allowed ones; then throttle session openings.
        CrossOriginHandler origins = new CrossOriginHandler();
        origins.setAllowedOriginPatterns(config.security().originPatterns());
        origins.setAllowedMethods(Set.of("GET", "POST", "OPTIONS"));
        origins.setAllowedHeaders(Set.of("Content-Type"));
        origins.setAllowCredentials(true);
        origins.setDeliverNonAllowedOriginRequests(false);
        origins.setDeliverNonAllowedOriginWebSocketUpgradeRequests(false);
        origins.setHandler(new HandshakeThrottle(config.limits().handshakesPerSecondPerAddress(),
            new RequestSizeLimit(config.limits().messageBytes(), context)));
        server.setHandler(origins);
    }

    Server server() {
        return server;
    }

    /** The root URL, once started: {@code http://host:port/}. */
    public URI uri() {
        String shown = host.equals("0.0.0.0") ? "127.0.0.1" : host;
        return URI.create("http://" + shown + ":" + connector.getLocalPort() + "/");
    }
}
