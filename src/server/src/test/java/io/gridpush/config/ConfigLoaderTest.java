package io.gridpush.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.server.Gateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad configurations stop start-up with one message that names the setting and the fix. */
class ConfigLoaderTest {
    @Test
    void theEmbeddedDefaultExposesDefaultAndDemoToAnonymousOnLoopback() {
        GatewayConfig config = ConfigLoader.load(null, Map.of());
        assertEquals("127.0.0.1", config.http().host());
        assertEquals(8080, config.http().port());
        assertEquals(java.util.Set.of("default", "demo"), config.caches().keySet());
        assertTrue(config.caches().get("demo").canWrite("anonymous"));
        assertTrue(config.security().anonymous());
    }

    @Test
    void theProductionExampleLoadsWithItsSecretsSupplied(@TempDir Path dir) throws Exception {
        Path keystore = Files.createFile(dir.resolve("gateway.p12"));
        GatewayConfig config = ConfigLoader.load(Path.of("config/production.conf"),
            Map.of("tls.keystore", keystore.toString(), "tls.keystorePassword", "secret"));
        assertTrue(config.tls().enabled());
        assertEquals("redirect", config.tls().plainHttp());
        assertTrue(!config.security().anonymous(), "anonymous access is off");
        assertEquals(java.util.Set.of("prices"), config.caches().keySet());
        assertEquals(1, config.security().originPatterns().size());
        assertTrue(!config.demo().feeder());
    }

    @Test
    void overridesReplaceSingleKeys() {
        GatewayConfig config = ConfigLoader.load(null, Map.of("http.port", "0", "http.host", "0.0.0.0", "bayeux.transports", "[long-polling]"));
        assertEquals(0, config.http().port());
        assertEquals("0.0.0.0", config.http().host());
        assertEquals(java.util.List.of("long-polling"), config.bayeux().transports());
    }

    @Test
    void badSettingsAreNamedWithTheFix() {
        assertMessage(Map.of("http.port", "70000"), "http.port", "0-65535");
        assertMessage(Map.of("http.port", "eighty"), "http.port", "");
        assertMessage(Map.of("htp.port", "80"), "unknown setting 'htp.port'", "config/gridpush.conf");
        assertMessage(Map.of("bayeux.transports", "[carrier-pigeon]"), "bayeux.transports", "websocket");
        assertMessage(Map.of("bayeux.wsIdleTimeout", "1s"), "bayeux.wsIdleTimeout", "longer than bayeux.timeout");
        assertMessage(Map.of("infinispan.config", "missing.xml"), "infinispan.config 'missing.xml'", "Infinispan XML");
        // Not a silent fall-back to the jar's copy of the same name: the error says how to ask for it.
        assertMessage(Map.of("infinispan.config", "infinispan-cluster.xml"), "is not a readable file", "embedded:infinispan-cluster.xml");
        assertMessage(Map.of("infinispan.config", "embedded:nope.xml"), "the jar has no such file", "embedded:infinispan.xml");
        assertMessage(Map.of("cluster.bindAddress", "0.0.0.0"), "cluster.bindAddress", "one interface");
        assertMessage(Map.of("cluster.members", "10.0.0.5:7800"), "cluster.members", "host[port]");
        assertMessage(Map.of("cluster.name", "a b"), "cluster.name", "[A-Za-z0-9._-]");
        // "No limit" has one spelling, -1; any other negative number is a mistake, not a quiet "unlimited".
        assertMessage(Map.of("limits.sessionsPerAddress", "-5"), "limits.sessionsPerAddress", "-1 for no limit");
        assertMessage(Map.of("limits.operationsPerSecond", "0"), "limits.operationsPerSecond", "refuse everything");
        assertMessage(Map.of("demo.cache", "scores"), "demo.cache", "set demo.feeder = false");
        assertMessage(Map.of("delivery.flushThreads", "-1"), "delivery.flushThreads", "0 for half the cores");
        assertMessage(Map.of("delivery.conflateAt", "0"), "delivery.conflateAt", "at least 16");
        assertMessage(Map.of("events.lanes", "-2"), "events.lanes", "0 for half the cores");
        assertMessage(Map.of("bayeux.pollInterval", "6000"), "bayeux.pollInterval", "well under bayeux.maxInterval");
        assertMessage(Map.of("security.jwt.jwksUrl", "file:///etc/keys.json"), "security.jwt.jwksUrl", "https URL");
        assertMessage(Map.of("security.jwt.jwksUrl", "https://a b/"), "security.jwt.jwksUrl", "not a URL");
        assertMessage(Map.of("security.jwt.clockSkew", "1h"), "security.jwt.clockSkew", "0s to 10m");
        assertMessage(Map.of("security.jwt.jwksMinRefetch", "10m"), "security.jwt.jwksMinRefetch", "under security.jwt.jwksCacheTtl");
    }

