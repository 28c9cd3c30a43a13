package io.gridpush.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.Browser;
import io.gridpush.testkit.Nginx;
import io.gridpush.testkit.TestGateway;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The demo page and the browser client in real Chromium: directly over each transport, behind an nginx
 * that strips the WebSocket upgrade, behind an nginx that cuts idle connections, across a gateway
 * restart, and with the demo feeder on. Screenshots go to target/screenshots/.
 */
class BrowserDemoTest {
    @RegisterExtension
    static final TestGateway gateway = TestGateway.of();

    @BeforeAll
    static void chromium() {
        Browser.assumeInstalled();
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "long-polling"})
    void thePageShowsTheEntriesAndAJavaPutAppears(String transport) throws Exception {
        String key = "board-" + transport;
        gateway.gateway().grid().cache("demo").put(key, Map.of("n", 1), -1, -1);
        try (Browser browser = Browser.open(1200, 800)) {
            String query = transport.equals("long-polling") ? "?transport=long-polling" : "";
            browser.get(gateway.gateway().uri() + query);
            awaitConnected(browser, transport);
            browser.await(d -> value(browser, key).equals("{\"n\":1}"));

            GridpushClient java = gateway.shared(Transport.WEBSOCKET);
            long version = Await.result(java.cache("demo").put(key, List.of(2, 1))).version();
            browser.await(d -> String.valueOf(version).equals(attribute(browser, key, "data-version")));
            assertEquals("[2,1]", value(browser, key));
            browser.screenshot("direct-" + transport);
        }
    }

    @Test
    void behindAProxyThatStripsUpgradeThePageFallsBackToLongPolling() throws Exception {
        String key = "proxied";
        try (Nginx nginx = Nginx.start(gateway.gateway().uri().getPort(), """
                proxy_set_header Upgrade "";
                proxy_set_header Connection "";
                """);
             Browser browser = Browser.open(1200, 800)) {
            gateway.gateway().grid().cache("demo").put("before-" + key, "already there", -1, -1);
            browser.get("http://127.0.0.1:" + nginx.port() + "/");
            awaitConnected(browser, "long-polling");
            browser.await(d -> value(browser, "before-" + key).equals("\"already there\""));
            long version = Await.result(gateway.shared(Transport.WEBSOCKET).cache("demo").put(key, "through the proxy")).version();
            browser.await(d -> String.valueOf(version).equals(attribute(browser, key, "data-version")));
            assertEquals("\"through the proxy\"", value(browser, key));
            browser.screenshot("proxy-no-websocket");
        }
    }

    /**
     * nginx's default: responses buffered (small buffers, so a snapshot page spills to its temporary file).
     * A long poll is a whole response, held by the gateway until there is something to say, so buffering
     * delays nothing; an upgraded WebSocket is passed through unbuffered.
     */
    @ParameterizedTest
    @ValueSource(strings = {"websocket", "long-polling"})
    void behindABufferingProxyUpdatesStillArrive(String transport) throws Exception {
        String key = "buffered-" + transport;
        try (Nginx nginx = Nginx.start(gateway.gateway().uri().getPort(), """
                proxy_set_header Upgrade $http_upgrade;
                proxy_set_header Connection $connection_upgrade;
                proxy_buffering on;
                proxy_buffer_size 4k;
                proxy_buffers 4 4k;
                proxy_max_temp_file_size 1m;
                """);
             Browser browser = Browser.open(1200, 800)) {
            gateway.gateway().grid().cache("demo").put("before-" + key, "already there", -1, -1);
            browser.get("http://127.0.0.1:" + nginx.port() + "/" + (transport.equals("long-polling") ? "?transport=long-polling" : ""));
            awaitConnected(browser, transport);
            browser.await(d -> value(browser, "before-" + key).equals("\"already there\""));
            var cache = gateway.shared(Transport.WEBSOCKET).cache("demo");
            for (int i = 0; i < 3; ++i) {
                long version = Await.result(cache.put(key, "buffered " + i)).version();
                browser.await(d -> String.valueOf(version).equals(attribute(browser, key, "data-version")));
            }
            assertEquals("\"buffered 2\"", value(browser, key));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "long-polling"})
    void behindAProxyThatCutsIdleConnectionsNoUpdateIsLost(String transport) throws Exception {
        String key = "ticker-" + transport;
        try (Nginx nginx = Nginx.start(gateway.gateway().uri().getPort(), """
                proxy_set_header Upgrade $http_upgrade;
                proxy_set_header Connection $connection_upgrade;
                proxy_read_timeout 10s;
                """);
             Browser browser = Browser.open(1200, 800)) {
            String query = transport.equals("long-polling") ? "?transport=long-polling" : "";
            browser.get("http://127.0.0.1:" + nginx.port() + "/" + query);
            awaitConnected(browser, transport);
            // Spread the writes over 26 s, so the proxy cuts idle connections (10 s) at least twice meanwhile.
            Set<Long> written = new HashSet<>();
            var cache = gateway.shared(Transport.WEBSOCKET).cache("demo");
            for (int i = 0; i < 12; ++i) {
                written.add(Await.result(cache.put(key, i)).version());
                // Pauses between writes are what the test is about: quiet periods longer than the proxy's 10 s.
                if (i % 4 == 3) {
                    Thread.sleep(11_000);
                }
            }
            long last = written.stream().mapToLong(Long::longValue).max().orElseThrow();
            browser.await(d -> String.valueOf(last).equals(attribute(browser, key, "data-version")));
            List<Long> applied = new java.util.ArrayList<>();
            for (Object entry : (List<?>)browser.script("return window.gridpushDemo.applied.filter(e => e.key === arguments[0]).map(e => e.version)", key)) {
                applied.add(((Number)entry).longValue());
            }
            for (int i = 1; i < applied.size(); ++i) {
                assertTrue(applied.get(i) > applied.get(i - 1), "the page never went backwards: " + applied);
            }
            assertTrue(written.containsAll(applied), "the page applied only written versions");
            if (transport.equals("long-polling")) {
                // The session survives the cut (its cookie), and the acknowledgement extension replays what was in flight.
                assertEquals(written, new HashSet<>(applied), "every update reached the page, none lost across the cuts");
            }
            // Over WebSocket a cut connection must handshake again (a session is bound to its connection, against
            // hijacking); changes made meanwhile come back as the re-sync's snapshot, which the final check covers.
            browser.screenshot("proxy-idle-cuts-" + transport);
        }
    }

    @Test
    void afterAGatewayRestartThePageResyncsAndShowsNoStaleRow() throws Exception {
        int port = Nginx.freePort();
        Map<String, String> settings = Map.of("http.port", String.valueOf(port));
        TestGateway first = TestGateway.start(settings);
        try (Browser browser = Browser.open(1200, 800)) {
            try {
                first.gateway().grid().cache("demo").put("old-1", "before", -1, -1);
                first.gateway().grid().cache("demo").put("kept", "before", -1, -1);
                browser.get(first.gateway().uri().toString());
                awaitConnected(browser, "websocket");
                browser.await(d -> browser.row("old-1") != null && browser.row("kept") != null);
            } finally {
                first.close();
            }
            try (TestGateway second = TestGateway.start(settings)) {
                second.gateway().grid().cache("demo").put("kept", "after", -1, -1);
                second.gateway().grid().cache("demo").put("new-1", "after", -1, -1);
                browser.await(d -> browser.row("new-1") != null && browser.row("old-1") == null);
                browser.await(d -> value(browser, "kept").equals("\"after\""));
                awaitConnected(browser, "websocket");
                assertNull(browser.row("old-1"), "no stale row");
                browser.screenshot("after-restart");
            }
        }
    }

    @Test
    void theDemoIsAliveOutOfTheBox() throws Exception {
        try (TestGateway live = TestGateway.start(Map.of("demo.feeder", "true", "demo.interval", "150ms"));
             Browser browser = Browser.open(1200, 760)) {
            browser.get(live.gateway().uri().toString());
            awaitConnected(browser, "websocket");
            browser.await(d -> browser.row("match-1") != null && browser.row("match-4") != null);
            Map<String, String> versions = new java.util.HashMap<>();
            for (String key : List.of("match-1", "match-2", "match-3", "match-4")) {
                versions.put(key, attribute(browser, key, "data-version"));
            }
            browser.await(d -> versions.entrySet().stream().anyMatch(e -> !e.getValue().equals(attribute(browser, e.getKey(), "data-version"))));
            browser.await(d -> !browser.text("rate").equals("0"));
            browser.screenshot("demo");
        }
        try (TestGateway live = TestGateway.start(Map.of("demo.feeder", "true"));
             Browser phone = Browser.open(390, 844)) {
            phone.get(live.gateway().uri().toString());
            phone.await(d -> phone.row("match-1") != null);
            phone.screenshot("demo-phone");
            Long overflow = (Long)phone.script("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
            assertTrue(overflow <= 0, "the page fits a phone's width");
        }
    }

    private static void awaitConnected(Browser browser, String transport) {
        browser.await(d -> browser.text("status").equals("connected") && browser.text("transport").equals(transport));
    }

    private static String value(Browser browser, String key) {
        String value = attribute(browser, key, "data-value");
        return value == null ? "" : value;
    }

    private static String attribute(Browser browser, String key, String name) {
        Map<String, String> row = browser.row(key);
        return row == null ? null : row.get(name.replace("data-", ""));
    }
}
