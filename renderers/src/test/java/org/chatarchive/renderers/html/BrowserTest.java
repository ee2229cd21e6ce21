package org.chatarchive.renderers.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The site in a real headless Chromium, opened from {@code file://} with no network: the index and its filter, a
 * conversation's text, images, a quote link, a spoiler, reactions, edit history, page navigation and the theme
 * switch; every request the browser made stays on {@code file:}, and the page's own Content-Security-Policy blocks
 * nothing of the site's. Screenshots of the index and a conversation, light and dark, go to
 * {@code target/screenshots/}.
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver} ({@code .ci/run} installs them); without them the
 * test is skipped with a message saying so. Other paths: {@code -Dchatarchive.chromium=...},
 * {@code -Dchatarchive.chromedriver=...}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf(value = "browserPresent", disabledReason = "needs Debian's chromium and chromium-driver"
        + " (/usr/bin/chromium, /usr/bin/chromedriver; apt-get install chromium chromium-driver, as .ci/run does)")
class BrowserTest {

    static final Path CHROMIUM = Path.of(System.getProperty("chatarchive.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("chatarchive.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    static Path tmp;
    Path archive;
    ChromeDriver driver;

    static boolean browserPresent() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        if (!present) {
            System.err.println("BrowserTest skipped: needs " + CHROMIUM + " and " + DRIVER
                    + " (Debian: apt-get install chromium chromium-driver; .ci/run installs them).");
        }
        return present;
    }

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(browserPresent(), "Browser test skipped: needs " + CHROMIUM + " and " + DRIVER);
        archive = tmp.resolve("archive");
        TestArchive.write(archive);
        HtmlSite.render(archive, HtmlOptions.of(ZoneId.of("Europe/Berlin")).withPageSize(10));
        Files.createDirectories(SCREENSHOTS);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        Path profile = Files.createDirectory(tmp.resolve("chromium-profile"));
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1000,1300", "--hide-scrollbars",
                "--force-device-scale-factor=1", "--lang=en-US");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    void stop() {
        if (driver != null) {
            driver.quit();
        }
    }

    String url(String rel) {
        return archive.resolve("html").resolve(rel).toUri().toString();
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    void shot(String name) throws Exception {
        File f = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    void theme(String wanted) {
        WebElement button = driver.findElement(By.cssSelector("button.theme"));
        for (int i = 0; i < 3; i++) {
            String now = (String) js("return document.documentElement.getAttribute('data-theme') || 'system';");
            if (now.equals(wanted)) {
                return;
            }
            button.click();
        }
        assertEquals(wanted, js("return document.documentElement.getAttribute('data-theme') || 'system';"));
    }

    WebElement message(String id) {
        return driver.findElement(By.id(Links.anchor(id)));
    }

    @Test
    void readsLikeAChatOfflineWithEverythingWorking() throws Exception {
        // Drain what the browser logged while starting (its own chrome:// pages), then open the index.
        driver.get("about:blank");
        driver.manage().logs().get(LogType.PERFORMANCE);
        driver.manage().logs().get(LogType.BROWSER);
        // index: every conversation, the filter box narrows them down
        driver.get(url("index.html"));
        assertEquals("Chat archive", driver.getTitle());
        List<WebElement> convs = driver.findElements(By.cssSelector("li.conv"));
        assertEquals(3, convs.size());
        WebElement avatar = driver.findElement(By.cssSelector("img.avatar"));
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> (Boolean) js(
                "return arguments[0].complete && arguments[0].naturalWidth > 0;", avatar));
        assertEquals(96L, js("return arguments[0].naturalWidth;", avatar), "the group's picture from the store");
        theme("light");
        shot("index-light.png");
        theme("dark");
        shot("index-dark.png");
        assertEquals("rgb(18, 18, 18)", js("return getComputedStyle(document.body).backgroundColor;").toString()
                .replace("rgba(0, 0, 0, 0)", js("return getComputedStyle(document.documentElement).backgroundColor;").toString()));
        // with no choice made, the theme follows the system's
        theme("system");
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", "",
                "features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        assertEquals("rgb(18, 18, 18)", js("return getComputedStyle(document.documentElement).backgroundColor;"));
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", "",
                "features", List.of(Map.of("name", "prefers-color-scheme", "value", "light"))));
        assertEquals("rgb(255, 255, 255)", js("return getComputedStyle(document.documentElement).backgroundColor;"));
        theme("light");
        WebElement filter = driver.findElement(By.id("filter"));
        assertTrue(filter.isDisplayed(), "the filter box shows once the script runs");
        filter.sendKeys("fam");
        assertEquals(1, driver.findElements(By.cssSelector("li.conv")).stream().filter(WebElement::isDisplayed).count());
        filter.clear();
        filter.sendKeys("nobody-has-this-name");
        assertTrue(driver.findElement(By.cssSelector(".nomatch")).isDisplayed());
        filter.clear();
        filter.sendKeys("\u05d1\u05d5\u05d1");
        assertEquals(List.of("Family \ud83c\udfd6"), driver.findElements(By.cssSelector("li.conv")).stream()
                .filter(WebElement::isDisplayed).map(e -> e.findElement(By.cssSelector("a.title")).getText()).toList());

        // follow the group
        driver.findElement(By.cssSelector("li.conv:not([hidden]) a.title")).click();
        assertTrue(driver.getCurrentUrl().endsWith("/p-1.html"), driver.getCurrentUrl());
        assertTrue(message("msg:g1").getText().contains("Hi @Me Myself, look: bold italic strike mono"));
        String xss = message("msg:g4").findElement(By.cssSelector(".text")).getText();
        assertTrue(xss.contains("<script>alert(1)</script>"), xss);
        assertEquals(Boolean.FALSE, js("return 'alerted' in window;"));

