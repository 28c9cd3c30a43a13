package io.gridpush.support;

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

/**
 * A real gateway on a free port of 127.0.0.1 with the embedded default configuration plus overrides,
 * and the clients a test opens against it; {@link #close()} stops them all.
 */
public final class TestGateway implements AutoCloseable {
    private final Gateway gateway;
    private final List<GridpushClient> clients = new ArrayList<>();
    private final Map<Transport, GridpushClient> shared = new java.util.concurrent.ConcurrentHashMap<>();

    private TestGateway(Gateway gateway) {
        this.gateway = gateway;
    }

    public static TestGateway start(Module... modules) {
        return start(Map.of(), modules);
    }

    public static TestGateway start(Map<String, String> overrides, Module... modules) {
        Map<String, String> settings = new HashMap<>(overrides);
        settings.putIfAbsent("http.port", "0");
        Gateway gateway = Gateway.create(ConfigLoader.load(null, settings), modules);
        try {
            gateway.start();
        } catch (Exception x) {
            throw new IllegalStateException("gateway did not start", x);
        }
        return new TestGateway(gateway);
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
