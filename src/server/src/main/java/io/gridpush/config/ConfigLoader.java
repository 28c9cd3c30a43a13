package io.gridpush.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads {@link GatewayConfig}: the embedded default ({@code config/gridpush.conf}, packaged in the jar),
 * under an optional file, under {@code --KEY=VALUE} overrides. Every failure is a
 * {@link ConfigError} whose message names the setting and the fix.
 */
public final class ConfigLoader {
    /** The prefix of an infinispan.config shipped in the jar. */
    public static final String EMBEDDED = "embedded:";
    /** The classpath name of the embedded default configuration. */
    public static final String DEFAULT_RESOURCE = "gridpush.conf";
    private static final Set<String> OPEN_SECTIONS = Set.of("caches", "security.tokens");
    private static final List<String> TRANSPORTS = List.of("websocket", "long-polling");

    private ConfigLoader() {
    }

    public static GatewayConfig load(Path file, Map<String, String> overrides) {
        Config defaults = ConfigFactory.parseResources(DEFAULT_RESOURCE, ConfigParseOptions.defaults().setAllowMissing(false));
        Config fileConfig = ConfigFactory.empty();
        if (file != null) {
            if (!Files.isReadable(file)) {
                throw new ConfigError("--config " + file + ": no such readable file; pass the path of a gridpush .conf file");
            }
            fileConfig = parse(() -> ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)));
            checkKnown(fileConfig, defaults, "in " + file);
        }
        Config overrideConfig = parse(() -> overrides(overrides));
        checkKnown(overrideConfig, defaults, "on the command line");
        // The environment, with Typesafe Config's own convention: CONFIG_FORCE_http_port=8081 sets http.port.
        Config environment = parse(ConfigFactory::systemEnvironmentOverrides);
        checkKnown(environment, defaults, "in the environment (CONFIG_FORCE_...)");
        // Sections that the user lists in full (which caches, which tokens) replace the defaults rather
        // than merge with them: a production file that names its caches must not also expose the demo ones.
        Config base = defaults;
        for (String section : OPEN_SECTIONS) {
            if (fileConfig.hasPath(section)) {
                base = base.withoutPath(section);
            }
        }
        Config merged = overrideConfig.withFallback(environment).withFallback(fileConfig).withFallback(base).resolve();
        try {
            return build(merged, file);
        } catch (ConfigException x) {
            throw new ConfigError(x.getMessage());
        }
    }

    /** Every setting of the embedded defaults and its value as HOCON, in order of the keys; for --help. */
    public static java.util.SortedMap<String, String> defaults() {
        Config defaults = ConfigFactory.parseResources(DEFAULT_RESOURCE, ConfigParseOptions.defaults().setAllowMissing(false));
        java.util.SortedMap<String, String> result = new java.util.TreeMap<>();
        for (Map.Entry<String, ConfigValue> entry : defaults.entrySet()) {
            result.put(entry.getKey(), entry.getValue().render(com.typesafe.config.ConfigRenderOptions.concise()));
        }
        return result;
    }

    /** {@code KEY=VALUE} pairs; a value in brackets or braces is a HOCON list or object, anything else a string. */
    private static Config overrides(Map<String, String> overrides) {
        Config result = ConfigFactory.empty();
        for (Map.Entry<String, String> entry : overrides.entrySet()) {
            String value = entry.getValue().strip();
            Config one = value.startsWith("[") || value.startsWith("{")
                ? ConfigFactory.parseString(entry.getKey() + " = " + value)
                : ConfigFactory.parseMap(Map.of(entry.getKey(), entry.getValue()), "command line");
            result = one.withFallback(result);
        }
        return result;
    }

    private static Config parse(java.util.function.Supplier<Config> parser) {
        try {
            return parser.get();
        } catch (ConfigException x) {
            throw new ConfigError(x.getMessage());
        }
    }

    private static void checkKnown(Config config, Config defaults, String where) {
        for (Map.Entry<String, ConfigValue> entry : config.entrySet()) {
            String path = entry.getKey();
            boolean open = OPEN_SECTIONS.stream().anyMatch(s -> path.startsWith(s + "."));
            if (!open && !defaults.hasPath(path)) {
                throw new ConfigError("unknown setting '" + path + "' " + where + "; the settings are listed in config/gridpush.conf");
            }
        }
    }

    private static GatewayConfig build(Config c, Path file) {
        GatewayConfig.Http http = new GatewayConfig.Http(c.getString("http.host"), c.getInt("http.port"),
            c.getDuration("limits.httpIdleTimeout").toMillis(), c.getDuration("limits.httpHeaderTimeout").toMillis(),
            c.getDuration("limits.webSocketMessageTimeout").toMillis(), c.getLong("limits.minRequestDataRate"), c.getDuration("http.drain").toMillis(),
            c.getStringList("http.trustedProxies"));
        for (String proxy : http.trustedProxies()) {
            require(AddressRange.isRange(proxy), "http.trustedProxies",
                "holds '" + proxy + "'; list IP addresses or CIDR ranges of your balancers, for example [\"10.0.0.0/8\", \"127.0.0.1\"]");
        }
        require(http.headerTimeoutMs() > 0, "limits.httpHeaderTimeout", "must be positive, for example 10s");
        require(http.webSocketMessageTimeoutMs() > 0, "limits.webSocketMessageTimeout", "must be positive, for example 30s");
        require(http.port() >= 0 && http.port() <= 65535, "http.port", "is " + http.port() + "; use 0-65535 (0 picks a free port)");
        require(!http.host().isBlank(), "http.host", "is empty; use 127.0.0.1 or 0.0.0.0");

        GatewayConfig.Tls tls = new GatewayConfig.Tls(c.getBoolean("tls.enabled"), c.getInt("tls.port"), c.getString("tls.keystore"),
            c.getString("tls.keystorePassword"), c.getString("tls.plainHttp"));
        if (tls.enabled()) {
            require(tls.port() >= 0 && tls.port() <= 65535, "tls.port", "is " + tls.port() + "; use 0-65535");
            require(Files.isReadable(resolve(tls.keystore(), file)), "tls.keystore",
                "'" + tls.keystore() + "' is not a readable file; point it at a PKCS12 keystore (keytool -genkeypair -storetype PKCS12 ...)");
            require(List.of("redirect", "refuse", "serve").contains(tls.plainHttp()), "tls.plainHttp",
                "is '" + tls.plainHttp() + "'; use redirect, refuse or serve");
            tls = new GatewayConfig.Tls(true, tls.port(), resolve(tls.keystore(), file).toString(), tls.keystorePassword(), tls.plainHttp());
        }

        List<String> transports = stringList(c, "bayeux.transports");
        require(!transports.isEmpty() && TRANSPORTS.containsAll(transports), "bayeux.transports",
            "is " + transports + "; use a non-empty list of " + TRANSPORTS);
        GatewayConfig.Bayeux bayeux = new GatewayConfig.Bayeux(transports,
            c.getDuration("bayeux.timeout").toMillis(), c.getDuration("bayeux.maxInterval").toMillis(),
            c.getDuration("bayeux.pollInterval").toMillis(), c.getInt("bayeux.maxSessionsPerBrowser"),
            c.getDuration("bayeux.wsIdleTimeout").toMillis(), c.getString("bayeux.cookieSameSite"));
        require(List.of("Strict", "Lax", "None").contains(bayeux.cookieSameSite()), "bayeux.cookieSameSite",
            "is '" + bayeux.cookieSameSite() + "'; use Strict, Lax or None");
        require(bayeux.timeoutMs() > 0, "bayeux.timeout", "must be positive");
        require(bayeux.pollIntervalMs() >= 0 && bayeux.pollIntervalMs() < bayeux.maxIntervalMs() / 2, "bayeux.pollInterval",
            "is " + bayeux.pollIntervalMs() + " ms; use 0 or more, well under bayeux.maxInterval (" + bayeux.maxIntervalMs()
            + " ms), or long-polling sessions expire between polls");
        require(bayeux.wsIdleTimeoutMs() > bayeux.timeoutMs(), "bayeux.wsIdleTimeout",
            "must be longer than bayeux.timeout (" + bayeux.timeoutMs() + " ms) or idle WebSockets are cut mid-poll");

        Map<String, String> tokens = new LinkedHashMap<>();
        Config tokenConfig = c.getConfig("security.tokens");
        for (Map.Entry<String, ConfigValue> entry : tokenConfig.root().entrySet()) {
            tokens.put(entry.getKey(), String.valueOf(entry.getValue().unwrapped()));
        }
        GatewayConfig.Jwt jwt = new GatewayConfig.Jwt(c.getString("security.jwt.hmacSecret"), rsaPublicKey(c.getString("security.jwt.rsaPublicKey")),
            jwksUrl(c.getString("security.jwt.jwksUrl")), c.getDuration("security.jwt.jwksCacheTtl"), c.getDuration("security.jwt.jwksMinRefetch"),
            c.getString("security.jwt.issuer"), c.getString("security.jwt.audience"), c.getString("security.jwt.rightsClaim"),
            c.getDuration("security.jwt.clockSkew"));
        require(!jwt.clockSkew().isNegative() && jwt.clockSkew().compareTo(java.time.Duration.ofMinutes(10)) <= 0, "security.jwt.clockSkew",
            "is " + jwt.clockSkew() + "; use 0s to 10m, for example 30s");
        require(jwt.jwksCacheTtl().toMillis() >= 1000, "security.jwt.jwksCacheTtl", "must be at least 1s, for example 5m");
        require(!jwt.jwksMinRefetch().isNegative() && jwt.jwksMinRefetch().compareTo(jwt.jwksCacheTtl()) < 0, "security.jwt.jwksMinRefetch",
            "is " + jwt.jwksMinRefetch() + "; use 0s or more, under security.jwt.jwksCacheTtl (" + jwt.jwksCacheTtl() + "), for example 10s");
        require(jwt.hmacSecret().isEmpty() || jwt.hmacSecret().getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= 32,
            "security.jwt.hmacSecret", "is shorter than 32 bytes; HS256 needs a secret of at least 256 bits");
        Set<String> origins = new java.util.LinkedHashSet<>();
        for (String origin : stringList(c, "security.origins")) {
            require(origin.matches("https?://[^/]+"), "security.origins",
                "holds '" + origin + "'; write origins as scheme://host[:port], for example https://app.example.com or http://127.0.0.1:*");
            origins.add(originPattern(origin));
        }
        GatewayConfig.Security security = new GatewayConfig.Security(c.getBoolean("security.anonymous"), tokens, origins, jwt);

        Map<String, GatewayConfig.CacheAccess> caches = new LinkedHashMap<>();
        Config cacheConfig = c.getConfig("caches");
        for (String name : cacheConfig.root().keySet()) {
            require(io.gridpush.protocol.ChannelNames.isValidCacheName(name), "caches." + name,
                "is not a valid cache name; use 1-64 of [A-Za-z0-9_-]");
            Config access = cacheConfig.getConfig(quote(name));
            caches.put(name, new GatewayConfig.CacheAccess(
                Set.copyOf(access.getStringList("read")), Set.copyOf(access.getStringList("write")), keyRules(name, access)));
        }
        require(!caches.isEmpty(), "caches", "is empty; expose at least one cache");

        GatewayConfig.Limits limits = new GatewayConfig.Limits(c.getInt("limits.valueBytes"), c.getInt("limits.messageBytes"),
            c.getInt("limits.snapshotEntries"), c.getInt("limits.operationsPerSecond"), c.getInt("limits.subscriptionsPerSession"),
            c.getInt("limits.sessionsPerAddress"), c.getInt("limits.handshakesPerSecondPerAddress"));
        for (String limit : List.of("operationsPerSecond", "subscriptionsPerSession", "sessionsPerAddress", "handshakesPerSecondPerAddress")) {
            int value = c.getInt("limits." + limit);
            require(value > 0 || GatewayConfig.Limits.unlimited(value), "limits." + limit,
                "is " + value + (value == 0 ? ", which would refuse everything" : "") + "; use a positive number, or -1 for no limit");
        }
        require(limits.valueBytes() > 0, "limits.valueBytes", "must be positive");
        require(limits.messageBytes() >= 2 * limits.valueBytes(), "limits.messageBytes",
            "must be at least twice limits.valueBytes (" + limits.valueBytes() + ") so that oversized values get a too_large reply");
        require(limits.snapshotEntries() >= 0, "limits.snapshotEntries", "must be zero or more");

        int lanes = c.getInt("events.lanes");
        require(lanes >= 0 && lanes <= 256, "events.lanes", "is " + lanes + "; use 1-256, or 0 for half the cores (at least 2)");
        GatewayConfig.Events events = new GatewayConfig.Events(lanes > 0 ? lanes : Math.max(2, halfTheCores()), c.getInt("events.laneCapacity"));
        require(events.laneCapacity() >= 16, "events.laneCapacity", "must be at least 16");

        GatewayConfig.Versions versions = new GatewayConfig.Versions(c.getDuration("versions.tombstoneLifespan"));
        require(!versions.tombstoneLifespan().isNegative() && !versions.tombstoneLifespan().isZero(),
            "versions.tombstoneLifespan", "must be positive, for example 1h");

        int flushThreads = c.getInt("delivery.flushThreads");
        require(flushThreads >= 0 && flushThreads <= 1024, "delivery.flushThreads", "is " + flushThreads + "; use 1-1024, or 0 for half the cores");
        int conflateAt = c.getInt("delivery.conflateAt");
        require(conflateAt >= 16, "delivery.conflateAt", "is " + conflateAt + "; use at least 16");
        int maxQueue = c.getInt("delivery.maxQueue");
        GatewayConfig.Delivery delivery = new GatewayConfig.Delivery(maxQueue, Math.min(conflateAt, maxQueue),
            flushThreads > 0 ? flushThreads : halfTheCores(), c.getDuration("delivery.writeLagLimit").toMillis());
        require(delivery.writeLagLimitMs() >= 0, "delivery.writeLagLimit", "is negative; use for example 2s, or 0 to never refuse writes");
        require(delivery.maxQueue() >= 16, "delivery.maxQueue", "is " + delivery.maxQueue() + "; use at least 16");
        long resync = (long)limits.snapshotEntries() + Math.max(0, limits.subscriptionsPerSession());
        require(limits.subscriptionsPerSession() >= 0 && delivery.maxQueue() > resync, "delivery.maxQueue",
            "must be above limits.snapshotEntries + limits.subscriptionsPerSession (" + resync + ", and the latter must be set): " +
            "a session that fell behind must be able to queue one resync per subscription and a whole wildcard snapshot");
        GatewayConfig.Demo demo = new GatewayConfig.Demo(c.getBoolean("demo.feeder"), c.getString("demo.cache"),
            c.getDuration("demo.interval"));
        require(!demo.feeder() || caches.containsKey(demo.cache()), "demo.cache",
            "is '" + demo.cache() + "', which is not in caches; name an exposed cache or set demo.feeder = false");
        require(!demo.interval().isNegative() && !demo.interval().isZero(), "demo.interval", "must be positive, for example 700ms");

        return new GatewayConfig(http, tls, bayeux, infinispanUrl(c.getString("infinispan.config"), file), security, caches,
            limits, events, versions, demo, delivery, cluster(c), new GatewayConfig.Metrics(c.getBoolean("metrics.open"), c.getString("metrics.token")));
    }

    private static GatewayConfig.Cluster cluster(Config c) {
        GatewayConfig.Cluster cluster = new GatewayConfig.Cluster(c.getString("cluster.name"), c.getString("cluster.bindAddress"),
            c.getInt("cluster.port"), c.getInt("cluster.portRange"), c.getInt("cluster.failureDetectionOffset"),
            stringList(c, "cluster.members"), c.getDuration("cluster.stateTransferTimeout"));
        require(cluster.name().matches("[A-Za-z0-9._-]{1,100}"), "cluster.name", "is '" + cluster.name() + "'; use 1-100 of [A-Za-z0-9._-]");
        require(!cluster.bindAddress().isBlank() && !cluster.bindAddress().equals("0.0.0.0") && !cluster.bindAddress().equals("::"),
            "cluster.bindAddress", "is '" + cluster.bindAddress() + "'; name one interface's address (cluster traffic is not authenticated)");
        require(cluster.port() > 0 && cluster.port() < 65536, "cluster.port", "must be 1-65535");
        require(cluster.portRange() >= 1 && cluster.portRange() <= 100, "cluster.portRange", "must be 1-100");
        require(cluster.port() + cluster.portRange() + cluster.failureDetectionOffset() < 65536, "cluster.failureDetectionOffset",
            "puts failure detection beyond port 65535; lower it or cluster.port");
        require(!cluster.members().isEmpty(), "cluster.members", "is empty; list at least this node, as host[port]");
        for (String member : cluster.members()) {
            require(member.matches("[^\\s\\[\\],]+\\[\\d{1,5}]"),
                "cluster.members", "has '" + member + "'; write each as host[port], for example 10.0.0.5[7800]");
        }
        require(cluster.stateTransferTimeout().toMillis() >= 1000, "cluster.stateTransferTimeout", "must be at least 1s");
        return cluster;
    }

    /** A path as written, relative to the configuration file's folder when there is one. */
    private static Path resolve(String name, Path configFile) {
        Path path = Path.of(name);
        return path.isAbsolute() || configFile == null ? path : configFile.toAbsolutePath().getParent().resolve(name);
    }

    /**
     * The Infinispan XML: {@code embedded:NAME} for a copy shipped in the jar (config/ of the source tree),
     * anything else a file, relative to the configuration file's folder (or the working directory). A file
     * that is not there is an error, never a silent fall-back to the jar's copy of the same name.
     */
    private static URL infinispanUrl(String name, Path configFile) {
        if (name.startsWith(EMBEDDED)) {
            String resource = name.substring(EMBEDDED.length());
            URL embedded = resource.contains("..") ? null : ConfigLoader.class.getClassLoader().getResource(resource);
            if (embedded == null) {
                throw new ConfigError("infinispan.config '" + name + "': the jar has no such file; it ships " +
                    EMBEDDED + "infinispan.xml, " + EMBEDDED + "infinispan-cluster.xml and " + EMBEDDED + "infinispan-persistent.xml");
            }
            return embedded;
        }
        Path path;
        try {
            path = resolve(name, configFile).toAbsolutePath();
        } catch (RuntimeException x) {
            throw new ConfigError("infinispan.config '" + name + "' is not a usable path: " + x.getMessage());
        }
        if (!Files.isReadable(path)) {
            boolean shipped = ConfigLoader.class.getClassLoader().getResource(name) != null && !name.contains("/");
            throw new ConfigError("infinispan.config '" + name + "' is not a readable file (" + path + "); point it at an Infinispan XML file" +
                (shipped ? ", or write " + EMBEDDED + name + " for the copy in the jar" : ""));
        }
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException x) {
            throw new ConfigError("infinispan.config '" + name + "' is not a usable path: " + x.getMessage());
        }
    }

    /** An origin with "*" wildcards as a regular expression; "*" stands for one DNS label or a port (letters, digits, "-"). */
    static String originPattern(String origin) {
        String[] parts = origin.split("\\*", -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; ++i) {
            if (i > 0) {
                regex.append("[A-Za-z0-9-]*");
            }
            regex.append(java.util.regex.Pattern.quote(parts[i]));
        }
        return regex.toString();
    }

    private static String quote(String name) {
        return "\"" + name + "\"";
    }

    /** A PEM RSA public key ("-----BEGIN PUBLIC KEY-----", X.509), or null for ""; anything else is a configuration error. */
    private static java.security.interfaces.RSAPublicKey rsaPublicKey(String pem) {
        if (pem.isBlank()) {
            return null;
        }
        try {
            String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return (java.security.interfaces.RSAPublicKey)java.security.KeyFactory.getInstance("RSA")
                .generatePublic(new java.security.spec.X509EncodedKeySpec(java.util.Base64.getDecoder().decode(base64)));
        } catch (java.security.GeneralSecurityException | IllegalArgumentException | ClassCastException x) {
            throw new ConfigError("security.jwt.rsaPublicKey is not an RSA public key in PEM (-----BEGIN PUBLIC KEY----- ...): " + x.getMessage());
        }
    }

    /** An http(s) URL of a JSON Web Key Set, or null for ""; anything else is a configuration error. */
    private static URL jwksUrl(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            java.net.URI uri = new java.net.URI(text);
            require(("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null, "security.jwt.jwksUrl",
                "is '" + text + "'; use the https URL of your identity provider's key set, for example https://login.example.com/.well-known/jwks.json");
            return uri.toURL();
        } catch (java.net.URISyntaxException | MalformedURLException | IllegalArgumentException x) {
            throw new ConfigError("security.jwt.jwksUrl is '" + text + "', not a URL: " + x.getMessage());
        }
    }

    /** A list setting; from the command line or the environment it may also be one string, separated by commas. */
    private static List<String> stringList(Config c, String path) {
        if (c.getValue(path).valueType() == com.typesafe.config.ConfigValueType.STRING) {
            return java.util.Arrays.stream(c.getString(path).split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
        }
        return c.getStringList(path);
    }

    /** {@code caches.<name>.keys}: a list of {@code {match, read, write}} per-key rules; read and write default to none. */
    private static List<GatewayConfig.KeyAccess> keyRules(String cache, Config access) {
        if (!access.hasPath("keys")) {
            return List.of();
        }
        List<GatewayConfig.KeyAccess> rules = new ArrayList<>();
        List<? extends Config> listed = access.getConfigList("keys");
        for (int i = 0; i < listed.size(); ++i) {
            Config rule = listed.get(i);
            String where = "caches." + cache + ".keys[" + i + "]";
            require(rule.hasPath("match"), where, "has no 'match'; write for example { match = \"user:{sub}:*\", read = [\"*\"] }");
            KeyPattern pattern;
            try {
                pattern = KeyPattern.parse(rule.getString("match"));
            } catch (IllegalArgumentException x) {
                throw new ConfigError(where + ".match is '" + rule.getString("match") + "': " + x.getMessage());
            }
            rules.add(new GatewayConfig.KeyAccess(pattern,
                Set.copyOf(rule.hasPath("read") ? rule.getStringList("read") : List.of()),
                Set.copyOf(rule.hasPath("write") ? rule.getStringList("write") : List.of())));
        }
        return rules;
    }

    private static void require(boolean ok, String setting, String fix) {
        if (!ok) {
            throw new ConfigError(setting + " " + fix);
        }
    }

    /** A configuration that cannot start a gateway; the message is meant for the operator, as is. */
    public static final class ConfigError extends RuntimeException {
        public ConfigError(String message) {
            super(message);
        }
    }

    /**
     * The default for delivery.flushThreads (and events.lanes, at least 2): the pushing threads about as
     * many as the cores, so that they do not take turns while holding session locks (bench fanout, README).
     */
    private static int halfTheCores() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }
}