        // images load from the archive's attachment store
        for (String id : List.of("msg:g2", "msg:g10")) {
            WebElement img = message(id).findElement(By.cssSelector("img"));
            js("arguments[0].scrollIntoView({block: 'center'});", img);
            new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> (Boolean) js(
                    "return arguments[0].complete && arguments[0].naturalWidth > 0;", img));
        }
        assertEquals(640L, js("return arguments[0].naturalWidth;", message("msg:g2").findElement(By.cssSelector("img"))));

        // the spoiler is hidden until clicked
        WebElement spoiler = message("msg:g1").findElement(By.cssSelector(".spoiler"));
        js("arguments[0].scrollIntoView({block: 'center'});", spoiler);
        assertEquals("rgba(0, 0, 0, 0)", spoiler.getCssValue("color"), "spoiler text is transparent before a click");
        spoiler.click();
        assertTrue(spoiler.getAttribute("class").contains("shown"));
        assertNotEquals("rgba(0, 0, 0, 0)", spoiler.getCssValue("color"));

        // who reacted shows on focus
        WebElement reaction = message("msg:g1").findElement(By.cssSelector(".reaction"));
        WebElement who = reaction.findElement(By.cssSelector(".who"));
        assertFalse(who.isDisplayed());
        js("arguments[0].focus();", reaction);
        assertTrue(who.isDisplayed());
        assertTrue(who.getText().startsWith("You ("), who.getText());

        // the edit history expands
        WebElement edits = message("msg:g3").findElement(By.cssSelector("details.edits"));
        edits.findElement(By.tagName("summary")).click();
        assertEquals("Replyin to Alise", edits.findElement(By.cssSelector(".text")).getText());

        // the quote link jumps to the quoted message
        js("window.scrollTo(0, 0);");
        WebElement quote = message("msg:g3").findElement(By.cssSelector("a.quote"));
        quote.click();
        assertEquals("#" + Links.anchor("msg:g1"), js("return location.hash;"));
        theme("light");
        js("window.scrollTo(0, 0);");
        shot("conversation-light.png");
        theme("dark");
        shot("conversation-dark.png");
        theme("light");

        // print: no navigation, whole bubbles, spoilers readable, dark theme ignored
        driver.navigate().refresh();
        theme("dark");
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", "print"));
        assertEquals("none", driver.findElement(By.cssSelector(".top .pager")).getCssValue("display"));
        assertEquals("avoid", message("msg:g1").getCssValue("break-inside"));
        assertNotEquals("rgba(0, 0, 0, 0)", message("msg:g1").findElement(By.cssSelector(".spoiler")).getCssValue("color"));
        assertEquals("rgb(255, 255, 255)", js("return getComputedStyle(document.documentElement).backgroundColor;"));
        shot("conversation-print.png");
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", ""));
        theme("light");
        js("window.scrollTo(0, 0);");

        // page navigation: next, previous, and the jump menu across pages
        driver.findElement(By.cssSelector(".top a.next")).click();
        assertTrue(driver.getCurrentUrl().endsWith("/p-2.html"), driver.getCurrentUrl());
        assertTrue(message("msg:g12").isDisplayed());
        // the voice note (page 2) is playable from the store
        WebElement audio = message("msg:g12").findElement(By.tagName("audio"));
        js("arguments[0].load();", audio);
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> ((Number) js("return arguments[0].readyState;", audio)).intValue() >= 1);
        assertEquals(1.0, ((Number) js("return arguments[0].duration;", audio)).doubleValue(), 0.01);
        driver.findElement(By.cssSelector(".top a.prev")).click();
        assertTrue(driver.getCurrentUrl().endsWith("/p-1.html"));
        driver.findElement(By.cssSelector("a.back")).click();
        assertTrue(driver.getCurrentUrl().endsWith("/index.html"));
        driver.findElement(By.linkText("Alice \u00c5str\u00f6m \ud83c\udf3b")).click();
        driver.findElement(By.cssSelector("details.jump summary")).click();
        driver.findElement(By.linkText("Aug")).click();
        assertTrue(driver.getCurrentUrl().endsWith("/p-2.html#" + Links.anchor("msg:d18")), driver.getCurrentUrl());
        assertTrue(message("msg:d18").isDisplayed());
        driver.navigate().to(url(HtmlSiteTest.dir(TestArchive.DIRECT) + "/p-3.html"));
        message("msg:d25").findElement(By.cssSelector("a.quote")).click();
        assertTrue(driver.getCurrentUrl().endsWith("/p-1.html#" + Links.anchor("msg:d2")), driver.getCurrentUrl());

        // nothing left file://, and the site's own CSP blocked nothing of the site
        List<String> requests = requestedUrls();
        assertFalse(requests.isEmpty(), "the performance log recorded the page loads");
        assertTrue(requests.stream().anyMatch(u -> u.contains("/attachments/")), "attachments were requested: " + requests);
        List<String> remote = requests.stream().filter(u -> !u.startsWith("file:") && !u.startsWith("data:")).toList();
        assertEquals(List.of(), remote, "requests that left file://");
        List<String> problems = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.WARNING.intValue()) {
                problems.add(e.getMessage());
            }
        }
        assertEquals(List.of(), problems, "browser console warnings and errors (CSP violations show here)");
    }

    /** Every URL requested by a page of the site (a document loaded from file:). */
    List<String> requestedUrls() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> urls = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE)) {
            JsonNode m = json.readTree(e.getMessage()).path("message");
            if (m.path("method").asText().equals("Network.requestWillBeSent")
                    && m.path("params").path("documentURL").asText().startsWith("file:")) {
                urls.add(m.path("params").path("request").path("url").asText());
            }
        }
        return urls;
    }

}
