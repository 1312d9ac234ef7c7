package partyclaw.tools.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Optional;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.remote.RemoteFiles;
import partyclaw.tools.remote.RemoteHosts;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;
import partyclaw.tools.support.WaitArgs;
import partyclaw.tools.support.WorkspacePaths;

/** {@code exec_start}: start a shell command and wait for it, within limits (tools.md §3.2). */
public final class ExecStartTool implements Tool {
  private final ExecRun run;

  /** The exec tools of the daemon run {@code run}: their processes are recorded and marked as that run's. */
  public ExecStartTool(ExecRun run) {
    this.run = run;
  }

  @Override
  public String name() {
    return "exec_start";
  }

  @Override
  public String description() {
    return "Start a shell command (sh) in the workspace or cwd and wait for it up to wait_timeout_seconds "
        + "(default 270). Returns a snapshot with exec_id, status, returncode and the last lines of output "
        + "(start = lines to skip from the end, limit = lines, default 20; capped to max_output_chars, at most "
        + "1000). The command keeps running after a timeout (on_timeout \"continue\") or is killed (\"kill\"); "
        + "use exec_wait / exec_observe / exec_kill with its exec_id. tty:true runs it in an 80x24 terminal "
        + "with stderr merged into stdout. Full output is kept in stdout_path/stderr_path for "
        + run.retention().keepFinished().toMinutes() + " minutes after the command ends (fewer when more than "
        + run.retention().maxFinished() + " commands have ended since). Use file_read, grep, glob and ls instead of "
        + "cat, grep, find, head, tail and ls.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("command", "Shell command line.")
        .string("cwd", "Working directory (default: the workspace).")
        .bool("tty", "Run in a pseudo-terminal (80x24); stderr is merged into stdout.")
        .bool("include_stdout", "Include stdout/stderr text in the result (default true).")
        .integer("start", "Output lines to skip from the end (default 0).")
        .integer("limit", "Output lines to show (default 20).")
        .bool("return_immediate", "Return right after starting instead of waiting.")
        .number("wait_timeout_seconds", "How long to wait for the command (default 270).")
        .stringEnum("on_timeout", "What to do when the wait times out (default continue).",
            "continue", "kill", "CONTINUE", "KILL")
        .integer("max_output_chars", "Character cap per stream (0..1000, default 1000).")
        .remote()
        .required("command")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.INTERRUPTIBLE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    String command = Args.requireString(args, "command");
    Optional<String> rawCwd = Args.optString(args, "cwd");
    boolean tty = Args.optBoolean(args, "tty", false);
    boolean returnImmediate = Args.optBoolean(args, "return_immediate", false);
    // Validated before spawning (the reference spawned first and then rejected a bad timeout).
    double timeout = WaitArgs.timeoutSeconds(
        Args.optNumber(args, "wait_timeout_seconds").orElse(WaitArgs.DEFAULT_TIMEOUT_SECONDS));
    WaitArgs.OnTimeout onTimeout = WaitArgs.OnTimeout.parse(args);
    OutputOptions opts = OutputOptions.parse(args);
    Optional<String> remote = RemoteHosts.target(args);
    if (command.isBlank()) throw new ToolException("command must not be empty");
    CommandPolicy.check(command);
    Path root = WorkspacePaths.realRoot(ctx);
    if (remote.isPresent()) {
      if (ctx.signal().isCancelled()) {
        throw new ToolException("the turn was cancelled before the command started; it was not run");
      }
      // Only the ssh client runs here, outside the bubblewrap sandbox: inside it has neither the daemon user's keys
      // nor ssh config, and confining it would confine nothing of the command, which runs on the host. It is still
      // an exec process: recorded, killed with its group, its output in the usual files.
      String host = remote.get();
      String remoteRoot = RemoteFiles.root(ctx, host);
      String inner = rawCwd.map(c -> "cd " + partyclaw.tools.remote.Ssh.quote(c) + " && ").orElse("") + command;
      String ssh = partyclaw.tools.remote.Ssh.commandLine(ctx.processEnvironment(), host, remoteRoot, inner, tty);
      ExecProcess p = ExecRegistry.of(ctx, run).start(ssh, root, tty, ctx.processEnvironment(), root,
          partyclaw.core.sandbox.Sandbox.subprocess(root), ctx.turnId());
      p.showAsRemote(host, command, rawCwd.orElse(remoteRoot));
      if (returnImmediate) return ExecSnapshot.of(p, opts);
      return ExecWait.await(p, timeout, onTimeout, opts, ctx.signal());
    }
    Path cwd = rawCwd.isPresent() ? WorkspacePaths.resolve(ctx, rawCwd.get()) : root;
    if (ctx.signal().isCancelled()) {
      throw new ToolException("the turn was cancelled before the command started; it was not run");
    }

    ExecProcess p = ExecRegistry.of(ctx, run).start(command, cwd, tty, ctx.processEnvironment(), root,
        ctx.sandbox(), ctx.turnId());
    if (returnImmediate) return ExecSnapshot.of(p, opts);
    return ExecWait.await(p, timeout, onTimeout, opts, ctx.signal());
  }
}
