package partyclaw.app.configtui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigEditorTest {
  @TempDir Path dir;
  private final ObjectMapper json = new ObjectMapper();

  private static final Key UP = Key.of(Key.Type.UP);
  private static final Key DOWN = Key.of(Key.Type.DOWN);
  private static final Key LEFT = Key.of(Key.Type.LEFT);
  private static final Key ENTER = Key.of(Key.Type.ENTER);
  private static final Key ESC = Key.of(Key.Type.ESC);
  private static final Key BACKSPACE = Key.of(Key.Type.BACKSPACE);

  private static void press(ConfigEditor e, Object... keys) {
    for (Object k : keys) {
      if (k instanceof Key key) e.handle(key);
      else if (k instanceof Character c) e.handle(Key.ch(c));
      else for (char c : ((String) k).toCharArray()) e.handle(Key.ch(c));
    }
  }

  private static void down(ConfigEditor e, int n) {
    for (int i = 0; i < n; i++) e.handle(DOWN);
  }

  private ConfigEditor open(String text) throws IOException {
    Path file = dir.resolve("config.json");
    if (text != null) Files.writeString(file, text);
    return new ConfigEditor(ConfigDocument.open(file));
  }

  private JsonNode saved() throws IOException {
    return json.readTree(Files.readString(dir.resolve("config.json")));
  }

  @Test
  void aMissingFileIsCreatedAsAnEmptyObjectAndABlankOneLoadsAsOne() throws Exception {
    Path nested = dir.resolve("a/b/new.json");
    ConfigDocument doc = ConfigDocument.open(nested);
    assertEquals("{}\n", Files.readString(nested));
    assertEquals(0, doc.root().size());
    Files.writeString(dir.resolve("blank.json"), "  \n");
    assertEquals(0, ConfigDocument.open(dir.resolve("blank.json")).root().size());
    Files.writeString(dir.resolve("bad.json"), "{\"models\": ");
    IOException e = assertThrows(IOException.class, () -> ConfigDocument.open(dir.resolve("bad.json")));
    assertTrue(e.getMessage().startsWith("invalid JSON in " + dir.resolve("bad.json")), e.getMessage());
  }

  @Test
  void bootstrapThenAModelAndATelegramChannelThroughTheWizards() throws Exception {
    ConfigEditor e = open(null);
    press(e, 'b');
    assertInstanceOf(Modal.Confirm.class, e.modal());
    press(e, 'y');
    assertTrue(e.document().dirty());
    // Models page, add, openrouter (the first type), set the model id.
    press(e, DOWN, ENTER, 'a');
    assertEquals(List.of("openrouter", "openrouter-resp", "codex-subscription"),
        ((Modal.Select) e.modal()).options);
    press(e, ENTER);
    assertEquals("New model", e.form().title());
    press(e, 's');
    assertEquals(List.of("alias, api_endpoint and model are required"), ((Modal.Message) e.modal()).lines());
    assertEquals("Last action failed: alias, api_endpoint and model are required", e.status());
    press(e, ENTER, DOWN, DOWN, ENTER, "anthropic/claude-sonnet-4", ENTER, 's');
    assertNull(e.form());
    // Channels page: add telegram.
    press(e, LEFT);
    down(e, 5);
    press(e, ENTER, 'a', ENTER); // the kind wizard starts on telegram
    assertEquals("New channel", e.form().title());
    press(e, 's', 's');
    assertFalse(e.document().dirty());

    JsonNode file = saved();
    assertEquals("0.21", file.path("version").asText());
    JsonNode main = file.path("models").path("main");
    assertEquals("openrouter", main.path("type").asText());
    assertEquals("anthropic/claude-sonnet-4", main.path("model").asText());
    assertEquals("https://openrouter.ai/api/v1", main.path("api_endpoint").asText());
    assertEquals("/chat/completions", main.path("chat_completions_path").asText());
    assertEquals("OPENROUTER_API_KEY", main.path("api_key_env").asText());
    assertEquals("[\"chat\"]", main.path("capabilities").toString());
    assertEquals("[\"main\"]", file.path("agent").path("agent_frame").path("available_models").toString());
    assertEquals("{\"kind\":\"telegram\",\"id\":\"telegram-main\",\"bot_token_env\":\"TELEGRAM_BOT_TOKEN\"}",
        file.path("channels").get(0).toString());
    assertEquals("zh-CN", file.path("main_agent").path("language").asText());
    String text = Files.readString(dir.resolve("config.json"));
    assertTrue(text.startsWith("{\n  \"version\": \"0.21\",\n  \"models\": {\n"), text);
    assertTrue(text.contains("\"tooling\": {},"), text);
    assertTrue(text.endsWith("}\n"));
  }

  @Test
  void validateRunsTheDaemonsLoader() throws Exception {
    ConfigEditor e = open("{\"version\":\"0.21\",\"models\":{\"m\":{\"type\":\"openrouter\",\"model\":\"x/y\","
        + "\"api_key\":\"sk-literal-for-test\",\"capabilities\":[\"chat\"]}},\"main_agent\":{},"
        + "\"channels\":[{\"kind\":\"command_line\",\"id\":\"cli\"}]}");
    press(e, 'v');
    assertEquals(new Modal.Message("Validation", List.of("Validation passed: version 0.21, 1 model(s), 1 channel(s)")),
        e.modal());
    press(e, ENTER, 'b', 'y', 'v');
    Modal.Message error = (Modal.Message) e.modal();
    assertEquals("Error", error.title());
    assertEquals("Validation failed:", error.lines().get(0));
    assertTrue(error.lines().size() >= 3, error.lines().toString()); // no models, no channels
    assertTrue(e.status().startsWith("Last action failed: validation found "), e.status());
  }

  @Test
  void unknownKeysSurviveAndRenamingAModelMovesItInPlace() throws Exception {
    ConfigEditor e = open("{\"custom\":{\"keep\":1},\"models\":{\"a\":{\"type\":\"openrouter\",\"model\":\"m/a\","
        + "\"api_endpoint\":\"http://x\",\"my_key\":true},\"b\":{\"type\":\"openrouter\",\"model\":\"m/b\","
        + "\"api_endpoint\":\"http://x\"}},\"agent\":{\"agent_frame\":{\"available_models\":[\"a\",\"b\"]}}}");
    press(e, DOWN, ENTER, ENTER); // edit "a"
    press(e, ENTER);
    for (int i = 0; i < 1; i++) press(e, BACKSPACE);
    press(e, "alpha", ENTER, 's', 's');
    JsonNode file = saved();
    assertEquals(List.of("alpha", "b"), fields(file.path("models")));
    assertTrue(file.path("models").path("alpha").path("my_key").asBoolean());
    assertEquals("[\"alpha\",\"b\"]", file.path("agent").path("agent_frame").path("available_models").toString());
    assertEquals("{\"keep\":1}", file.path("custom").toString());

    // renaming onto an existing alias is refused
    press(e, ENTER, ENTER);
    for (int i = 0; i < 5; i++) press(e, BACKSPACE);
    press(e, 'b', ENTER, 's');
    assertEquals(List.of("a model named 'b' already exists"), ((Modal.Message) e.modal()).lines());
    press(e, ENTER, ESC);

    // deleting removes it from available_models too
    press(e, DOWN, 'd', 'y', 's');
    file = saved();
    assertEquals(List.of("alpha"), fields(file.path("models")));
    assertEquals("[\"alpha\"]", file.path("agent").path("agent_frame").path("available_models").toString());
  }

  @Test
  void savingAChannelDropsOtherKindsKeysAndLiteralSecrets() throws Exception {
    ConfigEditor e = open("{\"channels\":[{\"kind\":\"telegram\",\"id\":\"tg\",\"bot_token\":\"123:abc\","
        + "\"commands\":[],\"poll_interval_ms\":100,\"listen_addr\":\"x\",\"allowed_chats\":[1]},"
        + "{\"kind\":\"web\",\"id\":\"web\",\"auth_token\":\"t0ken-literal\",\"bot_token_env\":\"X\"}]}");
    press(e, DOWN);
    down(e, 5);
    press(e, ENTER, ENTER, 's');
    press(e, DOWN, ENTER, 's', 's');
    JsonNode file = saved();
    assertEquals("{\"kind\":\"telegram\",\"id\":\"tg\",\"poll_interval_ms\":100,\"allowed_chats\":[1]}",
        file.path("channels").get(0).toString());
    assertEquals("{\"kind\":\"web\",\"id\":\"web\",\"auth_token\":\"t0ken-literal\"}",
        file.path("channels").get(1).toString());
    // a duplicate id is refused
    press(e, 'a', ENTER);
    press(e, DOWN, ENTER);
    for (int i = 0; i < 20; i++) press(e, BACKSPACE);
    press(e, "tg", ENTER, 's');
    assertEquals(List.of("a channel with id 'tg' already exists"), ((Modal.Message) e.modal()).lines());
  }

  @Test
  void settingsPagesEditToggleAndRefuseBadNumbers() throws Exception {
    ConfigEditor e = open("{\"main_agent\":{\"context_compaction\":{\"token_limit_override\":5000}}}");
    down(e, 3); // Main Agent
    press(e, ENTER);
    down(e, 5); // time_awareness.emit_system_date_on_user_message
    press(e, ' ');
    down(e, 3); // context_compaction.trigger_ratio
    press(e, ENTER, "lots", ENTER);
    assertEquals(List.of("context_compaction.trigger_ratio: 'lots' is not a number"),
        ((Modal.Message) e.modal()).lines());
    press(e, ENTER, ENTER, "0.75", ENTER);
    press(e, DOWN, ENTER);
    for (int i = 0; i < 4; i++) press(e, BACKSPACE);
    press(e, ENTER); // blank: token_limit_override removed
    press(e, LEFT, DOWN, DOWN, ENTER, ENTER, DOWN, ENTER, DOWN, DOWN, ' ', 's');
    JsonNode file = saved();
    JsonNode main = file.path("main_agent");
    assertTrue(main.path("time_awareness").path("emit_system_date_on_user_message").asBoolean());
    assertEquals(0.75, main.path("context_compaction").path("trigger_ratio").asDouble());
    assertFalse(main.path("context_compaction").has("token_limit_override"));
    assertEquals("bubblewrap", file.path("sandbox").path("mode").asText());
    assertTrue(file.path("sandbox").path("map_docker_socket").asBoolean());
  }

  @Test
  void choosingRandomRetriesWritesItsNumbersAndNoRemovesThem() throws Exception {
    ConfigEditor e = open("{\"models\":{\"m\":{\"type\":\"openrouter\",\"model\":\"x\",\"api_endpoint\":\"http://x\"}}}");
    press(e, DOWN, ENTER, ENTER);
    down(e, 7); // retry_mode.mode (the codex-only fields are hidden)
    press(e, ENTER, DOWN, ENTER, 's', 's');
    assertEquals("{\"mode\":\"random\",\"max_retries\":3,\"retry_random_mean\":5.0}",
        saved().path("models").path("m").path("retry_mode").toString());
    press(e, ENTER);
    down(e, 7);
    press(e, ENTER, UP, ENTER, 's', 's');
    assertEquals("{\"mode\":\"no\"}", saved().path("models").path("m").path("retry_mode").toString());
  }

  @Test
  void quitAsksWhenThereAreUnsavedChanges() throws Exception {
    ConfigEditor e = open("{}");
    press(e, 'q');
    assertTrue(e.quit());
    e = open("{}");
    press(e, 'b', 'y', 'q');
    assertEquals(new Modal.Confirm("Quit", "There are unsaved changes. Quit without saving?", null).message(),
        ((Modal.Confirm) e.modal()).message());
    press(e, 'n');
    assertFalse(e.quit());
    press(e, 'q', 'y');
    assertTrue(e.quit());
    assertEquals("{}", Files.readString(dir.resolve("config.json")).strip(), "nothing was written");
  }

  @Test
  void savingIsAtomicAndKeepsTheFilesMode() throws Exception {
    ConfigEditor e = open("{}");
    Path file = dir.resolve("config.json");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    press(e, 'b', 'y', 's');
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList(), "no temp file left");
    }
  }

  @Test
  void theScreenHasHeaderSectionsContentAndFooter() throws Exception {
    ConfigEditor e = open("{\"version\":\"0.21\"}");
    List<String> screen = e.render(100, 20);
    assertEquals(20, screen.size());
    assertEquals(" partyclaw config: " + dir.resolve("config.json") + " | Overview",
        screen.get(0).stripTrailing());
    assertEquals("> Overview              | Version:  0.21", screen.get(2).stripTrailing());
    assertEquals("  Channels              | q quit (asks when there are unsaved changes)   ? this help",
        screen.get(8).stripTrailing());
    assertEquals(" Up/Down move | Enter/Right open | s save | v validate | b bootstrap | q quit | ? help",
        screen.get(19).stripTrailing());
    press(e, '?');
    assertTrue(e.render(100, 20).stream().anyMatch(l -> l.contains("+- Help ")));
  }

  private static List<String> fields(JsonNode n) {
    List<String> out = new java.util.ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
