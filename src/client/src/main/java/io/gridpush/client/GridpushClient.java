package io.gridpush.client;

import io.gridpush.protocol.BayeuxErrors;
import io.gridpush.protocol.ChannelNames;
import io.gridpush.protocol.ErrorCode;
import io.gridpush.protocol.Fields;
import io.gridpush.protocol.GridpushException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.client.ClientSession;
import org.cometd.bayeux.client.ClientSessionChannel;
import org.cometd.client.BayeuxClient;
import org.cometd.client.http.jetty.JettyHttpClientTransport;
import org.cometd.client.transport.ClientTransport;
import org.cometd.client.websocket.jakarta.WebSocketTransport;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.ee11.websocket.jakarta.client.JakartaWebSocketClientContainer;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * A Java client of a gridpush gateway, on the CometD Java client.
 *
 * <pre>{@code
 * try (GridpushClient client = GridpushClient.connect("http://127.0.0.1:8080/cometd")) {
 *     RemoteCache scores = client.cache("demo");
 *     scores.watch("match-1", event -> System.out.println(event.value()));
 *     scores.put("match-1", Map.of("home", 2, "away", 1)).join();
 * }
 * }</pre>
 *
 * <p>{@link #connect} tries WebSocket first and falls back to long polling by itself when the upgrade
 * cannot get through. After any re-handshake (an expired session, a restarted gateway) every watch is
 * re-subscribed and so re-synced from snapshots.</p>
 *
 * <p>With a token provider ({@link Options#withTokenProvider}) the client asks it for a token at every
 * handshake, and a little before the token's {@code exp} sends a fresh one in band, so that the session
 * goes on with its subscriptions. If the session's token expires anyway (the refresh failed, the machine
 * slept), the gateway answers {@code 401::token_expired} and the client handshakes again with a fresh
 * token and re-syncs every watch. Without a provider the client stops there: the listeners hear
 * {@code CLOSED} with {@code 403::token_expired}.</p>
 */
public final class GridpushClient implements AutoCloseable {
    /** The largest message (a frame of messages, a page of entries) the client accepts. */
    static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    private final BayeuxClient bayeux;
    private final HttpClient httpClient;
    private final boolean ownsHttpClient;
    private final jakarta.websocket.WebSocketContainer webSocketContainer;
    private final boolean ownsWebSocketContainer;
    private final Options options;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean handshaken = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicReference<Message> lastHandshake = new java.util.concurrent.atomic.AtomicReference<>();
    private final List<ConnectionListener> connectionListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The last status told to the listeners; changes only, so a listener hears each transition once. */
    private final java.util.concurrent.atomic.AtomicReference<ConnectionListener.Status> status = new java.util.concurrent.atomic.AtomicReference<>();
    private final Credentials credentials;
    /** Bumped by every handshake and refresh, so that a refresh timer armed for an older token does nothing. */
    private final AtomicInteger tokenGeneration = new AtomicInteger();

    private GridpushClient(String url, Options options) throws Exception {
        this.options = options;
        this.credentials = new Credentials(options.token(), options.tokenProvider());
        this.ownsHttpClient = options.httpClient() == null;
        this.httpClient = ownsHttpClient ? new HttpClient() : options.httpClient();
        if (ownsHttpClient) {
            httpClient.setMaxConnectionsPerDestination(8);
            // Connecting (TCP, TLS, the WebSocket upgrade) gets the client's whole timeout: Jetty's shorter
            // default failed a wss:// upgrade on a loaded machine (TlsTest, "Connection future timeout 5000 ms").
            httpClient.setConnectTimeout(options.timeout().toMillis());
            httpClient.start();
        }
        List<ClientTransport> transports = new ArrayList<>();
        // The gateway writes up to 32 messages per WebSocket frame and pages of entries in one reply: with
        // values up to 64 KiB, far over the 64 KiB (WebSocket) and 1 MiB (HTTP) defaults, which would close
        // the connection, and the client would handshake and re-sync again and again (found by ResyncTest).
        ownsWebSocketContainer = options.transports().contains(Transport.WEBSOCKET) && options.webSocketContainer() == null;
        if (options.transports().contains(Transport.WEBSOCKET)) {
            webSocketContainer = ownsWebSocketContainer ? new JakartaWebSocketClientContainer(httpClient) : options.webSocketContainer();
            if (ownsWebSocketContainer) {
                LifeCycle.start(webSocketContainer);
            }
            transports.add(new WebSocketTransport(transportOptions(), options.scheduler(), webSocketContainer));
        } else {
            webSocketContainer = null;
        }
        if (options.transports().contains(Transport.LONG_POLLING)) {
            transports.add(new JettyHttpClientTransport(transportOptions(), httpClient));
        }
        if (transports.isEmpty()) {
            throw new IllegalArgumentException("no transport chosen; use WEBSOCKET and/or LONG_POLLING");
        }
        ClientTransport[] others = transports.subList(1, transports.size()).toArray(ClientTransport[]::new);
        bayeux = options.scheduler() == null ? new BayeuxClient(url, transports.get(0), others)
            : new BayeuxClient(url, options.scheduler(), transports.get(0), others);
        bayeux.setBackOffStrategy(new JitteredBackOff(1000, 10_000));
        bayeux.addExtension(new TokenExtension(credentials));
        // Acknowledged delivery: after a short outage the server re-sends what this client missed.
        bayeux.addExtension(new org.cometd.client.ext.AckExtension());
        bayeux.getChannel(Channel.META_HANDSHAKE).addListener((ClientSessionChannel.MessageListener)(channel, message) -> onHandshake(message));
        // A subscription sent while the connection was being re-established may fail in transit: retry it.
        bayeux.getChannel(Channel.META_CONNECT).addListener((ClientSessionChannel.MessageListener)(channel, message) -> {
            if (message.isSuccessful()) {
                watches.forEach(watch -> watch.retryIfLost(bayeux));
                status(ConnectionListener.Status.CONNECTED, transport());
            } else {
                status(ConnectionListener.Status.DISCONNECTED, reason(message));
            }
        });
    }

    /** Connects with the default options: anonymous, WebSocket then long polling, 10 s timeout. */
    public static GridpushClient connect(String url) {
        return connect(url, Options.defaults());
    }

    /** Connects and waits until handshaken; throws {@link GridpushException} if refused or unreachable. */
    public static GridpushClient connect(String url, Options options) {
        GridpushClient client;
        try {
            client = new GridpushClient(url, options);
        } catch (Exception x) {
            throw new GridpushException(ErrorCode.UNAVAILABLE, "cannot start the client: " + x);
        }
        // BayeuxClient falls back from WebSocket to long polling by itself, re-handshaking on the next
        // transport, so the first handshake reply may be a failure that is not final: wait for the outcome.
        client.bayeux.handshake();
        boolean settled = client.bayeux.waitFor(options.timeout().toMillis(), BayeuxClient.State.CONNECTED, BayeuxClient.State.DISCONNECTED);
        if (!settled || !client.bayeux.isConnected()) {
            Message last = client.lastHandshake.get();
            Object error = last == null ? null : last.get(Message.ERROR_FIELD);
            client.close();
            ErrorCode code = BayeuxErrors.classify(error);
            throw new GridpushException(code, "handshake with " + url + " failed: " +
                (error != null ? error : last != null ? last.get("failure") : "no reply within " + options.timeout()));
        }
        return client;
    }

    /** Adds a listener of connection changes; it is told the current status at once, if there is one. */
    public void addConnectionListener(ConnectionListener listener) {
        connectionListeners.add(listener);
        ConnectionListener.Status now = status.get();
        if (now != null) {
            listener.onStatus(now, now == ConnectionListener.Status.CONNECTED ? transport() : "");
        }
    }

    private void status(ConnectionListener.Status next, String reason) {
        ConnectionListener.Status previous = status.getAndSet(next);
        if (previous != next && previous != ConnectionListener.Status.CLOSED) {
            connectionListeners.forEach(listener -> listener.onStatus(next, reason));
        } else if (previous == ConnectionListener.Status.CLOSED) {
            status.set(ConnectionListener.Status.CLOSED);
        }
    }

    private static String reason(Message message) {
        Object error = message.get(Message.ERROR_FIELD);
        Object failure = message.get("failure");
        return error != null ? error.toString() : failure instanceof Throwable x ? x.toString() : failure != null ? failure.toString() : "";
    }

    /** The operations and watches of one cache. */
    public RemoteCache cache(String name) {
        return new RemoteCache(this, name);
    }

    /** "websocket" or "long-polling": the transport negotiated. */
    public String transport() {
        return bayeux.getTransport().getName();
    }

    public boolean isConnected() {
        return bayeux.isConnected();
    }

    /** Mutable: CometD's transports add their own defaults to it. */
    private static Map<String, Object> transportOptions() {
        Map<String, Object> options = new java.util.HashMap<>();
        options.put(ClientTransport.MAX_MESSAGE_SIZE_OPTION, MAX_MESSAGE_BYTES);
        return options;
    }

    /** The underlying CometD client, for what this API does not cover. */
    public BayeuxClient bayeux() {
        return bayeux;
    }

    Options options() {
        return options;
    }

    Watch watch(String channel, CacheListener listener) {
        Watch watch = new Watch(this, channel, listener);
        watches.add(watch);
        watch.subscribe(bayeux);
        return watch;
    }

    void forget(Watch watch) {
        watches.remove(watch);
    }

    /** Sends a remote call; completes with the result data, or exceptionally with a {@link GridpushException}. */
    CompletableFuture<Map<String, Object>> call(String target, Map<String, Object> data) {
        CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
        bayeux.remoteCall(target, data, reply -> {
            Map<String, Object> replyData = reply.getDataAsMap();
            if (reply.isSuccessful() && replyData != null) {
                result.complete(replyData);
            } else if (replyData != null && replyData.get(Fields.ERROR) != null) {
                result.completeExceptionally(new GridpushException(ErrorCode.fromWire(replyData.get(Fields.ERROR)),
                    String.valueOf(replyData.get(Fields.MESSAGE))));
            } else {
                Object error = reply.get(Message.ERROR_FIELD);
                result.completeExceptionally(new GridpushException(
                    BayeuxErrors.classify(error),
                    "call " + target + " failed: " + (error != null ? error : reply)));
            }
        });
        long timeout = options.timeout().toMillis();
        return result.orTimeout(timeout, TimeUnit.MILLISECONDS).exceptionallyCompose(x -> CompletableFuture.failedFuture(
            x instanceof TimeoutException ? new GridpushException(ErrorCode.UNAVAILABLE, "no reply to " + target + " within " + timeout + " ms") : x));
    }

    /** Threads: CometD's client thread. A successful handshake after the first means a new server session. */
    private void onHandshake(Message message) {
        lastHandshake.set(message);
        if (message.isSuccessful()) {
            credentials.handshaken();
            refreshBeforeExpiry(credentials.lastSent());
        }
        if (message.isSuccessful() && !handshaken.compareAndSet(false, true)) {
            bayeux.batch(() -> watches.forEach(watch -> watch.subscribe(bayeux)));
        }
        if (!message.isSuccessful() && BayeuxErrors.HANDSHAKE_TOKEN_EXPIRED.equals(message.get(Message.ERROR_FIELD))
            && handshaken.get() && credentials.retryAfterExpired()) {
            // The gateway refused the token as expired and told CometD not to retry; a fresh one may do.
            status(ConnectionListener.Status.DISCONNECTED, reason(message));
            CompletableFuture.runAsync(this::handshakeAgain);
            return;
        }
        if (!message.isSuccessful()) {
            Map<String, Object> advice = message.getAdvice();
            boolean refused = advice != null && Message.RECONNECT_NONE_VALUE.equals(advice.get(Message.RECONNECT_FIELD));
            status(refused ? ConnectionListener.Status.CLOSED : ConnectionListener.Status.DISCONNECTED, reason(message));
        }
    }

    /** Threads: a pool thread; waits until CometD has given up the refused handshake, then starts a new one. */
    private void handshakeAgain() {
        if (bayeux.waitFor(options.timeout().toMillis(), BayeuxClient.State.DISCONNECTED) && status.get() != ConnectionListener.Status.CLOSED) {
            try {
                bayeux.handshake();
            } catch (IllegalStateException x) {
                // Closed or handshaking meanwhile: nothing to do.
            }
        }
    }

    /**
     * Arms the in-band refresh of {@code token}: a margin before its {@code exp}, the provider is asked for a
     * fresh token, which is sent on the token refresh channel. Should the refresh fail, the session expires and
     * the client handshakes again with a fresh token.
     */
    private void refreshBeforeExpiry(String token) {
        int generation = tokenGeneration.incrementAndGet();
        Instant at = credentials.refreshable() ? Credentials.refreshTime(token, Instant.now()) : null;
        if (at == null) {
            return;
        }
        long delay = Math.max(0, Duration.between(Instant.now(), at).toMillis());
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> {
            if (generation != tokenGeneration.get() || !bayeux.isConnected() || status.get() == ConnectionListener.Status.CLOSED) {
                return;
            }
            String fresh;
            try {
                fresh = credentials.fresh();
            } catch (RuntimeException x) {
                return;
            }
            if (fresh == null || fresh.equals(token)) {
                // Nothing newer (a provider that renews only expired tokens): the session will expire, and
                // the client handshakes again with whatever the provider gives then.
                return;
            }
            bayeux.remoteCall(ChannelNames.TOKEN_REFRESH_TARGET, Map.of(Fields.TOKEN, fresh), reply -> {
                if (reply.isSuccessful() && generation == tokenGeneration.get()) {
                    refreshBeforeExpiry(fresh);
                }
            });
        });
    }

    @Override
    public void close() {
        status(ConnectionListener.Status.CLOSED, "closed");
        watches.clear();
        if (!bayeux.isDisconnected()) {
            bayeux.disconnect(1000);
        }
        try {
            if (ownsWebSocketContainer) {
                LifeCycle.stop(webSocketContainer);
            }
            if (ownsHttpClient) {
                httpClient.stop();
            }
        } catch (Exception ignored) {
            // Closing: nothing left to do with a failure to stop.
        }
    }

    public enum Transport { WEBSOCKET, LONG_POLLING }

    /**
     * Client options. {@code httpClient}, {@code webSocketContainer} and {@code scheduler}, when given, are
     * shared and not stopped by {@link #close()}: many clients in one process (a load tool) should share them.
     */
    public record Options(String token, Set<Transport> transports, Duration timeout, HttpClient httpClient,
                          jakarta.websocket.WebSocketContainer webSocketContainer, java.util.concurrent.ScheduledExecutorService scheduler,
                          Supplier<String> tokenProvider) {
        public static Options defaults() {
            return new Options(null, Set.of(Transport.WEBSOCKET, Transport.LONG_POLLING), Duration.ofSeconds(10), null, null, null, null);
        }

        /** A fixed token, sent at every handshake; when it expires, the client stops ({@code 403::token_expired}). */
        public Options withToken(String value) {
            return new Options(value, transports, timeout, httpClient, webSocketContainer, scheduler, null);
        }

        /**
         * Where tokens come from: asked at every handshake and re-handshake, before the current token's
         * {@code exp} (then sent in band, keeping the session), and once after a token was refused as expired.
         * Threads: called on CometD's client threads and a timer thread, so it must not block for long: return
         * a cached token and renew it in the background if fetching one is slow.
         */
        public Options withTokenProvider(Supplier<String> value) {
            return new Options(null, transports, timeout, httpClient, webSocketContainer, scheduler, value);
        }

        public Options withTransports(Transport... values) {
            return new Options(token, Set.of(values), timeout, httpClient, webSocketContainer, scheduler, tokenProvider);
        }

        public Options withTimeout(Duration value) {
            return new Options(token, transports, value, httpClient, webSocketContainer, scheduler, tokenProvider);
        }

        /**
         * Shares one HttpClient, WebSocket container and scheduler among many clients. Give clients whose
         * network may stall their own scheduler: CometD's WebSocket client opens a connection synchronously
         * on the scheduler, so a client reconnecting to an address that accepts but never answers holds a
         * scheduler thread for the whole connect timeout, and the other clients' heartbeats wait behind it
         * until the gateway expires their sessions.
         */
        public Options withShared(HttpClient http, jakarta.websocket.WebSocketContainer container, java.util.concurrent.ScheduledExecutorService executor) {
            return new Options(token, transports, timeout, http, container, executor, tokenProvider);
        }
    }

    /** Adds {@code ext.auth.token} to every handshake, including the automatic re-handshakes, asking the provider each time. */
    private record TokenExtension(Credentials credentials) implements ClientSession.Extension {
        @Override
        public boolean sendMeta(ClientSession session, Message.Mutable message) {
            if (Channel.META_HANDSHAKE.equals(message.getChannel())) {
                String token = credentials.forHandshake();
                if (token != null) {
                    message.getExt(true).put(Fields.EXT_AUTH, Map.of(Fields.TOKEN, token));
                }
            }
            return true;
        }
    }
}
