package io.gridpush.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridpush.testkit.Browser;
import io.gridpush.testkit.Events;
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
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;

/**
 * Many tabs of one browser on long polling: they share one Bayeux session (one long poll, where a browser
 * holds at most 6 connections per host), each writes and sees the others' writes, and when the leading
 * tab closes another takes over and every tab keeps working.
 */
class BrowserTabsTest {
    @RegisterExtension
    static final TestGateway gateway = TestGateway.of();

    @BeforeAll
    static void chromium() {
        Browser.assumeInstalled();
    }

    @Test
    void tenTabsShareOneSessionAndSurviveTheirLeaderClosing() throws Exception {
        try (Browser browser = Browser.open(1000, 700)) {
            tabsShareOneSession(browser, gateway.gateway().uri() + "?transport=long-polling", 10, "ten");
        }
    }

    @Test
    void twentyTabsBehindAProxyThatStripsUpgrade() throws Exception {
        try (Nginx nginx = Nginx.start(gateway.gateway().uri().getPort(), """
                proxy_set_header Upgrade "";
                proxy_set_header Connection "";
                """);
             Browser browser = Browser.open(1000, 700)) {
            // No transport forced: WebSocket fails through this proxy and the client falls back to long polling.
            tabsShareOneSession(browser, "http://127.0.0.1:" + nginx.port() + "/", 20, "twenty");
        }
    }

    private static void tabsShareOneSession(Browser browser, String url, int count, String prefix) {
        // A previous test's browser left a session that the gateway sweeps after bayeux.maxInterval.
        Awaitility.await().atMost(Duration.ofSeconds(Events.WAIT_SECONDS)).until(() -> sessions() == 0);
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
        assertEquals(1, sessions(), "one Bayeux session for " + count + " tabs");

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
        Awaitility.await().atMost(Duration.ofSeconds(Events.WAIT_SECONDS)).until(() -> sessions() == 1);
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
    private static long sessions() {
        return gateway.gateway().injector().getInstance(BayeuxServerImpl.class).getSessions().stream()
            .filter(session -> !session.isLocalSession()).count();
    }
}
