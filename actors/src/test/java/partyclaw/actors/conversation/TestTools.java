package partyclaw.actors.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import partyclaw.core.json.Json;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolMode;

/** Small tools for entity tests; one set per fixture, so a tool still running from another test records nothing here. */
final class TestTools {
  /** How each call of {@link #WAIT} ended, in order. */
  final java.util.List<partyclaw.core.tool.TurnSignal.Level> waitEndings =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Echoes its {@code text} argument. */
  final Tool ECHO = new Tool() {
    public String name() { return "echo"; }
    public String description() { return "Echo text."; }
    public ObjectNode parameters() { return Json.object().put("type", "object"); }
    public ToolMode mode() { return ToolMode.IMMEDIATE; }
    public JsonNode run(JsonNode args, ToolContext ctx) {
      return Json.object().put("echo", args.path("text").asText());
    }
  };

  /** Takes 300 ms: finishes after an immediate tool of the same batch. */
  final Tool SLOW = new Tool() {
    public String name() { return "slow"; }
    public String description() { return "Slow."; }
    public ObjectNode parameters() { return Json.object().put("type", "object"); }
    public ToolMode mode() { return ToolMode.IMMEDIATE; }
    public JsonNode run(JsonNode args, ToolContext ctx) throws InterruptedException {
      Thread.sleep(300);
      return Json.object().put("slow", true);
    }
  };

  /** Immediate and takes a second: a turn long enough to send messages during it. */
  final Tool SLEEP1 = new Tool() {
    public String name() { return "sleep1"; }
    public String description() { return "Sleep a second."; }
    public ObjectNode parameters() { return Json.object().put("type", "object"); }
    public ToolMode mode() { return ToolMode.IMMEDIATE; }
    public JsonNode run(JsonNode args, ToolContext ctx) throws InterruptedException {
      Thread.sleep(1000);
      return Json.object().put("slept", true);
    }
  };

  /** Waits until interrupted (or 20 s): a long exec_wait stand-in. Reports how it ended. */
  final Tool WAIT = new Tool() {
    public String name() { return "wait"; }
    public String description() { return "Wait."; }
    public ObjectNode parameters() { return Json.object().put("type", "object"); }
    public ToolMode mode() { return ToolMode.INTERRUPTIBLE; }
    public JsonNode run(JsonNode args, ToolContext ctx) throws InterruptedException {
      boolean signalled = ctx.signal().await(Duration.ofSeconds(20));
      waitEndings.add(ctx.signal().level());
      return Json.object().put("interrupted", signalled).put("partial", "42 lines so far");
    }
  };
}
