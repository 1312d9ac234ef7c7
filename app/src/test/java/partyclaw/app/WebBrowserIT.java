package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import partyclaw.testkit.FakeLlmServer;
import partyclaw.testkit.Step;

/**
 * The bundled browser client in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * which {@code .ci/run} installs): log in with the token, send, watch the reply stream in and render as Markdown,
 * reload and find the history, and see a script tag in a reply shown as text, never run.
 */
class WebBrowserIT {
  static final String CHROMIUM = System.getProperty("partyclaw.chromium", "/usr/bin/chromium");
  static final String CHROMEDRIVER = System.getProperty("partyclaw.chromedriver", "/usr/bin/chromedriver");
  static final String STREAMED = "**Hello** from the agent, streamed in pieces: one, two, three, four, five, six,"
      + " seven, eight, nine, ten.";
  static final String SCRIPTED = "Careful: <script>window.__pwned = 1</script> and <img src=x onerror=\"window.__pwned=2\">"
      + " stay text.";

  @TempDir Path dir;

  @Test
  void loginSendStreamReloadAndNoScriptInjection() throws Exception {
    assertTrue(new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute(),
        "this test needs Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
            + "); .ci/run installs them: apt-get install chromium chromium-driver");
    try (FakeLlmServer llm = FakeLlmServer.start()) {
      llm.enqueue(Step.text(STREAMED).withChunkDelay(Duration.ofMillis(250)), Step.text(SCRIPTED));
      int port = WebITSupport.freePort();
      String base = "http://127.0.0.1:" + port;
      try (DaemonProcess daemon = WebITSupport.start(dir, WebITSupport.config(dir, llm.baseUrl(), port))) {
        WebITSupport.awaitHealthy(base, daemon);
        WebDriver driver = chromium();
        try {
          run(driver, base);
        } catch (AssertionError | RuntimeException e) {
          throw new AssertionError(e.getMessage() + "\npage:\n" + driver.getPageSource() + "\nstderr:\n"
              + daemon.stderr(), e);
        } finally {
          driver.quit();
        }
      }
    }
  }

  private void run(WebDriver driver, String base) {
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(45), Duration.ofMillis(50));
    driver.get(base + "/");
    WebElement token = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-input")));
    token.sendKeys(WebITSupport.TOKEN);
    driver.findElement(By.id("token-save")).click();
    wait.until(ExpectedConditions.textToBe(By.id("connection"), "online"));
    assertEquals(WebITSupport.TOKEN, js(driver, "return localStorage.getItem('clawparty_auth_token')"));

    WebElement composer = driver.findElement(By.id("composer"));
    composer.sendKeys("say hello");
    composer.sendKeys(Keys.ENTER);
    // the user's message, then the reply growing in a streaming bubble before the final one replaces it
    wait.until(d -> texts(d, ".msg.user .body").equals(List.of("say hello")));
    String partial = wait.until(d -> {
      List<String> streaming = texts(d, ".msg.streaming .body");
      return streaming.isEmpty() || streaming.get(0).isEmpty() ? null : streaming.get(0);
    });
    assertTrue(!partial.isEmpty() && STREAMED.replace("**", "").startsWith(partial.strip()),
        "streamed so far: " + partial);
    String rendered = STREAMED.replace("**", "");
    wait.until(d -> texts(d, ".msg.assistant:not(.streaming) .body").equals(List.of(rendered)));
    assertEquals("Hello", driver.findElement(By.cssSelector(".msg.assistant:not(.streaming) .body strong")).getText());
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".msg.streaming"), 0));

    composer = driver.findElement(By.id("composer"));
    composer.sendKeys("show me a script");
    composer.sendKeys(Keys.ENTER);
    wait.until(d -> texts(d, ".msg.assistant .body").size() == 2);
    assertEquals(SCRIPTED, texts(driver, ".msg.assistant .body").get(1));
    assertEquals(0, driver.findElements(By.cssSelector("#entries script, #entries img")).size());
    assertNull(js(driver, "return window.__pwned === undefined ? null : String(window.__pwned)"));

    driver.navigate().refresh();
    wait.until(d -> texts(d, "#entries .msg .body").size() == 4);
    assertEquals(List.of("say hello", rendered, "show me a script", SCRIPTED), texts(driver, "#entries .msg .body"));
    assertTrue(driver.findElement(By.id("login")).getAttribute("class").contains("hidden"),
        "the token was asked again after a reload");
    assertEquals(0, driver.findElements(By.cssSelector("#entries script, #entries img")).size());
    assertNull(js(driver, "return window.__pwned === undefined ? null : String(window.__pwned)"));
    assertEquals("web-default", driver.findElement(By.id("conversation-title")).getText());
    // no script error and no Content-Security-Policy violation on the way
    List<String> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
    assertEquals(List.of(), severe);
  }

  private static Object js(WebDriver driver, String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** The rendered text of every match, read in one script run: the page re-renders while the reply streams. */
  @SuppressWarnings("unchecked")
  private static List<String> texts(WebDriver d, String css) {
    return ((List<Object>) js(d, "return Array.from(document.querySelectorAll(arguments[0]))"
        + ".map(e => e.innerText.trim())", css)).stream().map(String::valueOf).toList();
  }

  private WebDriver chromium() throws Exception {
    Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
        "--user-data-dir=" + profile, "--window-size=1200,900");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort()
        .withLogFile(dir.resolve("chromedriver.log").toFile()).build();
    return new ChromeDriver(service, options);
  }
}
