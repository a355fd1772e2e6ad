package dev.wheelwright.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.auth.Scope;
import dev.wheelwright.common.Sha256;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import dev.wheelwright.storage.BlobKey;
import dev.wheelwright.storage.PackageType;
import dev.wheelwright.storage.StoredFile;
import dev.wheelwright.testing.GitFixture;
import dev.wheelwright.testing.TestServer;
import dev.wheelwright.testing.Wheels;
import java.io.File;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The web UI in a real browser (#10): Debian's headless Chromium through Selenium against the in-process server with a
 * hosted project (hostile metadata among them), a git-backed project with a built tag and a failing tag, and an
 * upstream-proxied one. Every page visited is checked for console errors and accessibility basics and photographed
 * light and dark into {@code target/screenshots/}.
 */
class WebUiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration BUILD_WAIT = Duration.ofMinutes(4);
    private static final Path SHOTS = Path.of("target", "screenshots");
    private static final String SLOW_PYPROJECT = """
            [build-system]
            requires = ["setuptools"]
            build-backend = "setuptools.build_meta"
            """;
    /** Each run of the backend (it runs setup.py once per hook) prints a line, then takes its time. */
    private static final String SLOW_SETUP = """
            import time
            from setuptools import setup
            print("slowdemo setup.py ran", flush=True)
            time.sleep(4)
            setup(name="slowdemo", version="1.0.0", py_modules=["slowdemo"])
            """;

    @TempDir
    static Path dir;

    private static TestServer server;
    /** A project that takes its time to build; its tag is pushed by the test that watches the build. */
    private static GitFixture slow;

    private static String adminToken;
    private ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Path repo = dir.resolve("gitdemo");
        GitFixture git = GitFixture.over(Files.createDirectories(repo));
        git.commit("1.0.0", Map.of("pyproject.toml", hatchling("gitdemo", "1.0.0"), "gitdemo/__init__.py", ""));
        git.tag("v1.0.0");
        git.commit("wrong version", Map.of("pyproject.toml", hatchling("gitdemo", "3.0.0")));
        git.tag("v2.0.0");
        slow = GitFixture.over(Files.createDirectories(dir.resolve("slowdemo")));
        slow.commit("1.0.0", Map.of("pyproject.toml", SLOW_PYPROJECT, "setup.py", SLOW_SETUP, "slowdemo.py", ""));
        server = TestServer.start(
                dir.resolve("data"),
                "build: {index-url: \"file:///opt/pypi/simple\", workers: 2}\n"
                        + "git:\n  poll-interval: 0s\n  projects:\n    - { name: gitdemo, url: \"" + git.url()
                        + "\" }\n    - { name: slowdemo, url: \"" + slow.url() + "\" }\n"
                        + "upstreams:\n  - { name: mirror, url: \"file:///opt/pypi/simple/\" }\n");
        adminToken = server.token("admin", Scope.READ, Scope.UPLOAD, Scope.ADMIN);
        Path wheels = Files.createDirectories(dir.resolve("wheels"));
        upload(Wheels.wheel(
                wheels,
                "acme_utils-1.0.0-py3-none-any.whl",
                "acme_utils-1.0.0.dist-info",
                "acme_utils",
                "1.0.0",
                metadata("acme-utils", "1.0.0", "Utilities of ACME", "text/markdown", "# Acme utils\n\nOld.\n")));
        upload(Wheels.wheel(
                wheels,
                "acme_utils-1.1.0-py3-none-any.whl",
                "acme_utils-1.1.0.dist-info",
                "acme_utils",
                "1.1.0",
                metadata(
                        "acme-utils",
                        "1.1.0",
                        "Utilities of ACME",
                        "text/markdown; charset=UTF-8",
                        "# Acme utils\n\nSmall helpers.\n\n| option | default |\n| --- | --- |\n| retries | 3 |\n")));
        upload(Wheels.wheel(
                wheels,
                "acme_utils-2.0.0a1-py3-none-any.whl",
                "acme_utils-2.0.0a1.dist-info",
                "acme_utils",
                "2.0.0a1",
                metadata("acme-utils", "2.0.0a1", "Utilities of ACME", "text/markdown", "# Acme utils\n\nAlpha.\n")));
        upload(Wheels.wheel(
                wheels,
                "other_pkg-0.1-py3-none-any.whl",
                "other_pkg-0.1.dist-info",
                "other_pkg",
                "0.1",
                metadata("other-pkg", "0.1", "Something else", "text/plain", "Plain text description.\n")));
        // the upload rules (#14) refuse the javascript: Project-URL of these, but files stored before those rules may
        // carry it: recorded as such a file was, with its .metadata, so every page must stay inert for them
        recordBeforeTheUploadRules("evil-md", hostile("evil-md", "text/markdown", HOSTILE_MARKDOWN));
        recordBeforeTheUploadRules("evil-rst", hostile("evil-rst", "text/x-rst", HOSTILE_RST));
        awaitBuilds();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void openBrowser() throws Exception {
        Files.createDirectories(SHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1200,900",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void search_narrows_the_project_list_exact_match_first() throws Exception {
        visit("/", "home");
        assertThat(names()).contains("acme-utils", "other-pkg", "evil-md", "gitdemo");

        WebElement box = browser.findElement(By.id("q"));
        box.sendKeys("acme");
        box.sendKeys(Keys.ENTER);
        waitFor(() -> browser.getCurrentUrl().contains("q=acme"));
        check("search");

        assertThat(names()).containsExactly("acme-utils");
        assertThat(browser.findElement(By.id("match-count")).getText()).isEqualTo("1");
        visit("/?q=Something+else", "search-summary");
        assertThat(names()).containsExactly("other-pkg");
    }

    // #10: recent releases are hosted and git ones, the git ones with their build state
    @Test
    void the_home_page_lists_recent_hosted_and_git_releases_with_their_build_state() throws Exception {
        visit("/", "home-recent");

        assertThat(recent("gitdemo 2.0.0").getText()).contains("git").contains("failed");
        assertThat(recent("gitdemo 2.0.0").findElement(By.tagName("a")).getAttribute("href"))
                .as("a failed build has no release page: its build page says why")
                .endsWith("/builds/gitdemo/2.0.0/");
        assertThat(recent("gitdemo 1.0.0").getText()).contains("git").contains("succeeded");
        assertThat(recent("gitdemo 1.0.0").findElement(By.tagName("a")).getAttribute("href"))
                .endsWith("/project/gitdemo/1.0.0/");
        assertThat(recent("acme-utils 1.1.0").getText()).contains("hosted").doesNotContain("succeeded");
    }

    @Test
    void the_project_page_shows_versions_newest_first_the_pip_line_and_the_rendered_readme() throws Exception {
        visit("/project/Acme_Utils", "project");

        assertThat(browser.getCurrentUrl()).endsWith("/project/acme-utils/");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("acme-utils");
        assertThat(browser.findElements(By.cssSelector("#versions > li > a")))
                .extracting(WebElement::getText)
                .containsExactly("2.0.0a1", "1.1.0", "1.0.0");
        assertThat(browser.findElement(By.cssSelector("#versions > li")).getText())
                .contains("pre-release");
        assertThat(browser.findElement(By.id("latest")).getText()).isEqualTo("1.1.0");
        assertThat(browser.findElement(By.id("pip-line")).getAttribute("value"))
                .isEqualTo("pip install --index-url " + server.url("/simple/") + " acme-utils");
        assertThat(browser.findElement(By.cssSelector("#readme h2")).getText()).isEqualTo("Acme utils");
        assertThat(browser.findElement(By.cssSelector("#readme table td")).getText())
                .isEqualTo("retries");
        assertThat(browser.findElement(By.id("source")).getText()).contains("hosted");

        visit("/project/other-pkg/", "project-plain");
        assertThat(browser.findElement(By.cssSelector("pre#readme")).getText()).isEqualTo("Plain text description.");
    }

    @Test
    void the_release_page_shows_every_file_with_its_hash_and_metadata_link() throws Exception {
        visit("/project/acme-utils/1.1.0/", "release");

        String sha = TestServer.digest(
                "SHA-256", Files.readAllBytes(dir.resolve("wheels/acme_utils-1.1.0-py3-none-any.whl")));
        WebElement files = browser.findElement(By.id("files"));
        assertThat(files.getText())
                .contains("acme_utils-1.1.0-py3-none-any.whl")
                .contains(sha);
        assertThat(files.findElements(By.linkText(".metadata"))).hasSize(1);
        assertThat(files.findElement(By.linkText("acme_utils-1.1.0-py3-none-any.whl"))
                        .getAttribute("href"))
                .endsWith("/files/acme-utils/acme_utils-1.1.0-py3-none-any.whl");
        assertThat(browser.findElements(By.id("yank")))
                .as("no admin controls when anonymous")
                .isEmpty();
    }

    @Test
    void a_git_release_shows_its_build_and_log_and_a_failing_tag_its_reason() throws Exception {
        visit("/project/gitdemo/", "project-git");
        assertThat(browser.findElement(By.id("source")).getText())
                .contains("git")
                .contains("gitdemo");

        visit("/project/gitdemo/1.0.0/", "release-git");
        assertThat(browser.findElement(By.id("build-heading")).getText()).isEqualTo("Built from git");
        assertThat(browser.findElement(By.cssSelector("main")).getText())
                .contains("v1.0.0")
                .contains("succeeded");
        assertThat(browser.findElement(By.id("build-log")).getText()).contains("gitdemo");
        // #10: who built it, as the build recorded it: this host, the backend with its installed version, the Python
        assertThat(browser.findElement(By.id("builder")).getText())
                .matches("host " + Pattern.quote(InetAddress.getLocalHost().getHostName())
                        + " · backend hatchling\\.build \\d+\\.\\d+\\S* · Python 3\\.\\d+\\.\\d+ · build page");

        visit("/project/gitdemo/tags/", "tags");
        WebElement failed = browser.findElement(By.cssSelector("tr[data-tag='v2.0.0']"));
        assertThat(failed.getText())
                .contains("failed")
                .contains("built version 3.0.0 differs from tag v2.0.0's version 2.0.0");

        visit("/builds/", "builds");
        assertThat(browser.findElement(By.id("builds-failed")).getText()).contains("gitdemo 2.0.0");
        assertThat(browser.findElement(By.id("builds-succeeded")).getText()).contains("gitdemo 1.0.0");

        visit("/builds/gitdemo/2.0.0/", "build-failed");
        assertThat(browser.findElement(By.id("build-status")).getText()).isEqualTo("failed");
        assertThat(browser.findElement(By.id("build-log")).getText()).contains("FAILED: built version 3.0.0");
        assertThat(browser.findElement(By.id("builder")).getText())
                .as("a failed build names its builder too")
                .contains("backend hatchling.build ")
                .contains("Python 3.");
    }

    /**
     * #10: the page of a running build follows its log in place (the script polls the log API; no reload) and reloads
     * once to show the outcome when the build ends. The build's {@code setup.py} prints a line and sleeps 4 s each time
     * the backend runs it (four times), so the log grows for several seconds after the page was loaded.
     */
    @Test
    void the_page_of_a_running_build_follows_its_log_and_shows_the_outcome_when_it_ends() throws Exception {
        slow.tag("v1.0.0");
        server.get("/simple/slowdemo/"); // sees the new tag at the remote and queues its build
        Instant deadline = Instant.now().plus(BUILD_WAIT);
        String status;
        while (!(status = buildStatus("slowdemo")).equals("running")) {
            assertThat(status)
                    .as(
                            "slowdemo's build ended before it could be watched; its log: %s",
                            new String(
                                    server.get("/api/v1/builds/slowdemo/1.0.0/log")
                                            .body(),
                                    StandardCharsets.UTF_8))
                    .isIn("none", "queued");
            assertThat(Instant.now())
                    .as("slowdemo's build starts (now %s)", status)
                    .isBefore(deadline);
            server.get("/simple/slowdemo/");
            Thread.sleep(100); // polling a deadline: the build runs in the server's workers
        }

        // the page's own checks (check(...): themes, screenshots) take seconds: they run on the finished page below, so
        // that the build is still running while this one is watched
        browser.get(server.url("/builds/slowdemo/1.0.0/"));
        JavascriptExecutor js = browser;
        js.executeScript("window.sameDocument = true"); // gone if the page reloads
        assertThat(browser.findElement(By.id("build-status")).getText()).isEqualTo("running");
        assertThat(browser.findElement(By.id("live-note")).isDisplayed()).isTrue();
        String atLoad = browser.findElement(By.id("build-log")).getText();

        waitFor(
                () -> {
                    String now = browser.findElement(By.id("build-log")).getText();
                    return Boolean.TRUE.equals(js.executeScript("return window.sameDocument === true"))
                            && now.length() > atLoad.length()
                            && now.contains("slowdemo setup.py ran")
                            && !buildStatus("slowdemo").equals("succeeded");
                },
                BUILD_WAIT);
        waitFor(() -> browser.findElements(By.id("live-note")).isEmpty(), BUILD_WAIT);
        assertThat(js.executeScript("return window.sameDocument === true"))
                .as("the page reloaded once the build ended")
                .isEqualTo(false);
        assertThat(browser.findElement(By.id("build-status")).getText()).isEqualTo("succeeded");
        assertThat(browser.findElement(By.id("build-log")).getText()).contains("slowdemo setup.py ran");
        check("build-finished");
    }

    private static String buildStatus(String project) {
        try {
            for (JsonNode b : JSON.readTree(
                    server.get("/api/v1/builds?project=" + project).body())) {
                return b.get("status").asText();
            }
            return "none";
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    // #10: readable on a phone: no sideways scrolling of the page, text at a readable size, at 390 x 844 CSS pixels
    @Test
    void every_page_fits_a_phone_screen_without_horizontal_scrolling() throws Exception {
        browser.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", 390, "height", 844, "deviceScaleFactor", 2, "mobile", true));
        for (String path : List.of(
                "/",
                "/?q=acme",
                "/project/acme-utils/",
                "/project/acme-utils/1.1.0/",
                "/project/evil-md/",
                "/project/gitdemo/",
                "/project/gitdemo/1.0.0/",
                "/project/gitdemo/tags/",
                "/builds/",
                "/builds/gitdemo/2.0.0/",
                "/signin")) {
            visit(path, "phone" + path.replaceAll("[^a-z0-9]+", "-").replaceAll("-$", ""));

            @SuppressWarnings("unchecked")
            Map<String, Object> layout = (Map<String, Object>) browser.executeScript("""
                    const texts = Array.from(document.querySelectorAll('main p, main li, main dd, main td'))
                      .filter(e => e.offsetParent !== null).map(e => parseFloat(getComputedStyle(e).fontSize));
                    const tables = Array.from(document.querySelectorAll('.table-wrap'))
                      .filter(w => w.scrollWidth > w.clientWidth).map(w => w.firstElementChild.id);
                    return {viewport: window.innerWidth, page: document.documentElement.scrollWidth,
                            body: document.body.scrollWidth, smallest: Math.min(...texts), tables: tables};""");
            assertThat(((Number) layout.get("viewport")).intValue())
                    .as(path + ": laid out for the phone's width, not zoomed out")
                    .isEqualTo(390);
            assertThat(((Number) layout.get("page")).intValue())
                    .as(path + ": no horizontal scrolling of the page")
                    .isLessThanOrEqualTo(390);
            assertThat(((Number) layout.get("body")).intValue())
                    .as(path + ": no horizontal scrolling of the body")
                    .isLessThanOrEqualTo(390);
            assertThat((List<?>) layout.get("tables"))
                    .as(path + ": tables become cards, with no sideways scrolling of their own")
                    .isEmpty();
            assertThat(((Number) layout.get("smallest")).doubleValue())
                    .as(path + ": the smallest body text is readable")
                    .isGreaterThanOrEqualTo(12.0);
        }
    }

    @Test
    void an_upstream_project_has_a_page_with_its_upstream_files() throws Exception {
        visit("/project/absl-py/", "project-upstream");

        assertThat(browser.findElement(By.id("source")).getText()).contains("proxied from upstream mirror");
        assertThat(browser.findElements(By.cssSelector("#versions > li"))).isNotEmpty();
    }

    @Test
    void an_admin_signs_in_and_yanks_a_release_which_the_page_and_the_simple_index_show() throws Exception {
        visit("/signin", "signin");
        browser.findElement(By.id("token")).sendKeys("ww_not_a_token");
        browser.findElement(By.cssSelector("form.stack button")).click();
        // the click does not wait for the answer page: under load the old page was still there (CI)
        waitFor(() -> !browser.findElements(By.id("signin-error")).isEmpty());
        assertThat(browser.findElement(By.id("signin-error")).getText()).contains("not valid");
        assertThat(browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()))
                .as("the refused sign-in is a 401, the one console error expected")
                .extracting(LogEntry::getMessage)
                .singleElement()
                .asString()
                .contains("/signin")
                .contains("401");
        browser.findElement(By.id("token")).sendKeys(adminToken);
        browser.findElement(By.cssSelector("form.stack button")).click();
        waitFor(() -> browser.getPageSource().contains("Signed in as admin"));
        assertThat(browser.manage().getCookieNamed("wheelwright_token").isHttpOnly())
                .isTrue();
        assertThat(browser.manage().getCookieNamed("wheelwright_token").getSameSite())
                .isEqualTo("Strict");

        visit("/project/acme-utils/1.0.0/", "release-admin");
        browser.findElement(By.id("yank-reason")).sendKeys("broken <b>build</b>");
        browser.findElement(By.id("yank")).click();
        waitFor(() -> !browser.findElements(By.id("yanked")).isEmpty());
        check("release-yanked");

        assertThat(browser.findElement(By.id("yanked")).getText()).contains("broken <b>build</b>");
        String simple = new String(server.get("/simple/acme-utils/").body(), StandardCharsets.UTF_8);
        assertThat(simple)
                .contains("acme_utils-1.0.0-py3-none-any.whl")
                .contains("data-yanked=\"broken &lt;b&gt;build&lt;/b&gt;\"");
        JsonNode json = JSON.readTree(server.get("/simple/acme-utils/", "Accept", "application/vnd.pypi.simple.v1+json")
                .body());
        assertThat(json.get("files").get(0).get("yanked").asText()).isEqualTo("broken <b>build</b>");
        visit("/project/acme-utils/", "project-yanked");
        assertThat(browser.findElement(By.cssSelector("#versions li.yanked")).getText())
                .contains("1.0.0");

        browser.findElement(By.linkText("1.0.0")).click();
        waitFor(() -> !browser.findElements(By.id("unyank")).isEmpty());
        browser.findElement(By.id("unyank")).click();
        waitFor(() -> browser.findElements(By.id("yanked")).isEmpty());
        assertThat(new String(server.get("/simple/acme-utils/").body(), StandardCharsets.UTF_8))
                .doesNotContain("data-yanked");
    }

    @Test
    void the_yank_api_needs_an_admin_token_and_a_cookie_session_needs_the_csrf_token() throws Exception {
        String reader = server.token("reader", Scope.READ);
        String path = "/api/v1/projects/other-pkg/0.1/yank";

        assertThat(post(path, null, "{}").statusCode()).isEqualTo(401);
        assertThat(post(path, "Bearer " + reader, "{}").statusCode()).isEqualTo(403);
        HttpResponse<String> forged = server.send(HttpRequest.newBuilder(URI.create(server.url(path)))
                .header("Cookie", "wheelwright_token=" + adminToken)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("reason=x"))
                .build());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("CSRF");
        assertThat(post("/api/v1/projects/other-pkg/9.9/yank", "Bearer " + adminToken, "{}")
                        .statusCode())
                .isEqualTo(404);
        assertThat(post(path, "Bearer " + adminToken, "{\"reason\": 5").statusCode())
                .isEqualTo(400);

        HttpResponse<String> yanked = post(path, "Bearer " + adminToken, "{\"reason\": \"superseded\"}");

        assertThat(yanked.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(yanked.body()).get("changed").asInt()).isEqualTo(1);
        assertThat(new String(server.get("/simple/other-pkg/").body(), StandardCharsets.UTF_8))
                .contains("data-yanked=\"superseded\"");
        assertThat(post("/api/v1/projects/other-pkg/0.1/unyank", "Bearer " + adminToken, "")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void refresh_and_retry_answer_an_admin_and_refuse_others() throws Exception {
        String reader = server.token("refresh-reader", Scope.READ);

        assertThat(post("/api/v1/projects/gitdemo/refresh", null, "").statusCode())
                .isEqualTo(401);
        assertThat(post("/api/v1/projects/gitdemo/refresh", "Bearer " + reader, "")
                        .statusCode())
                .isEqualTo(403);
        assertThat(post("/api/v1/builds/gitdemo/2.0.0/retry", "Bearer " + reader, "")
                        .statusCode())
                .isEqualTo(403);
        assertThat(post("/api/v1/projects/acme-utils/refresh", "Bearer " + adminToken, "")
                        .statusCode())
                .as("not git-backed")
                .isEqualTo(404);
        HttpResponse<String> refresh = post("/api/v1/projects/gitdemo/refresh", "Bearer " + adminToken, "");
        assertThat(refresh.statusCode()).isEqualTo(202);
        assertThat(refresh.body()).contains("gitdemo");
    }

    @Test
    void hostile_metadata_renders_inert_on_every_page() throws Exception {
        for (String path : List.of(
                "/",
                "/?q=evil",
                "/project/evil-md/",
                "/project/evil-md/1.0/",
                "/project/evil-rst/",
                "/project/evil-rst/1.0/")) {
            visit(path, "hostile" + path.replaceAll("[^a-z0-9]+", "-"));

            Object xss = ((JavascriptExecutor) browser)
                    .executeScript("return window.__xss === undefined ? null : String(window.__xss);");
            assertThat(xss).as(path).isNull();
            assertThat(browser.findElements(By.cssSelector("script")))
                    .as(path)
                    .allSatisfy(s -> assertThat(s.getAttribute("src")).endsWith("/static/wheelwright.js"));
            assertThat(browser.findElements(
                            By.cssSelector("[onerror], [onclick], [onload], iframe, object, embed, img")))
                    .as(path)
                    .isEmpty();
            assertThat(browser.findElements(By.cssSelector("a[href]")))
                    .as(path)
                    .allSatisfy(a -> assertThat(a.getAttribute("href")).startsWith("http"));
        }
        visit("/project/evil-md/", "hostile-readme");
        assertThat(browser.findElement(By.id("summary")).getText()).contains("<script>");
        assertThat(browser.findElement(By.id("readme")).getText()).contains("Hostile");
        assertThat(browser.findElement(By.id("author")).getText()).contains("<img");
    }

    @Test
    void a_read_protected_index_and_a_scoped_token_hide_other_projects_everywhere() throws Exception {
        String acme = server.token("acme-reader", java.util.Optional.of("acme-*"), Scope.READ);

        String home = page("/", acme);
        assertThat(home)
                .contains("acme-utils")
                .doesNotContain("other-pkg")
                .doesNotContain("evil-md")
                .as("nor the git project's builds among the recent releases")
                .doesNotContain("gitdemo");
        assertThat(page("/?q=other", acme)).doesNotContain("other-pkg");
        assertThat(server.get("/project/other-pkg/", "Authorization", "Bearer " + acme)
                        .statusCode())
                .isEqualTo(404);
        assertThat(server.get("/project/other-pkg/0.1/", "Authorization", "Bearer " + acme)
                        .statusCode())
                .isEqualTo(404);
        assertThat(server.get("/?page=0").statusCode()).isEqualTo(400);
        assertThat(server.get("/project/-bad-/").statusCode()).isEqualTo(400);
        assertThat(server.get("/project/acme-utils/not-a-version/").statusCode())
                .isEqualTo(400);
    }

    // ---- helpers

    private static final String HOSTILE_MARKDOWN = """
            # Hostile

            <script>window.__xss = 1</script>

            <div onclick="window.__xss = 2"><img src=x onerror="window.__xss = 3"></div>

            [click me](javascript:window.__xss=4) and <a href="javascript:window.__xss=5">raw</a>

            ![pixel](http://127.0.0.1:1/x.png)

            | a | b |
            | --- | --- |
            | <script>window.__xss=6</script> | [x](javascript:alert(1)) |
            """;

    private static final String HOSTILE_RST = """
            Hostile
            =======

            .. raw:: html

               <script>window.__xss = 7</script>

            `click <javascript:window.__xss=8>`_
            """;

    private static String metadata(String name, String version, String summary, String type, String description) {
        return "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\nSummary: " + summary
                + "\nDescription-Content-Type: " + type + "\nProject-URL: Source, https://example.invalid/" + name
                + "\n\n" + description;
    }

    private static String hostile(String name, String type, String description) {
        return "Metadata-Version: 2.1\nName: " + name + "\nVersion: 1.0\n"
                + "Summary: <script>window.__xss = 9</script> evil\n"
                + "Author: <img src=x onerror=\"window.__xss = 10\">\n"
                + "Home-page: javascript:window.__xss=11\n"
                + "Project-URL: Docs, javascript:window.__xss=12\n"
                + "Project-URL: Site, \" onmouseover=\"window.__xss=13\n"
                + "Description-Content-Type: " + type + "\n\n" + description;
    }

    private static String hatchling(String name, String version) {
        return "[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n\n[project]\nname = \""
                + name + "\"\nversion = \"" + version + "\"\nrequires-python = \">=3.8\"\n";
    }

    /** Records a 1.0 wheel of {@code project} with {@code metadata} directly in the catalog, as an older release had. */
    private static void recordBeforeTheUploadRules(String project, String metadata) throws Exception {
        String dist = project.replace('-', '_');
        Path wheel = Wheels.wheel(
                Files.createDirectories(dir.resolve("before-14")),
                dist + "-1.0-py3-none-any.whl",
                dist + "-1.0.dist-info",
                dist,
                "1.0",
                metadata);
        byte[] bytes = Files.readAllBytes(wheel);
        byte[] metadataBytes = metadata.getBytes(StandardCharsets.UTF_8);
        Path metadataFile = Files.write(dir.resolve("before-14/" + dist + ".metadata"), metadataBytes);
        String sha = TestServer.digest("SHA-256", bytes);
        String metadataSha = TestServer.digest("SHA-256", metadataBytes);
        BlobKey key = BlobKey.forContent(sha, ".whl");
        BlobKey metadataKey = BlobKey.forContent(metadataSha, ".metadata");
        server.running().blobs().put(key, wheel, Sha256.hex(wheel));
        server.running().blobs().put(metadataKey, metadataFile, Sha256.hex(metadataFile));
        server.running()
                .store()
                .catalog()
                .addFile(
                        new StoredFile(
                                ProjectName.parse(project),
                                Version.parse("1.0"),
                                wheel.getFileName().toString(),
                                PackageType.BDIST_WHEEL,
                                bytes.length,
                                sha,
                                key,
                                Optional.empty(),
                                Optional.of(metadataSha),
                                Optional.of(metadataKey),
                                Instant.now(),
                                Optional.empty(),
                                "before-14"),
                        project,
                        "<script>window.__xss = 9</script> evil");
    }

    private static void upload(Path wheel) throws Exception {
        HttpResponse<String> r = server.upload(adminToken, TestServer.twineForm(wheel));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** Asks for the git project's page (which fetches and queues), then waits for both tags' builds to end. */
    private static void awaitBuilds() throws Exception {
        Instant deadline = Instant.now().plus(BUILD_WAIT);
        while (Instant.now().isBefore(deadline)) {
            server.get("/simple/gitdemo/");
            JsonNode builds =
                    JSON.readTree(server.get("/api/v1/builds?project=gitdemo").body());
            int finished = 0;
            for (JsonNode b : builds) {
                String s = b.get("status").asText();
                if (s.equals("succeeded") || s.equals("failed")) {
                    finished++;
                }
            }
            if (finished == 2) {
                return;
            }
            Thread.onSpinWait();
            Thread.sleep(500); // polling a deadline: the builds run in the server's workers
        }
        throw new AssertionError("the builds of gitdemo did not finish in " + BUILD_WAIT);
    }

    private HttpResponse<String> post(String path, String authorization, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url(path)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return server.send(b.build());
    }

    private static String page(String path, String token) throws Exception {
        HttpResponse<byte[]> r = server.get(path, "Authorization", "Bearer " + token);
        assertThat(r.statusCode()).isEqualTo(200);
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private WebElement recent(String release) {
        return browser.findElement(By.cssSelector("ul.recent li[data-release='" + release + "']"));
    }

    private List<String> names() {
        return browser.findElements(By.cssSelector("#projects li > a")).stream()
                .map(WebElement::getText)
                .toList();
    }

    /** Opens a page and runs the checks every page must pass. */
    private void visit(String path, String name) throws Exception {
        browser.get(server.url(path));
        check(name);
    }

    /**
     * One h1, a label for every visible input, a visible focus ring, body text contrast of at least 4.5:1 and no
     * console error, each in the light and the dark theme, with a screenshot of both.
     */
    private void check(String name) throws Exception {
        JavascriptExecutor js = browser;
        for (String theme : List.of("light", "dark")) {
            browser.executeCdpCommand(
                    "Emulation.setEmulatedMedia",
                    Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", theme))));
            assertThat(js.executeScript("return document.querySelectorAll('h1').length"))
                    .as(name + ": one h1")
                    .isEqualTo(1L);
            @SuppressWarnings("unchecked")
            List<String> unlabelled = (List<String>) js.executeScript("""
                    return Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
                      .filter(i => !(i.id && document.querySelector('label[for="' + i.id + '"]')) && !i.getAttribute('aria-label'))
                      .map(i => i.outerHTML);""");
            assertThat(unlabelled).as(name + ": inputs without a label").isEmpty();
            Object ratio = js.executeScript(CONTRAST);
            assertThat(((Number) ratio).doubleValue())
                    .as(name + " (" + theme + "): body text contrast")
                    .isGreaterThanOrEqualTo(4.5);
            Object focus = js.executeScript("""
                    const a = document.querySelector('main a, main input, main button, nav a');
                    a.focus();
                    const s = getComputedStyle(document.activeElement);
                    return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;""");
            assertThat(focus).as(name + ": keyboard focus is visible").isEqualTo(true);
            ((JavascriptExecutor) browser).executeScript("document.activeElement.blur()");
            Files.write(SHOTS.resolve(name + "-" + theme + ".png"), browser.getScreenshotAs(OutputType.BYTES));
        }
        browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
        List<String> errors = new ArrayList<>();
        for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(e.getMessage());
            }
        }
        assertThat(errors).as(name + ": console errors").isEmpty();
    }

    /** WCAG 2 contrast ratio of the body's text colour on its background, from the computed styles. */
    private static final String CONTRAST = """
            const parse = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
            const lum = rgb => { const [r, g, b] = rgb.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
              return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
            const s = getComputedStyle(document.body);
            const a = lum(parse(s.color)), b = lum(parse(s.backgroundColor));
            return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);""";

    private void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        waitFor(condition, Duration.ofSeconds(15));
    }

    private void waitFor(java.util.function.BooleanSupplier condition, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting on the browser at " + browser.getCurrentUrl());
            }
            Thread.sleep(100); // polling a deadline
        }
    }
}
