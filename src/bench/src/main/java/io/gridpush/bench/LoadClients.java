package io.gridpush.bench;

import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.ee11.websocket.jakarta.client.JakartaWebSocketClientContainer;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Many gridpush clients in one process, sharing one HttpClient, one WebSocket container and one
 * scheduler, as a load tool must: thousands of clients with their own thread pools would measure the
 * load tool, not the gateway.
 */
final class LoadClients implements AutoCloseable {
    private final HttpClient http;
    private final JakartaWebSocketClientContainer container;
    private final ScheduledExecutorService scheduler;
    private final List<GridpushClient> clients = new ArrayList<>();

    LoadClients(int expected) throws Exception {
        // Reading frames and running CometD's client code never blocks, so a few threads do all the work;
        // many more only take turns on the cores (64 cost the load tool 10-20% more CPU on 2 cores).
        QueuedThreadPool threads = new QueuedThreadPool(8, 8);
        threads.setName("bench-client");
        http = new HttpClient();
        http.setExecutor(threads);
        // Long polling holds one request per client, plus one for its operations.
        http.setMaxConnectionsPerDestination(Math.max(64, expected * 2 + 16));
        http.setMaxRequestsQueuedPerDestination(Math.max(1024, expected * 4));
        http.start();
        container = new SharedContainer(http);
        LifeCycle.start(container);
        scheduler = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "bench-scheduler");
            thread.setDaemon(true);
            return thread;
        });
    }

    GridpushClient connect(String url, Transport transport) {
        GridpushClient client = GridpushClient.connect(url, GridpushClient.Options.defaults()
            .withTransports(transport).withTimeout(Duration.ofSeconds(60)).withShared(http, container, scheduler));
        synchronized (clients) {
            clients.add(client);
        }
        return client;
    }

    int size() {
        synchronized (clients) {
            return clients.size();
        }
    }

    /**
     * Jetty's container creates its WebSocket client lazily on the first connect, without a lock, so
     * clients connecting at once from several threads can get one that is not started yet. This one
     * creates it up front, before the container starts.
     */
    private static final class SharedContainer extends JakartaWebSocketClientContainer {
        SharedContainer(HttpClient http) {
            super(http);
            getWebSocketCoreClient();
        }
    }

    @Override
    public void close() throws Exception {
        List<GridpushClient> all;
        synchronized (clients) {
            all = new ArrayList<>(clients);
        }
        all.parallelStream().forEach(GridpushClient::close);
        LifeCycle.stop(container);
        http.stop();
        scheduler.shutdownNow();
    }
}
