package partyclaw.tools.cron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.tools.testing.TestToolContext.args;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.cron.CronTasks;
import partyclaw.core.cron.InMemoryCronTasks;
import partyclaw.core.json.Json;
import partyclaw.core.tool.ConversationResources;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolMode;
import partyclaw.core.tool.TurnSignal;
import partyclaw.core.workdir.Workdir;
import partyclaw.testkit.ManualClock;
import partyclaw.tools.testing.TestToolContext;

class CronToolsTest {
  static final Instant NOW = Instant.parse("2024-01-01T00:00:00Z");

  @TempDir Path dir;
  final ManualClock clock = new ManualClock(NOW);
  final InMemoryCronTasks tasks = new InMemoryCronTasks(clock);
  final Tool create = new CreateCronTaskTool(clock);
  final Tool update = new UpdateCronTaskTool(clock);
  final Tool remove = new RemoveCronTaskTool(clock);
  final Tool list = new ListCronTasksTool(clock);
  final Tool get = new GetCronTaskTool(clock);
  TestToolContext base;
  Chat chatA;
  Chat chatB;

  @BeforeEach
  void setUp() throws Exception {
    base = TestToolContext.on(Files.createDirectories(dir.resolve("ws")));
    base.resources().get(CronTasks.class, () -> tasks);
    chatA = new Chat(base, "telegram:a", "main-model");
    chatB = new Chat(base, "telegram:b", "main-model");
  }

  @AfterEach
  void tearDown() {
    base.close();
  }

  static String weekdays(Object... more) {
    List<Object> kv = new ArrayList<>(List.of("name", "Report", "description", "daily report", "cron_second", "0",
        "cron_minute", "30", "cron_hour", "9", "cron_day_of_month", "*", "cron_month", "*", "cron_day_of_week",
        "MON-FRI", "task", "write the report"));
    kv.addAll(List.of(more));
    return args(kv.toArray());
  }

  private static ObjectNode withoutId(JsonNode view) {
    ObjectNode copy = (ObjectNode) view.deepCopy();
    copy.remove("id");
    return copy;
  }

  private static JsonNode error(String tool, String message) {
    return Json.object().put("error", message).put("tool", tool);
  }

