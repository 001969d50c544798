package io.jobpipe.e2e;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;


/**
 * Headless Chromium for the console's tests: Debian's {@code chromium} and {@code chromedriver} (paths from
 * {@code JOBPIPE_CHROMIUM} / {@code JOBPIPE_CHROMEDRIVER}), started once per test class. Selenium is given the driver
 * executable, so its manager never tries to download one. Without Chromium the tests are skipped, unless
 * {@code JOBPIPE_REQUIRE_BROWSER} is set (CI sets it after installing them), where they fail instead.
 */
final class ConsoleBrowser implements BeforeAllCallback, AfterAllCallback {
    static final Duration WAIT = Duration.ofSeconds(30);

    private ChromeDriver driver;
    private Path profile;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        File chromium = new File(env("JOBPIPE_CHROMIUM", "/usr/bin/chromium"));
        File chromedriver = new File(env("JOBPIPE_CHROMEDRIVER", "/usr/bin/chromedriver"));
        boolean present = chromium.canExecute() && chromedriver.canExecute();
        String missing = "no headless Chromium here (" + chromium + ", " + chromedriver + "): apt-get install chromium "
                + "chromium-driver, or set JOBPIPE_CHROMIUM and JOBPIPE_CHROMEDRIVER";
        if (!present && System.getenv("JOBPIPE_REQUIRE_BROWSER") != null) {
            throw new IllegalStateException(missing + " (JOBPIPE_REQUIRE_BROWSER is set)");
        }
        Assumptions.assumeTrue(present, missing);
        profile = Files.createTempDirectory("jobpipe-chromium-");
        ChromeOptions options = new ChromeOptions().setBinary(chromium)
                // Off the flags, Chromium calls Google's hosts at start, which this closed network refuses.
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--window-size=1400,1000",
                        "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver)
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (driver != null) {
            driver.quit();
        }
        if (profile != null) {
            ExampleSystem.deleteQuietly(profile);
        }
    }

    /** Goes to {@code url}; a change of the hash alone stays in the page, as a click on a console link does. */
    void open(String url) {
        driver.get(url);
    }

    /**
     * Cuts the browser off the network (DevTools' offline emulation) or connects it again: every request the page
     * makes fails as it does when the server cannot be reached.
     */
    void offline(boolean offline) {
        ChromiumNetworkConditions conditions = new ChromiumNetworkConditions();
        conditions.setOffline(offline);
        driver.setNetworkConditions(conditions);
    }

    void reload() {
        driver.navigate().refresh();
    }

    /** Waits for the first element matching {@code css} (up to {@link #WAIT}). */
    WebElement await(String css) {
        return await(css, WAIT);
    }

    WebElement await(String css, Duration atMost) {
        Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> find(css).isPresent());
        return find(css).orElseThrow();
    }

    /** Waits until {@code css} matches an element whose text contains {@code text}. */
    WebElement awaitText(String css, String text) {
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> withText(css, text).isPresent());
        return withText(css, text).orElseThrow();
    }

    Optional<WebElement> find(String css) {
        return driver.findElements(By.cssSelector(css)).stream().findFirst();
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    Optional<WebElement> withText(String css, String text) {
        return all(css).stream().filter(e -> e.getText().contains(text)).findFirst();
    }

    Object script(String javascript, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(javascript, arguments);
    }

    String pageText() {
        return driver.findElement(By.tagName("body")).getText();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