    @Test
    void clusterSettingsReachTheInfinispanXmlAsProperties() {
        GatewayConfig config = ConfigLoader.load(null, Map.of("cluster.name", "blue", "cluster.members", "10.0.0.5[7800], 10.0.0.6[7800]"));
        Map<String, String> properties = config.cluster().properties();
        assertEquals("blue", properties.get("gridpush.cluster.name"));
        assertEquals("10.0.0.5[7800],10.0.0.6[7800]", properties.get("gridpush.cluster.members"));
        assertEquals("127.0.0.1", properties.get("gridpush.cluster.bindAddress"), "loopback unless told otherwise");
    }

    @Test
    void pushThreadsDefaultToTheMachineAndCanBeSet() {
        int cores = Runtime.getRuntime().availableProcessors();
        GatewayConfig auto = ConfigLoader.load(null, Map.of());
        assertEquals(Math.max(1, cores / 2), auto.delivery().flushThreads());
        assertEquals(Math.max(2, cores / 2), auto.events().lanes(), "at least two lanes: a lane also answers long polls");
        GatewayConfig set = ConfigLoader.load(null, Map.of("delivery.flushThreads", "3", "events.lanes", "5"));
        assertEquals(3, set.delivery().flushThreads());
        assertEquals(5, set.events().lanes());
    }

    @Test
    void conflationStartsAtConflateAtCappedByMaxQueue() {
        GatewayConfig defaults = ConfigLoader.load(null, Map.of());
        assertEquals(1000, defaults.delivery().conflateAt());
        assertEquals(12000, defaults.delivery().maxQueue());
        assertEquals(20000, ConfigLoader.load(null, Map.of("delivery.maxQueue", "20000", "delivery.conflateAt", "30000")).delivery().maxQueue());
        assertEquals(20000, ConfigLoader.load(null, Map.of("delivery.maxQueue", "20000", "delivery.conflateAt", "30000")).delivery().conflateAt(),
            "at most maxQueue");
    }

    @Test
    void aFileReplacesTheCacheListAndMustNameExistingCaches(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("prod.conf");
        Files.writeString(file, "http.port = 0\ndemo.feeder = false\ncaches { scores { read = [\"*\"], write = [] } }\n");
        GatewayConfig config = ConfigLoader.load(file, Map.of());
        assertEquals(java.util.Set.of("scores"), config.caches().keySet(), "a file's cache list replaces the demo caches");
        ConfigLoader.ConfigError error = assertThrows(ConfigLoader.ConfigError.class, () -> {
            Gateway gateway = Gateway.create(config);
            try {
                gateway.start();
            } catch (Exception x) {
                Throwable cause = x;
                while (cause.getCause() != null && !(cause instanceof ConfigLoader.ConfigError)) {
                    cause = cause.getCause();
                }
                if (cause instanceof ConfigLoader.ConfigError configError) {
                    throw configError;
                }
                throw x;
            } finally {
                gateway.stop();
            }
        });
        assertTrue(error.getMessage().startsWith("caches.scores is exposed but"), error.getMessage());
        assertTrue(error.getMessage().contains("<local-cache name=\"scores\"/>"), error.getMessage());
        assertThrows(ConfigLoader.ConfigError.class, () -> ConfigLoader.load(dir.resolve("nope.conf"), Map.of()));
    }

    private static void assertMessage(Map<String, String> overrides, String names, String fix) {
        ConfigLoader.ConfigError error = assertThrows(ConfigLoader.ConfigError.class, () -> ConfigLoader.load(null, overrides));
        assertTrue(error.getMessage().contains(names) && error.getMessage().contains(fix), error.getMessage());
    }
}
