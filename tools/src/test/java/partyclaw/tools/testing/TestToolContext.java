package partyclaw.tools.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import partyclaw.core.json.Json;
import partyclaw.core.sandbox.Sandbox;
import partyclaw.core.tool.ConversationResources;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolInvoker;
import partyclaw.core.tool.ToolResult;
import partyclaw.core.tool.TurnSignal;
import partyclaw.core.workdir.Workdir;

/** A ToolContext on a temp workspace: records user messages, lets a test raise the batch signal. */
public final class TestToolContext implements ToolContext, AutoCloseable {
  private final Path root;
  private final ConversationResources resources = new ConversationResources();
  private final Map<String, String> env;
  private final List<String> told = new CopyOnWriteArrayList<>();
  private volatile TurnSignal signal = new TurnSignal();
  private volatile Workdir workdir;
  private volatile String conversationId = "test:1";
  private volatile String turnId = "turn-1";
  private volatile Sandbox sandbox;
  private volatile Function<String, CompletionStage<Void>> teller = t -> CompletableFuture.completedFuture(null);

  private TestToolContext(Path root, Map<String, String> env) {
    this.root = root;
    this.env = env;
    this.workdir = new Workdir(root.resolve(".workdir"));
  }

  /** Points {@link #workdir()} at {@code dir} (by default {@code .workdir} inside the workspace, created only if used). */
  public TestToolContext withWorkdir(Path dir) {
    this.workdir = new Workdir(dir);
    return this;
  }

  /** Makes {@link #sandbox()} return {@code sb} (by default: subprocess mode on the workspace). */
  public TestToolContext withSandbox(Sandbox sb) {
    this.sandbox = sb;
    return this;
  }

  @Override
  public Sandbox sandbox() {
    Sandbox sb = sandbox;
    return sb == null ? Sandbox.subprocess(root) : sb;
  }

  @Override
  public Workdir workdir() {
    return workdir;
  }

  /** Workspace = the real path of {@code dir}; process env = only PATH plus {@code extraEnv}. */
  public static TestToolContext on(Path dir, Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>();
    String path = System.getenv("PATH");
    env.put("PATH", path == null ? "/usr/local/bin:/usr/bin:/bin" : path);
    env.putAll(extraEnv);
    try {
      return new TestToolContext(dir.toRealPath(), env);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static TestToolContext on(Path dir) {
    return on(dir, Map.of());
  }

  /** Makes the calls come from {@code id} (by default {@code test:1}). */
  /** The caller, as the runtime names it: a turn id, or {@code partyclaw.core.agents.AgentOwners}' agent owners. */
  public TestToolContext withTurnId(String id) {
    this.turnId = id;
    return this;
  }

  @Override
  public String turnId() {
    return turnId;
  }

  private volatile String currentModel;

  /** Makes {@link #currentModel()} return {@code alias} (by default none is selected). */
  public TestToolContext withCurrentModel(String alias) {
    this.currentModel = alias;
    return this;
  }

  @Override
  public String currentModel() {
    return currentModel;
  }

  public TestToolContext withConversationId(String id) {
    this.conversationId = id;
    return this;
  }

  @Override
  public String conversationId() {
    return conversationId;
  }

  @Override
  public Path workspaceRoot() {
    return root;
  }

  @Override
  public TurnSignal signal() {
    return signal;
  }

  /** Starts a new batch: a fresh, unraised signal. */
  public void newBatch() {
    signal = new TurnSignal();
  }

  @Override
  public ConversationResources resources() {
    return resources;
  }

  @Override
  public Map<String, String> processEnvironment() {
    return env;
  }

  @Override
  public CompletionStage<Void> tellUser(String text) {
    told.add(text);
    return teller.apply(text);
  }

  public List<String> told() {
    return told;
  }

  public void teller(Function<String, CompletionStage<Void>> f) {
    teller = f;
  }

  /** Runs a call the way the runtime does and returns what the model would see. */
  public ToolResult invoke(Tool tool, String jsonArgs) throws InterruptedException {
    return ToolInvoker.invoke(tool, tool.name(), jsonArgs, this);
  }

  /** Runs a call and parses the rendered JSON content. */
  public JsonNode call(Tool tool, String jsonArgs) throws InterruptedException {
    try {
      return Json.parse(invoke(tool, jsonArgs).content());
    } catch (JsonProcessingException e) {
      throw new AssertionError("tool output is not JSON", e);
    }
  }

  /** JSON object literal from alternating keys and values, so tests need no escaping of paths. */
  public static String args(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return Json.write(m);
  }

  @Override
  public void close() {
    resources.close();
  }
}
