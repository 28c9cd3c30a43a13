package io.gridpush.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridpush.testkit.FreezingProxy;
import io.gridpush.cache.GridCache;
import io.gridpush.cache.Versioned;
import io.gridpush.testkit.Browser;
import io.gridpush.testkit.TestGateway;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The browser client on the resync path, in real Chromium: the page reaches the gateway through a loopback
 * proxy that stops forwarding while more distinct keys change than the session's backlog bound. The gateway
 * drops the backlog and sends {@code resync}; the page re-syncs from a snapshot that is itself truncated
 * (more entries than limits.snapshotEntries), completes it by paging, and ends showing exactly the cache:
 * new values, new keys, and no row for the keys removed meanwhile.
 */
class BrowserResyncTest {
    private static final int KEYS = 600;

    @BeforeAll
    static void chromium() {
        Browser.assumeInstalled();
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "long-polling"})
    void aFrozenPageIsToldToResyncAndShowsExactlyTheCache(String transport) throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of("delivery.maxQueue", "500",
                 "limits.snapshotEntries", "300", "limits.subscriptionsPerSession", "10"));
             FreezingProxy proxy = new FreezingProxy(gateway.gateway().uri().getPort());
             Browser browser = Browser.open(1200, 800)) {
            GridCache cache = gateway.gateway().grid().cache("demo");
            for (int k = 0; k < KEYS; ++k) {
                cache.put("r" + k, -1, -1, -1);
            }
            browser.get("http://127.0.0.1:" + proxy.port() + "/?transport=" + transport);
            browser.await(d -> browser.text("status").equals("connected") && browser.rows().equals(expected(cache)));

            proxy.freeze();
            for (int round = 0; round < 3; ++round) {
                for (int k = 0; k < KEYS; ++k) {
                    cache.put("r" + k, round, -1, -1);
                }
            }
            for (int k = 0; k < 50; ++k) {
                cache.remove("r" + k, -1);
            }
            for (int k = KEYS; k < KEYS + 20; ++k) {
                cache.put("r" + k, 9, -1, -1);
            }
            Map<String, String> expected = expected(cache);
            proxy.thaw();
            try {
                browser.await(d -> browser.rows().equals(expected));
            } finally {
                browser.screenshot("resync-" + transport);
            }
            assertEquals(expected, browser.rows());
        }
    }

    /** The demo cache as the board shows it: key -> value's JSON text. */
    private static Map<String, String> expected(GridCache cache) {
        Map<String, String> rows = new HashMap<>();
        for (int k = 0; k < KEYS + 20; ++k) {
            Versioned entry = cache.get("r" + k);
            if (entry != null) {
                rows.put(entry.key(), entry.json());
            }
        }
        return rows;
    }
}
