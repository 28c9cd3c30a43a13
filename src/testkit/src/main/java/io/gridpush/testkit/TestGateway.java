package io.gridpush.testkit;

import com.google.inject.Module;
import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.config.ConfigLoader;
import io.gridpush.server.Gateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real gateway on a free port of 127.0.0.1 with the embedded default configuration plus overrides,
 * and the clients a test opens against it; {@link #close()} stops them all.
 *
 * <p>A test class shares one with {@code @RegisterExtension static final TestGateway gateway = TestGateway.of(...)},
 * started before its tests and stopped after them; a test that needs its own uses {@link #start} in
 * try-with-resources.</p>
 */
public final class TestGateway implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    private final Map<String, String> overrides;
    private final Module[] modules;
    private Gateway gateway;
    private final List<GridpushClient> clients = new ArrayList<>();
    private final Map<Transport, GridpushClient> shared = new java.util.concurrent.ConcurrentHashMap<>();

    private TestGateway(Map<String, String> overrides, Module... modules) {
        this.overrides = overrides;
        this.modules = modules;
    }

    /** A gateway for a whole test class, as a JUnit extension. */
    public static TestGateway of(Map<String, String> overrides, Module... modules) {
        return new TestGateway(overrides, modules);
    }

    public static TestGateway of(Module... modules) {
        return of(Map.of(), modules);
    }

    /** A started gateway, for one test. */
    public static TestGateway start(Map<String, String> overrides, Module... modules) {
        TestGateway gateway = new TestGateway(overrides, modules);
        gateway.startGateway();
        return gateway;
    }

    public static TestGateway start(Module... modules) {
        return start(Map.of(), modules);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startGateway();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    private void startGateway() {
        Map<String, String> settings = new HashMap<>(overrides);
        settings.putIfAbsent("http.port", "0");
        // Tests write the demo cache themselves; the feeder's changes would only get in their way.
        settings.putIfAbsent("demo.feeder", "false");
        // No drain wait when a test stops its gateway (a test of draining sets one).
        settings.putIfAbsent("http.drain", "0s");
        gateway = Gateway.create(ConfigLoader.load(null, settings), modules);
        try {
            gateway.start();
        } catch (Exception x) {
            throw new IllegalStateException("gateway did not start", x);
        }
    }

    public Gateway gateway() {
        return gateway;
    }

    public String url() {
        return gateway.cometdUrl();
    }

    /** One client per transport, shared by the tests of a class that need no session of their own. */
    public GridpushClient shared(Transport transport) {
        return shared.computeIfAbsent(transport, this::client);
    }

    /** A new client that uses only {@code transport}. */
    public GridpushClient client(Transport transport) {
        return client(options(transport));
    }

    public GridpushClient client(GridpushClient.Options options) {
        GridpushClient client = GridpushClient.connect(url(), options);
        synchronized (clients) {
            clients.add(client);
        }
        return client;
    }

    public static GridpushClient.Options options(Transport transport) {
        return GridpushClient.Options.defaults().withTransports(transport).withTimeout(Duration.ofSeconds(20));
    }

    @Override
    public void close() throws Exception {
        synchronized (clients) {
            clients.forEach(GridpushClient::close);
        }
        gateway.stop();
    }
}
