package io.gridpush.config;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole gateway configuration: one immutable value, loaded and validated once by
 * {@link ConfigLoader}, then injected wherever a setting is needed.
 */
public record GatewayConfig(Http http, Tls tls, Bayeux bayeux, URL infinispanConfig, Security security,
                            Map<String, CacheAccess> caches, Limits limits, Events events, Versions versions, Demo demo, Delivery delivery,
                            Cluster cluster, Metrics metrics) {
    public GatewayConfig {
        caches = Map.copyOf(caches);
    }

    /**
     * {@code idleTimeoutMs}, {@code headerTimeoutMs} and {@code minRequestDataRate} (bytes/s) guard against
     * slow clients; {@code trustedProxies} are the peers (addresses or CIDR ranges) whose forwarded client
     * addresses are believed.
     */
    public record Http(String host, int port, long idleTimeoutMs, long headerTimeoutMs, long webSocketMessageTimeoutMs, long minRequestDataRate,
                       long drainMs,
                       List<String> trustedProxies) {
        public Http {
            trustedProxies = List.copyOf(trustedProxies);
        }
    }

    /** {@code plainHttp}: "redirect", "refuse" or "serve". */
    public record Tls(boolean enabled, int port, String keystore, String keystorePassword, String plainHttp) {
    }

    /** CometD settings; {@code transports} holds wire names ("websocket", "long-polling"). */
    public record Bayeux(List<String> transports, long timeoutMs, long maxIntervalMs, long pollIntervalMs, int maxSessionsPerBrowser,
                         long wsIdleTimeoutMs, String cookieSameSite) {
        public Bayeux {
            transports = List.copyOf(transports);
        }
    }

    /**
     * {@code tokens} maps a static token to the identity it proves; {@code originPatterns} are regular
     * expressions of the allowed browser origins.
     */
    public record Security(boolean anonymous, Map<String, String> tokens, Set<String> originPatterns, Jwt jwt) {
        public Security {
            tokens = Map.copyOf(tokens);
            originPatterns = Set.copyOf(originPatterns);
        }
    }

    /**
     * JWT verification; {@code enabled()} when a secret, a public key or a JWKS URL is configured.
     * {@code rsaPublicKey} is parsed (and so checked) when the configuration loads; null when not set.
     * {@code jwksUrl} (null when not set) serves the signing keys, selected by {@code kid} and fetched again
     * when a token names a key the cached set lacks (rotation), at most once per {@code jwksMinRefetch};
     * {@code jwksCacheTtl} bounds how long a fetched set (and so a removed key) is trusted.
     * {@code clockSkew} is allowed on {@code exp} and {@code nbf}, at the handshake and for a live session.
     */
    public record Jwt(String hmacSecret, java.security.interfaces.RSAPublicKey rsaPublicKey, URL jwksUrl, Duration jwksCacheTtl,
                      Duration jwksMinRefetch, String issuer, String audience, String rightsClaim, Duration clockSkew) {
        public boolean enabled() {
            return !hmacSecret.isEmpty() || rsaPublicKey != null || jwksUrl != null;
        }
    }

    /**
     * Who may read and write one exposed cache; {@code "*"} stands for every identity. {@code keys} add
     * rights on the keys a pattern matches, for identities that lack them on the whole cache.
     */
    public record CacheAccess(Set<String> read, Set<String> write, List<KeyAccess> keys) {
        public static final String EVERYONE = "*";

        public CacheAccess {
            read = Set.copyOf(read);
            write = Set.copyOf(write);
            keys = List.copyOf(keys);
        }

        public CacheAccess(Set<String> read, Set<String> write) {
            this(read, write, List.of());
        }

        public boolean canRead(String identity) {
            return read.contains(EVERYONE) || read.contains(identity);
        }

        public boolean canWrite(String identity) {
            return write.contains(EVERYONE) || write.contains(identity);
        }
    }

    /** One per-key rule: who may read and write the keys {@code pattern} matches ({@code "*"}: every identity). */
    public record KeyAccess(KeyPattern pattern, Set<String> read, Set<String> write) {
        public KeyAccess {
            read = Set.copyOf(read);
            write = Set.copyOf(write);
        }
    }

    /**
     * The limits' values, read by the parts that enforce them (each where the thing limited happens: bodies
     * in Jetty, messages in CometD, sessions at the handshake, operations in the dispatcher). A count limit
     * of {@link #UNLIMITED} means none; {@link #unlimited} is the one way to ask, so "no limit" has one spelling.
     */
    public record Limits(int valueBytes, int messageBytes, int snapshotEntries, int operationsPerSecond,
                         int subscriptionsPerSession, int sessionsPerAddress, int handshakesPerSecondPerAddress) {
        /** How the configuration spells "no limit" for a count: -1 (0 is refused, as it would refuse everything). */
        public static final int UNLIMITED = -1;

        public static boolean unlimited(int limit) {
            return limit == UNLIMITED;
        }
    }

    public record Events(int lanes, int laneCapacity) {
    }

    public record Versions(Duration tombstoneLifespan) {
    }

    /**
     * {@code maxQueue}: the backlog bound per session, in messages; {@code conflateAt}: the backlog at which
     * conflation starts (at most {@code maxQueue}).
     */
    public record Delivery(int maxQueue, int conflateAt, int flushThreads, long writeLagLimitMs) {
    }

    /**
     * Who may read {@code /metrics}: anyone when {@code open}; otherwise requests with
     * {@code Authorization: Bearer <token>}, and nobody while the token is empty.
     */
    public record Metrics(boolean open, String token) {
    }

    /** The demo feeder: whether it runs, on which cache, how often it changes an entry. */
    public record Demo(boolean feeder, String cache, Duration interval) {
    }

    /**
     * JGroups settings, handed to the Infinispan configuration as the properties {@code gridpush.cluster.*}
     * (see {@link #properties}); a local configuration ignores them. {@code members} are {@code host[port]}.
     */
    public record Cluster(String name, String bindAddress, int port, int portRange, int failureDetectionOffset, List<String> members,
                          Duration stateTransferTimeout) {
        public Cluster {
            members = List.copyOf(members);
        }

        /** The one place that names the properties that config/infinispan-cluster.xml uses. */
        public Map<String, String> properties() {
            return Map.of(
                "gridpush.cluster.name", name,
                "gridpush.cluster.bindAddress", bindAddress,
                "gridpush.cluster.port", Integer.toString(port),
                "gridpush.cluster.portRange", Integer.toString(portRange),
                "gridpush.cluster.failureDetectionOffset", Integer.toString(failureDetectionOffset),
                "gridpush.cluster.members", String.join(",", members),
                "gridpush.cluster.stateTransferTimeout", Long.toString(stateTransferTimeout.toMillis()));
        }
    }
}
