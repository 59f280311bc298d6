package fi.palvelurinki.signaling;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium, driven through its ChromeDriver, with a fake camera and microphone that
 * need no permission prompt. Each person of a test gets a {@link Window} of their own: the pages keep
 * the sign-in per window (sessionStorage), so two windows are two people, as two browsers would be.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriver driver;
    private final Path profile;
    private final String blank;
    private final List<Window> windows = new java.util.ArrayList<>();

    Browser() throws IOException {
        for (Path p : new Path[] {CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException(p + " is missing: the browser tests need Debian's chromium and "
                        + "chromium-driver (bin/test installs them)");
            }
        }
        profile = Files.createTempDirectory("palvelurinki-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                // Every window is somebody's screen: none may be slowed down as a background tab.
                "--disable-background-timer-throttling", "--disable-backgrounding-occluded-windows",
                "--disable-renderer-backgrounding", "--window-size=1280,800", "--user-data-dir=" + profile,
                // A Finnish browser, as at most service points: the pages start in Finnish.
                "--lang=fi-FI",
                // The https tests' server certificate, trusted by its key alone (TestCertificate).
                "--ignore-certificate-errors-spki-list=" + TestCertificate.get().spkiSha256());
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "fi-FI,fi"));
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        blank = driver.getWindowHandle();
    }

    /** A new window showing url. */
    Window open(String name, String url) {
        return open(name, url, 0);
    }

    /**
     * A new window showing url, whose pages see a clock that is {@code skewMillis} off: {@code Date} and
     * {@code Date.now()} are shifted before any of the page's scripts run, as on a PC whose clock is wrong.
     */
    Window open(String name, String url, long skewMillis) {
        driver.switchTo().newWindow(WindowType.WINDOW);
        driver.manage().window().setSize(new Dimension(1280, 800));
        Window w = new Window(name, driver.getWindowHandle());
        windows.add(w);
        if (skewMillis != 0) {
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                    (() => {
                      const skew = %d;
                      const RealDate = Date;
                      class SkewedDate extends RealDate {
                        constructor(...a) { if (a.length === 0) super(RealDate.now() + skew); else super(...a); }
                        static now() { return RealDate.now() + skew; }
                      }
                      globalThis.Date = SkewedDate;
                    })();""".formatted(skewMillis)));
        }
        driver.get(url);
        return w;
    }

    /**
     * Forgets every cookie (an identity provider's session among them): the next person signs in at the
     * provider afresh, as on another computer. The pages keep their own sign-ins per window.
     */
    void clearCookies() {
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
    }

    /** A new window the size of a phone held upright (390 × 844 CSS pixels, touch, mobile viewport) showing url. */
    Window openPhone(String name, String url) {
        driver.switchTo().newWindow(WindowType.WINDOW);
        driver.manage().window().setSize(new Dimension(390, 844));
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 390, "height", 844,
                "deviceScaleFactor", 3, "mobile", true));
        driver.executeCdpCommand("Emulation.setTouchEmulationEnabled", Map.of("enabled", true));
        Window w = new Window(name, driver.getWindowHandle());
        windows.add(w);
        driver.get(url);
        return w;
    }

    /**
     * The processor time all of this browser's processes (Chromium's browser, renderer, GPU and utility
     * processes, and ChromeDriver) have used so far: the test JVM's descendants whose command is one of them.
     */
    static Duration cpuTime() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.contains("chrom")).orElse(false))
                .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }

    /** After a failure: each window's screenshot and console as target/screenshots/failed-TEST-WINDOW.*. */
    void saveEvidence(String test) {
        for (Window w : windows) {
            try {
                w.screenshot("failed-" + test + "-" + w.name);
                List<String> console = w.use().manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll()
                        .stream().map(Object::toString).toList();
                Files.write(SCREENSHOTS.resolve("failed-" + test + "-" + w.name + ".log"), console);
            } catch (RuntimeException | IOException e) {
                // Evidence is a courtesy: the failure itself is already on its way.
            }
        }
    }

    /** Closes every window but the first, blank one: the next test starts with no one signed in. */
    void closeWindows() {
        for (String h : driver.getWindowHandles()) {
            if (!h.equals(blank)) {
                driver.switchTo().window(h);
                driver.close();
            }
        }
        driver.switchTo().window(blank);
        windows.clear();
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** One person's window. Every call first brings the window to the driver's attention. */
    final class Window {
        final String name;
        private final String handle;

        Window(String name, String handle) {
            this.name = name;
            this.handle = handle;
        }

        private ChromeDriver use() {
            if (!handle.equals(driver.getWindowHandle())) {
                driver.switchTo().window(handle);
            }
            return driver;
        }

        /** Reloads the page, as a person pressing F5 would. */
        void reload() {
            use().navigate().refresh();
        }

        WebElement find(String cssSelector) {
            return use().findElement(By.cssSelector(cssSelector));
        }

        List<WebElement> all(String cssSelector) {
            return use().findElements(By.cssSelector(cssSelector));
        }

        /** The element with this id once it is shown, e.g. a button of a view that is just opening. */
        WebElement shown(String id) {
            return await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                    .until(() -> find("#" + id), WebElement::isDisplayed);
        }

        void click(String id) {
            shown(id).click();
        }

        String text(String id) {
            return find("#" + id).getText();
        }

        boolean displayed(String id) {
            List<WebElement> found = all("#" + id);
            return !found.isEmpty() && found.get(0).isDisplayed();
        }

        Object js(String script, Object... args) {
            return ((JavascriptExecutor) use()).executeScript(script, args);
        }

        Object asyncJs(String script, Object... args) {
            return ((JavascriptExecutor) use()).executeAsyncScript(script, args);
        }

        /** The state of the page's peer connection and the video frames it decoded, or null before a call. */
        @SuppressWarnings("unchecked")
        Map<String, Object> media() {
            return (Map<String, Object>) asyncJs("""
                    const done = arguments[arguments.length - 1];
                    const pc = window.palvelurinki && window.palvelurinki.peer && window.palvelurinki.peer();
                    if (!pc) { done(null); return; }
                    pc.getStats().then((stats) => {
                      let frames = 0;
                      let pairId = null;
                      stats.forEach((r) => { if (r.type === 'inbound-rtp' && r.kind === 'video') frames += r.framesDecoded || 0; });
                      stats.forEach((r) => { if (r.type === 'transport' && r.selectedCandidatePairId) pairId = r.selectedCandidatePairId; });
                      const pair = pairId ? stats.get(pairId) : null;
                      const local = pair ? stats.get(pair.localCandidateId) : null;
                      const remote = pair ? stats.get(pair.remoteCandidateId) : null;
                      const ufrag = /a=ice-ufrag:(\\S+)/.exec(pc.localDescription ? pc.localDescription.sdp : '');
                      done({ state: pc.connectionState, iceState: pc.iceConnectionState, framesDecoded: frames,
                        localCandidateType: local ? local.candidateType : null,
                        remoteCandidateType: remote ? remote.candidateType : null,
                        localUfrag: ufrag ? ufrag[1] : null });
                    });""");
        }

        /**
         * Every peer connection of the page's call (one per other party; a call of three or four is a mesh), by
         * the other party's key: its state, the video frames it decoded, and the bytes its transport sent and
         * received so far. Empty before a call.
         */
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> mesh() {
            return (Map<String, Map<String, Object>>) asyncJs("""
                    const done = arguments[arguments.length - 1];
                    const peers = window.palvelurinki && window.palvelurinki.peers ? window.palvelurinki.peers() : {};
                    Promise.all(Object.entries(peers).map(([party, pc]) => pc.getStats().then((stats) => {
                      let frames = 0, sent = 0, received = 0;
                      stats.forEach((r) => {
                        if (r.type === 'inbound-rtp' && r.kind === 'video') frames += r.framesDecoded || 0;
                        if (r.type === 'transport') { sent += r.bytesSent || 0; received += r.bytesReceived || 0; }
                      });
                      return [party, { state: pc.connectionState, framesDecoded: frames, bytesSent: sent, bytesReceived: received }];
                    }))).then((entries) => done(Object.fromEntries(entries)), (e) => done({ error: { state: String(e) } }));""");
        }

        /** axe-core's WCAG 2.1 A and AA rules on the page as it is now: one line per violation. */
        @SuppressWarnings("unchecked")
        List<String> accessibilityViolations() {
            use().executeScript(AXE + "\nwindow.axe = axe;");
            return (List<String>) asyncJs("""
                    const done = arguments[arguments.length - 1];
                    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
                      .then((r) => done(r.violations.flatMap((v) => v.nodes.map((n) =>
                        `${v.id} (${v.impact}): ${n.target.join(' ')}: ${n.failureSummary}`))))
                      .catch((e) => done([`axe failed: ${e}`]));""");
        }

        /** The console's errors since they were last read (chromedriver hands each entry out once). */
        List<String> consoleErrors() {
            return use().manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                    .map(Object::toString).toList();
        }

        /**
         * Shows the page in a viewport of exactly this size (CSS pixels), as a 1280 x 720 laptop or a 390 x 844
         * phone would; {@link #desktop()} goes back to the ordinary window.
         */
        void viewport(int width, int height) {
            use().executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                    "deviceScaleFactor", 1, "mobile", width < 600));
        }

        void desktop() {
            use().executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }

        /** Screenshots NAME-1280x720 and NAME-390x844, then goes back to the ordinary window. */
        void screenshotSizes(String name) {
            viewport(1280, 720);
            screenshot(name + "-1280x720");
            viewport(390, 844);
            screenshot(name + "-390x844");
            desktop();
        }

        /** Saves what the window shows as target/screenshots/NAME.png, for a reviewer to look at. */
        void screenshot(String name) {
            try {
                Files.createDirectories(SCREENSHOTS);
                Files.write(SCREENSHOTS.resolve(name + ".png"), use().getScreenshotAs(OutputType.BYTES));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final String AXE = readAxe();

    /** axe.min.js from the axe-core webjar, whose version the root pom names. */
    private static String readAxe() {
        try (InputStream props = Browser.class.getResourceAsStream("/META-INF/maven/org.webjars.npm/axe-core/pom.properties")) {
            if (props == null) {
                throw new IllegalStateException("axe-core is missing from the test class path");
            }
            java.util.Properties p = new java.util.Properties();
            p.load(props);
            String path = "/META-INF/resources/webjars/axe-core/" + p.getProperty("version") + "/axe.min.js";
            try (InputStream in = Browser.class.getResourceAsStream(path)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
