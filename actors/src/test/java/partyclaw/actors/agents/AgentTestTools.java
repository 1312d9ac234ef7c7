package partyclaw.actors.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import partyclaw.core.json.Json;
import partyclaw.core.llm.ToolSpec;
import partyclaw.core.tool.ConversationResources;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolMode;
import partyclaw.core.tool.TurnSignal;
import partyclaw.core.workdir.Workdir;

/** Small tools for agent tests; one set per test, so a tool still running from another test records nothing here. */
final class AgentTestTools {
  /** The {@code text} argument of every echo call, in the order they ran. */
  final List<String> echoed = new CopyOnWriteArrayList<>();
  /** Counted down when a wait call has started. */
  final CountDownLatch waitStarted = new CountDownLatch(1);
  /** How the wait call ended: the level of its signal when it returned. */
  final CompletableFuture<TurnSignal.Level> waitEnded = new CompletableFuture<>();

  /** Echoes its {@code text} argument. */
  final Tool echo = tool("echo", ToolMode.IMMEDIATE, (args, ctx) -> {
    echoed.add(args.path("text").asText());
    return Json.object().put("echo", args.path("text").asText());
  });

  /** A bug in a tool: throws. */
  final Tool boom = tool("boom", ToolMode.IMMEDIATE, (args, ctx) -> {
    throw new IllegalStateException("boom exploded");
  });

  /** Waits until its signal is raised (or 20 s): a long exec_wait stand-in. */
  final Tool wait = tool("wait", ToolMode.INTERRUPTIBLE, (args, ctx) -> {
    waitStarted.countDown();
    ctx.signal().await(Duration.ofSeconds(20));
    waitEnded.complete(ctx.signal().level());
    return Json.object().put("waited", true);
  });

  Map<String, Tool> all() {
    return Map.of(echo.name(), echo, boom.name(), boom, wait.name(), wait);
  }

  List<ToolSpec> specs() {
    return all().values().stream().map(t -> new ToolSpec(t.name(), t.description(), t.parameters())).toList();
  }

  interface Body {
    JsonNode run(JsonNode args, ToolContext ctx) throws InterruptedException;
  }

  private static Tool tool(String name, ToolMode mode, Body body) {
    return new Tool() {
      public String name() { return name; }
      public String description() { return name + " for tests."; }
      public ObjectNode parameters() { return Json.object().put("type", "object"); }
      public ToolMode mode() { return mode; }
      public JsonNode run(JsonNode args, ToolContext ctx) throws InterruptedException { return body.run(args, ctx); }
    };
  }

  /** The context a parent would give its agent's calls, minus everything these tools do not use. */
  record Context(Path workspaceRoot, TurnSignal signal) implements ToolContext {
    public String conversationId() { return "test:agents"; }
    public ConversationResources resources() { return new ConversationResources(); }
    public Map<String, String> processEnvironment() { return Map.of(); }
    public Workdir workdir() { return new Workdir(workspaceRoot); }
    public CompletionStage<Void> tellUser(String text) { return CompletableFuture.completedFuture(null); }
  }
}