  @Test
  void createReturnsTheTaskView() throws Exception {
    JsonNode view = chatA.call(create, weekdays("checker_command", "test -f ready", "checker_cwd", "sub"));
    assertTrue(view.get("id").asText().matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
    String expected = "{\"name\":\"Report\",\"description\":\"daily report\",\"schedule\":\"0 30 9 * * MON-FRI\","
        + "\"timezone\":\"Asia/Shanghai\",\"agent_backend\":\"agent_frame\",\"model_key\":\"main-model\","
        + "\"task\":\"write the report\",\"enabled\":true,\"missed_runs\":\"run_once\",\"run\":\"agent\","
        + "\"sink\":null,\"checker\":{\"command\":\"test -f ready\",\"timeout_seconds\":30,\"cwd\":\"sub\"},"
        + "\"created_at\":\"2024-01-01T08:00:00+08:00\",\"updated_at\":\"2024-01-01T08:00:00+08:00\","
        + "\"next_run_at\":\"2024-01-01T09:30:00+08:00\",\"last_scheduled_for\":null,\"last_checked_at\":null,"
        + "\"last_check_outcome\":null,\"last_triggered_at\":null,\"last_trigger_outcome\":null}";
    assertEquals(Json.parse(expected), withoutId(view));
    assertEquals(view, chatA.call(get, args("id", view.get("id").asText())));
  }

  @Test
  void createTakesTheOptionsGiven() throws Exception {
    JsonNode view = chatA.call(create, weekdays("model", "other", "timezone", "UTC", "enabled", false,
        "missed_runs", "skip", "cron_year", "2030"));
    assertEquals("other", view.get("model_key").asText());
    assertEquals("UTC", view.get("timezone").asText());
    assertFalse(view.get("enabled").asBoolean());
    assertTrue(view.get("next_run_at").isNull());
    assertEquals("skip", view.get("missed_runs").asText());
    assertEquals("0 30 9 * * MON-FRI 2030", view.get("schedule").asText());
  }

  @Test
  void createErrors() throws Exception {
    Chat noModel = new Chat(base, "telegram:a", null);
    assertEquals(error("create_cron_task", "no main model selected"), noModel.call(create, weekdays()));
    assertEquals(error("create_cron_task", "cron_day_of_week \"0\" is invalid: value 0 not in range [1, 7] (day of "
        + "week is 1-7 with Sunday = 1 (Monday = 2, Saturday = 7) or SUN-SAT)"),
        chatA.call(create, weekdays("cron_day_of_week", "0")));
    assertEquals(error("create_cron_task", "timezone \"Mars\" is not an IANA time zone name (for example "
        + "Asia/Shanghai, Europe/Berlin, America/New_York, UTC)"), chatA.call(create, weekdays("timezone", "Mars")));
    assertEquals(error("create_cron_task", "name must be a non-empty string"), chatA.call(create, weekdays("name", " ")));
    assertEquals(error("create_cron_task", "cron_hour must be a non-empty string"),
        chatA.call(create, weekdays("cron_hour", "")));
    assertEquals(error("create_cron_task", "checker_cwd \"../x\" is outside the conversation workspace; give a "
        + "directory inside it (relative paths are resolved against it)"),
        chatA.call(create, weekdays("checker_command", "true", "checker_cwd", "../x")));
    assertEquals(error("create_cron_task", "checker_timeout_seconds and checker_cwd need checker_command"),
        chatA.call(create, weekdays("checker_timeout_seconds", 5)));
    assertEquals(error("create_cron_task", "checker_timeout_seconds must be greater than 0"),
        chatA.call(create, weekdays("checker_command", "true", "checker_timeout_seconds", 0)));
    assertEquals(error("create_cron_task", "missed_runs must be run_once or skip, not \"never\""),
        chatA.call(create, weekdays("missed_runs", "never")));
    assertEquals(List.of(), tasks.list("telegram:a"));
  }

  @Test
  void eachConversationSeesOnlyItsOwnTasks() throws Exception {
    String a1 = chatA.call(create, weekdays("name", "a1")).get("id").asText();
    String a2 = chatA.call(create, weekdays("name", "a2")).get("id").asText();
    String b1 = chatB.call(create, weekdays("name", "b1")).get("id").asText();
    assertEquals(List.of(a1, a2), ids(chatA.call(list, "{}")));
    assertEquals(List.of(b1), ids(chatB.call(list, "{}")));
    String notFound = "cron task " + a1 + " not found";
    assertEquals(error("get_cron_task", notFound), chatB.call(get, args("id", a1)));
    assertEquals(error("update_cron_task", notFound), chatB.call(update, args("id", a1, "name", "stolen")));
    assertEquals(error("remove_cron_task", notFound), chatB.call(remove, args("id", a1)));
    assertEquals("a1", chatA.call(get, args("id", a1)).get("name").asText());
  }

  private static List<String> ids(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.get("id").asText()));
    return out;
  }

  @Test
  void updateChangesOnlyTheFieldsGiven() throws Exception {
    JsonNode before = chatA.call(create, weekdays("checker_command", "true", "checker_timeout_seconds", 9));
    String id = before.get("id").asText();
    clock.set(NOW.plusSeconds(60));
    JsonNode after = chatA.call(update, args("id", id.toUpperCase(), "name", "Renamed"));
    ObjectNode expected = (ObjectNode) before.deepCopy();
    expected.put("name", "Renamed").put("updated_at", "2024-01-01T08:01:00+08:00");
    assertEquals(expected, after);

    JsonNode cwdOnly = chatA.call(update, args("id", id, "checker_cwd", "sub"));
    assertEquals(Json.parse("{\"command\":\"true\",\"timeout_seconds\":9,\"cwd\":\"sub\"}"), cwdOnly.get("checker"));
    assertTrue(chatA.call(update, args("id", id, "clear_checker", true)).get("checker").isNull());

    JsonNode rescheduled = chatA.call(update, args("id", id, "cron_second", "0", "cron_minute", "0", "cron_hour", "12",
        "cron_day_of_month", "*", "cron_month", "*", "cron_day_of_week", "SUN", "timezone", "UTC"));
    assertEquals("0 0 12 * * SUN", rescheduled.get("schedule").asText());
    assertEquals("2024-01-07T12:00:00Z", rescheduled.get("next_run_at").asText());
    assertEquals("Renamed", rescheduled.get("name").asText());
  }

  @Test
  void updateErrors() throws Exception {
    String id = chatA.call(create, weekdays()).get("id").asText();
    assertEquals(error("update_cron_task", "a schedule change needs all six cron fields (cron_second, cron_minute, "
        + "cron_hour, cron_day_of_month, cron_month, cron_day_of_week); missing: cron_second, cron_minute, "
        + "cron_day_of_month, cron_month, cron_day_of_week"), chatA.call(update, args("id", id, "cron_hour", "8")));
    assertEquals(error("update_cron_task", "nothing to update: give at least one field to change besides id"),
        chatA.call(update, args("id", id)));
    assertEquals(error("update_cron_task", "this task has no checker: give checker_command to add one "
        + "(checker_timeout_seconds and checker_cwd alone change an existing checker)"),
        chatA.call(update, args("id", id, "checker_timeout_seconds", 5)));
    assertEquals(error("update_cron_task", "id must be a valid UUID"), chatA.call(update, args("id", "42", "name", "x")));
    assertEquals(error("update_cron_task", "missing required argument: id"), chatA.call(update, args("name", "x")));
  }

  @Test
  void removeReturnsTheRemovedTask() throws Exception {
    JsonNode created = chatA.call(create, weekdays());
    String id = created.get("id").asText();
    assertEquals(created, chatA.call(remove, args("id", id)));
    assertEquals(Json.MAPPER.createArrayNode(), chatA.call(list, "{}"));
    assertEquals(error("get_cron_task", "cron task " + id + " not found"), chatA.call(get, args("id", id)));
  }

  @Test
  void withoutThePortEveryToolSaysCronIsUnavailable() throws Exception {
    try (TestToolContext bare = TestToolContext.on(Files.createDirectories(dir.resolve("bare")))) {
      String id = "7f1c2a3b-0000-4000-8000-000000000001";
      assertEquals(error("create_cron_task", "cron is not available in this runtime"), bare.call(create, weekdays()));
      assertEquals(error("update_cron_task", "cron is not available in this runtime"),
          bare.call(update, args("id", id, "name", "x")));
      assertEquals(error("remove_cron_task", "cron is not available in this runtime"), bare.call(remove, args("id", id)));
      assertEquals(error("get_cron_task", "cron is not available in this runtime"), bare.call(get, args("id", id)));
      assertEquals(error("list_cron_tasks", "cron is not available in this runtime"), bare.call(list, "{}"));
    }
  }

  @Test
  void schemasAndDescriptions() {
    for (Tool t : List.of(create, update, remove, list, get)) assertEquals(ToolMode.IMMEDIATE, t.mode());
    assertEquals(Json.MAPPER.valueToTree(List.of("name", "description", "cron_second", "cron_minute", "cron_hour",
        "cron_day_of_month", "cron_month", "cron_day_of_week", "task")), create.parameters().get("required"));
    assertEquals(Json.MAPPER.valueToTree(List.of("id")), update.parameters().get("required"));
    assertTrue(update.parameters().get("properties").has("clear_checker"));
    assertFalse(create.parameters().get("properties").has("clear_checker"));
    for (Tool t : List.of(create, update)) {
      assertTrue(t.description().contains("Day of week is 1-7 with Sunday = 1 (Monday = 2 ... Saturday = 7) or "
          + "SUN-SAT; 0 is not a day."), t.name());
      assertTrue(t.description().contains("cron_day_of_week MON-FRI (or 2-6)"), t.name());
    }
  }

  /** A conversation other than the TestToolContext's, with its own current model, sharing its resources. */
  static final class Chat implements ToolContext {
    private final TestToolContext base;
    private final String id;
    private final String model;

    Chat(TestToolContext base, String id, String model) {
      this.base = base;
      this.id = id;
      this.model = model;
    }

    JsonNode call(Tool tool, String jsonArgs) throws Exception {
      return Json.parse(partyclaw.core.tool.ToolInvoker.invoke(tool, tool.name(), jsonArgs, this).content());
    }

    @Override
    public String conversationId() {
      return id;
    }

    @Override
    public String currentModel() {
      return model;
    }

    @Override
    public Path workspaceRoot() {
      return base.workspaceRoot();
    }

    @Override
    public TurnSignal signal() {
      return base.signal();
    }

    @Override
    public ConversationResources resources() {
      return base.resources();
    }

    @Override
    public Map<String, String> processEnvironment() {
      return base.processEnvironment();
    }

    @Override
    public Workdir workdir() {
      return base.workdir();
    }

    @Override
    public CompletionStage<Void> tellUser(String text) {
      return base.tellUser(text);
    }
  }

}
