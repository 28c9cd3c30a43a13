package io.gridpush.metrics;

import io.gridpush.protocol.ChannelNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.ServerChannel;
import org.cometd.bayeux.server.ServerSession;
import org.cometd.bayeux.server.ServerTransport;

/**
 * The gateway's figures, in Prometheus text format at {@code /metrics}: sessions by transport,
 * subscriptions, events published, deliveries, queued messages, operation latency and errors by code.
 * Gauges are computed when scraped, so the message path pays only for two counter increments.
 */
@Singleton
public final class GatewayMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final BayeuxServer bayeux;
    private final Counter published;
    private final Counter deliveries;
    private final Timer trims;
    private final Map<String, Timer> operations = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Map<String, Counter> resyncs = new ConcurrentHashMap<>();
    private final Map<String, Counter> removals = new ConcurrentHashMap<>();

    @Inject
    public GatewayMetrics(BayeuxServer bayeux) {
        this.bayeux = bayeux;
        this.published = Counter.builder("gridpush_events_published").description("Changes published to a key channel").register(registry);
        this.deliveries = Counter.builder("gridpush_deliveries").description("Event deliveries to sessions (subscribers at publish time)").register(registry);
        for (String transport : new String[]{"websocket", "long-polling"}) {
            Gauge.builder("gridpush_sessions", () -> sessions(transport)).tag("transport", transport)
                .description("Connected Bayeux sessions").register(registry);
        }
        this.trims = Timer.builder("gridpush_backlog_trims").description("Trims of a full session backlog, each holding that session's lock")
            .register(registry);
        Gauge.builder("gridpush_subscriptions", this::subscriptions).description("Subscriptions to /cache channels").register(registry);
        // The JVM's own figures (heap by pool, GC, threads), for operators and for `bench idle`.
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
    }

    /** Called on a lane thread for each change that had watchers. */
    public void published(int subscribers) {
        published.increment();
        deliveries.increment(subscribers);
    }

    /**
     * A subscription was told to re-sync because gridpush could not deliver what it should have: a backlog
     * dropped ({@code backlog}), a change that failed to publish, a failed snapshot. Any thread.
     */
    public void resync(String reason, int subscriptions) {
        resyncs.computeIfAbsent(reason, r -> Counter.builder("gridpush_resyncs").tag("reason", r)
            .description("Subscriptions told to re-sync, by reason").register(registry)).increment(subscriptions);
    }

    /**
     * Sessions the gateway removed, by reason ({@code backlog}: what it queued for its client could not be
     * dropped and reached {@code delivery.maxQueue}); counted when the removal is decided. Any thread.
     */
    public Counter removedSessions(String reason) {
        return removals.computeIfAbsent(reason, r -> Counter.builder("gridpush_sessions_removed").tag("reason", r)
            .description("Sessions removed by the gateway, by reason").register(registry));
    }

    /** A full backlog was trimmed in {@code nanos}, on the thread (a lane) that found it full. */
    public void trimmed(long nanos) {
        trims.record(Duration.ofNanos(nanos));
    }

    /** Trims so far: count, total and longest, for the load tool. */
    public Timer trims() {
        return trims;
    }

    /** Called on the thread that handled an operation, once per operation. */
    public void operation(String op, long nanos, String outcome) {
        operations.computeIfAbsent(op, o -> Timer.builder("gridpush_operation").tag("op", o)
            .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(0).plusNanos(100_000))
            .maximumExpectedValue(Duration.ofSeconds(10)).register(registry)).record(Duration.ofNanos(nanos));
        if (!"ok".equals(outcome)) {
            errors.computeIfAbsent(outcome, code -> Counter.builder("gridpush_errors").tag("code", code).register(registry)).increment();
        }
    }

    /** A gauge read when scraped, for a figure another part of the gateway owns (the session backlogs: bayeux). */
    public void gauge(String name, String description, java.util.function.Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    public String scrape() {
        return registry.scrape();
    }

    private double sessions(String transport) {
        int count = 0;
        for (ServerSession session : bayeux.getSessions()) {
            ServerTransport serverTransport = session.getServerTransport();
            if (!session.isLocalSession() && serverTransport != null && transport.equals(serverTransport.getName())) {
                ++count;
            }
        }
        return count;
    }

    private double subscriptions() {
        long count = 0;
        for (ServerChannel channel : bayeux.getChannels()) {
            if (ChannelNames.isCacheChannel(channel.getId())) {
                count += channel.getSubscribers().size();
            }
        }
        return count;
    }
}
