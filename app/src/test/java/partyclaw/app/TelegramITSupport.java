package partyclaw.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import partyclaw.testkit.FakeLlmServer;
import partyclaw.testkit.FakeTelegramServer;
import partyclaw.testkit.RecordedRequest;
import partyclaw.testkit.SentMessage;
import partyclaw.testkit.Step;

/** The daemon with one Telegram channel on a fake Bot API and an echoing fake model, for the Telegram*IT tests. */
final class TelegramITSupport {
  private TelegramITSupport() {}

  static final String TOKEN_ENV = "PARTYCLAW_IT_TELEGRAM_TOKEN";
  static final String TOKEN = "4242424242:IT-secret-AAbbCCddEEff";
  static final Duration REPLY_WAIT = Duration.ofSeconds(60);

  /** The model echoes ({@code ok: <text>}); texts containing LONG or BROKEN get a long / broken-Markdown answer. */
  static FakeLlmServer llm() {
    FakeLlmServer llm = FakeLlmServer.start();
    llm.setDefault(req -> {
      String text = req.lastUserText();
      if (text.contains("LONG")) return Step.text(longText());
      if (text.contains("BROKEN")) return Step.text(BROKEN_MARKDOWN);
      return Step.text("ok: " + text);
    });
    return llm;
  }

  static final String BROKEN_MARKDOWN = "**unclosed bold, `unclosed code, <b>raw</i> tags & [half a link](http://x";

  /** 10,000 characters of words, lines and paragraphs: exactly what the user must read back. */
  static String longText() {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (sb.length() < 10_001) sb.append(i % 13 == 12 ? "\n\n" : i % 6 == 5 ? "\n" : " ").append("word").append(i++);
    String text = sb.substring(1, 10_001);
    // the conversation strips replies: a cut right after a separator would lose that character
    return Character.isWhitespace(text.charAt(text.length() - 1)) ? text.substring(0, text.length() - 1) + "x" : text;
  }

  static Path config(Path dir, String llmUrl, String telegramUrl) throws IOException {
    return config(dir, "telegram-config.json", llmUrl, telegramUrl, "\"timeout_seconds\": 60");
  }

  /**
   * The fake model as {@code main} ({@code modelSettings}: its timeout and retry lines) and the fake Bot API, with
   * access control off ({@code "open": true}): these tests are about conversations, not about who may have one.
   */
  static Path config(Path dir, String fileName, String llmUrl, String telegramUrl, String modelSettings)
      throws IOException {
    return config(dir, fileName, llmUrl, telegramUrl, modelSettings, "\"open\": true,");
  }

  /** As {@link #config(Path, String, String)}, with access control on (no allow-lists, no {@code open}). */
  static Path closedConfig(Path dir, String llmUrl, String telegramUrl) throws IOException {
    return config(dir, "telegram-closed-config.json", llmUrl, telegramUrl, "\"timeout_seconds\": 60", "");
  }

  private static Path config(Path dir, String fileName, String llmUrl, String telegramUrl, String modelSettings,
      String accessLine) throws IOException {
    String json = """
        {
          "version": "0.21",
          "models": {
            "main": {
              "type": "openrouter",
              "api_endpoint": "%s",
              "model": "fake-model",
              "capabilities": ["chat"],
              %s
            }
          },
          "main_agent": { "language": "en" },
          "channels": [ {
            "kind": "telegram",
            "id": "tg",
            "bot_token_env": "%s",
            "api_base_url": "%s",
            "poll_timeout_seconds": 2,
            %s
            "poll_interval_ms": 50
          } ]
        }
        """.formatted(llmUrl, modelSettings, TOKEN_ENV, telegramUrl, accessLine);
    Path file = dir.resolve(fileName);
    Files.writeString(file, json);
    return file;
  }

  static DaemonProcess start(Path dir, String name, Path config, Map<String, String> extraEnv) throws IOException {
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put(TOKEN_ENV, TOKEN);
    return DaemonProcess.start(dir, name, null, env,
        "run", "--config", config.toString(), "--workdir", dir.resolve("wd").toString());
  }

  static FakeTelegramServer telegram() {
    return FakeTelegramServer.start(TOKEN);
  }

  /** Waits for a bot message in the chat whose visible text is {@code text}. */
  static SentMessage awaitReply(FakeTelegramServer fake, long chatId, String text) {
    return fake.await(() -> fake.sentMessages(chatId).stream().filter(m -> m.visibleText().equals(text)).findFirst()
        .orElse(null), REPLY_WAIT, () -> "reply '" + text + "' in chat " + chatId + "; sent: " + visible(fake, chatId));
  }

  static List<String> visible(FakeTelegramServer fake, long chatId) {
    return fake.sentMessages(chatId).stream().map(SentMessage::visibleText).toList();
  }

  static long count(FakeTelegramServer fake, long chatId, String text) {
    return fake.sentMessages(chatId).stream().filter(m -> m.visibleText().equals(text)).count();
  }

  /** The user messages of a model request, as the model saw them. */
  static List<String> userTexts(RecordedRequest r) {
    return r.messages().stream().filter(m -> "user".equals(m.path("role").asText()))
        .map(m -> m.path("content").isArray() ? textOf(m.path("content")) : m.path("content").asText()).toList();
  }

  /** The text parts of a content array, joined. */
  static String textOf(JsonNode content) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : content) if (part.path("text").isTextual()) sb.append(part.path("text").asText());
    return sb.toString();
  }

  /** The workspace root the system prompt names. */
  static String workspaceRoot(RecordedRequest r) {
    JsonNode system = r.messages().get(0);
    String text = system.path("content").asText();
    int at = text.indexOf("Workspace root: ");
    if (at < 0) throw new AssertionError("no workspace root in the system prompt: " + text);
    int end = text.indexOf('\n', at);
    return text.substring(at + "Workspace root: ".length(), end < 0 ? text.length() : end).strip();
  }

  /** The request whose last user message is {@code text}. */
  static RecordedRequest requestFor(FakeLlmServer llm, String text) {
    return llm.requests().stream().filter(r -> r.lastUserText().equals(text)).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no model request ends with '" + text + "'"));
  }

  /** The bot token must not appear in anything the daemon wrote (every log file; an unreadable one fails). */
  static void assertTokenNotLeaked(DaemonProcess p, Path dir) throws IOException {
    LogLeakCheck.assertNoSecret(p, dir.resolve("wd"), TOKEN);
  }
}
