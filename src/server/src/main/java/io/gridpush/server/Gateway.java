package io.gridpush.server;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.util.Modules;
import io.gridpush.bayeux.BayeuxServices;
import io.gridpush.cache.Grid;
import io.gridpush.cache.InfinispanService;
import io.gridpush.cache.PushBridge;
import io.gridpush.config.GatewayConfig;
import io.gridpush.demo.DemoFeeder;
import jakarta.inject.Inject;
import java.net.URI;
import org.eclipse.jetty.util.component.ContainerLifeCycle;

/**
 * One gridpush node. Its parts start in order (Infinispan, Jetty with the Bayeux server, the Bayeux
 * services, the push bridge) and stop in reverse, so nothing runs against a part that is not there.
 *
 * <pre>{@code
 * Gateway gateway = Gateway.create(ConfigLoader.load(null, Map.of("http.port", "0")));
 * gateway.start();
 * gateway.grid().cache("demo").put("greeting", "hello");
 * }</pre>
 */
public final class Gateway extends ContainerLifeCycle {
    private final HttpServer http;
    private final Grid grid;
    private final Injector injector;

    @Inject
    Gateway(InfinispanService infinispan, HttpServer http, BayeuxServices services, PushBridge bridge, DemoFeeder feeder,
            Drain drain, Grid grid, Injector injector) {
        this.http = http;
        this.grid = grid;
        this.injector = injector;
        addBean(infinispan, true);
        addBean(http.server(), true);
        addBean(services, true);
        addBean(bridge, true);
        if (feeder.enabled()) {
            addBean(feeder, true);
        }
        // Last to start, first to stop: /health turns 503 and the node waits before anything closes.
        addBean(drain, true);
    }

    /** Builds (but does not start) a gateway; {@code overrides} replace bindings, for example the audit sink. */
    public static Gateway create(GatewayConfig config, Module... overrides) {
        return Guice.createInjector(Modules.override(new GatewayModule(config)).with(overrides)).getInstance(Gateway.class);
    }

    /** {@code http://host:port/}. */
    public URI uri() {
        return http.uri();
    }

    /** {@code http://host:port/} of the plain listener, or null when TLS refuses plain HTTP. */
    public URI plainUri() {
        return http.plainUri();
    }

    /** The Bayeux endpoint, {@code http://host:port/cometd}. */
    public String cometdUrl() {
        return uri().resolve(HttpServer.COMETD_PATH).toString();
    }

    /** The Java API to the exposed caches. */
    public Grid grid() {
        return grid;
    }

    /** Blocks until the gateway stops. */
    public void join() throws InterruptedException {
        http.server().join();
    }

    public Injector injector() {
        return injector;
    }
}
