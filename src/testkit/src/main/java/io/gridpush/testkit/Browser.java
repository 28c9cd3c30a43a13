package io.gridpush.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, driven through Debian's chromedriver (never a downloaded browser). Tests that
 * need it are skipped, with this message, when it is not installed; CI installs it.
 */
public final class Browser implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Skips the calling test, saying why, unless Chromium and chromedriver are installed. */
    public static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
            "SKIPPED browser test: Chromium is not installed (apt-get install chromium chromium-driver; .ci/run does this)");
    }

    public static Browser open(int width, int height) throws Exception {
        return open(width, height, new String[0]);
    }

    /** With extra Chromium flags, for example {@code --ignore-certificate-errors} for a test's self-signed certificate. */
    public static Browser open(int width, int height, String... flags) throws Exception {
        assumeInstalled();
        Path profile = Files.createTempDirectory("gridpush-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // The flags that keep Chromium off the (closed) network and quiet on a CI machine.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        options.addArguments(flags);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options), profile);
    }

    public WebDriver driver() {
        return driver;
    }

    public void get(String url) {
        driver.get(url);
    }

    /** Waits (bounded) until {@code condition} holds. */
    public <T> T await(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(Events.WAIT_SECONDS), Duration.ofMillis(100)).until(condition);
    }

    public String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    /**
     * The row of {@code key} on the demo board as {@code {value, version}} (its data attributes), or null.
     * Read in one script, so a row replaced meanwhile cannot go stale half-way.
     */
    @SuppressWarnings("unchecked")
    public java.util.Map<String, String> row(String key) {
        return (java.util.Map<String, String>)script("""
            const row = [...document.querySelectorAll('#entries li')].find(li => li.dataset.key === arguments[0]);
            return row ? { value: row.dataset.value, version: row.dataset.version } : null;
            """, key);
    }

    /** Every row of the demo board as key -> value (its JSON text), read in one script. */
    @SuppressWarnings("unchecked")
    public java.util.Map<String, String> rows() {
        return (java.util.Map<String, String>)script("""
            return Object.fromEntries([...document.querySelectorAll('#entries li')].map(li => [li.dataset.key, li.dataset.value]));
            """);
    }

    public Object script(String script, Object... args) {
        return ((JavascriptExecutor)driver).executeScript(script, args);
    }

    public Path screenshot(String name) throws Exception {
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".png");
        Files.write(file, ((TakesScreenshot)driver).getScreenshotAs(OutputType.BYTES));
        return file;
    }

    @Override
    public void close() throws Exception {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
