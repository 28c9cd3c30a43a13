package io.gridpush.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridpush.testkit.Browser;
import io.gridpush.testkit.Nginx;
import io.gridpush.testkit.TestGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.cometd.server.BayeuxServerImpl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;

/**
 * Many tabs of one browser on long polling: they share one Bayeux session (one long poll, where a browser
 * holds at most 6 connections per host), each writes and sees the others' writes, and when the leading
 * tab closes another takes over and every tab keeps working.
 */
class BrowserTabsTest {
    @BeforeAll
    static void chromium() {
        Browser.assumeInstalled();
    }

    @Test
    void tenTabsShareOneSessionAndSurviveTheirLeaderClosing() throws Exception {
        try (TestGateway gateway = TestGateway.start();
             Browser browser = Browser.open(1000, 700)) {
            tabsShareOneSession(gateway, browser, gateway.gateway().uri() + "?transport=long-polling", 10, "ten");
        }
    }

    @Test
    void twentyTabsBehindAProxyThatStripsUpgrade() throws Exception {
        try (TestGateway gateway = TestGateway.start();
             Nginx nginx = Nginx.start(gateway.gateway().uri().getPort(), """
                proxy_set_header Upgrade "";
                proxy_set_header Connection "";
                """);
             Browser browser = Browser.open(1000, 700)) {
            // No transport forced: WebSocket fails through this proxy and the client falls back to long polling.
            tabsShareOneSession(gateway, browser, "http://127.0.0.1:" + nginx.port() + "/", 20, "twenty");
        }
    }

    private static void tabsShareOneSession(TestGateway gateway, Browser browser, String url, int count, String prefix) {
        WebDriver driver = browser.driver();
        List<String> tabs = new ArrayList<>();
        for (int i = 0; i < count; ++i) {
            if (i > 0) {
                driver.switchTo().newWindow(WindowType.TAB);
            }
            driver.get(url);
            tabs.add(driver.getWindowHandle());
        }
        for (String tab : tabs) {
            driver.switchTo().window(tab);
            browser.await(d -> browser.text("status").equals("connected") && browser.text("transport").equals("long-polling"));
        }
        writeFromEveryTabAndSeeAll(browser, tabs, prefix + "-before-");
        assertEquals(1, sessions(gateway), "one Bayeux session for " + count + " tabs");

        String leader = null;
        for (String tab : tabs) {
            driver.switchTo().window(tab);
            if (Boolean.TRUE.equals(browser.script("return window.gridpushDemo.cache.cometd !== undefined"))) {
                leader = tab;
            }
        }
        driver.switchTo().window(leader).close();
        tabs.remove(leader);
        writeFromEveryTabAndSeeAll(browser, tabs, prefix + "-after-");
        // The closed leader's session is swept after bayeux.maxInterval; the new leader's remains.
        // (A long poll the gateway holds is noticed as gone only when it ends: bayeux.timeout, then bayeux.maxInterval.)
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> sessions(gateway) == 1);
    }

    /** Every tab puts a key of its own; then every tab shows every such key. */
    private static void writeFromEveryTabAndSeeAll(Browser browser, List<String> tabs, String prefix) {
        WebDriver driver = browser.driver();
        for (int i = 0; i < tabs.size(); ++i) {
            driver.switchTo().window(tabs.get(i));
            browser.script("window.gridpushDemo.cache.put(arguments[0], arguments[1])", prefix + i, i);
        }
        for (String tab : tabs) {
            driver.switchTo().window(tab);
            browser.await(d -> {
                Map<String, String> rows = browser.rows();
                for (int i = 0; i < tabs.size(); ++i) {
                    if (!String.valueOf(i).equals(rows.get(prefix + i))) {
                        return false;
                    }
                }
                return true;
            });
        }
    }

    /** Remote Bayeux sessions the gateway holds (not its own local sessions). */
    private static long sessions(TestGateway gateway) {
        return gateway.gateway().injector().getInstance(BayeuxServerImpl.class).getSessions().stream()
            .filter(session -> !session.isLocalSession()).count();
    }
}
