package partyclaw.tools.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import partyclaw.core.json.Json;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;

/**
 * {@code exec_kill}: SIGKILL a command and every process it started (tools.md §3.2). Departures: the whole
 * tree dies for non-tty commands too, and a command that had already finished keeps its real returncode
 * (reported with {@code killed:false}) instead of being rewritten to -9.
 */
public final class ExecKillTool implements Tool {
  private final ExecRun run;

  /** The exec tools of the daemon run {@code run}: their processes are recorded and marked as that run's. */
  public ExecKillTool(ExecRun run) {
    this.run = run;
  }

  @Override
  public String name() {
    return "exec_kill";
  }

  @Override
  public String description() {
    return "Kill a command started with exec_start, together with all processes it started.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("exec_id", "Id returned by exec_start.")
        .required("exec_id")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    String execId = Args.requireString(args, "exec_id");
    ExecProcess p = ExecRegistry.of(ctx, run).require(execId);
    boolean killedNow = p.kill();
    ExecProcess.Status s = p.status();
    ObjectNode o = Json.object();
    o.put("exec_id", p.id());
    if (s.pid() == null) o.putNull("pid");
    else o.put("pid", s.pid());
    o.put("command", p.shownCommand());
    o.put("remote", p.remote());
    o.put("cwd", p.shownCwd());
    o.put("running", s.running());
    o.put("completed", s.completed());
    o.put("killed", killedNow || s.killed());
    if (s.returncode() == null) o.putNull("returncode");
    else o.put("returncode", s.returncode());
    return o;
  }
}
