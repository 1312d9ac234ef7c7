package partyclaw.tools.file;

import partyclaw.tools.remote.RemoteHosts;
import partyclaw.tools.remote.RemoteFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import partyclaw.core.json.Json;
import partyclaw.core.sandbox.Sandbox;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.sandbox.SandboxLauncher;
import partyclaw.tools.sandbox.SpawnThread;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;
import partyclaw.tools.support.WorkspacePaths;

/**
 * {@code apply_patch}: {@code git apply} a unified diff in the workspace (tools.md §3.1). Departures: the
 * strip level is detected when not given (git-style {@code a/}/{@code b/} names → 1, else 0), and a patch
 * naming a file outside the workspace is refused before git runs.
 */
public final class ApplyPatchTool implements Tool {
  /** git apply is quick; a hung git (e.g. a stuck lock) must not hold an immediate tool forever. */
  static final long GIT_TIMEOUT_SECONDS = 60;

  @Override
  public String name() {
    return "apply_patch";
  }

  @Override
  public String description() {
    return "Apply a unified diff to files in the workspace with git apply (--recount). Plain diffs and git "
        + "diffs with a/ and b/ prefixes are both accepted; strip overrides the detected -p level. "
        + "check:true only tests whether the patch applies; reverse:true un-applies it.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("patch", "Unified diff text.")
        .integer("strip", "Leading path components to strip (-p). Default: 1 for a/ b/ git diffs, else 0.")
        .bool("reverse", "Apply the patch in reverse.")
        .bool("check", "Only check whether the patch applies; change nothing.")
        .remote()
        .required("patch")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    String patch = Args.requireString(args, "patch");
    boolean reverse = Args.optBoolean(args, "reverse", false);
    boolean check = Args.optBoolean(args, "check", false);
    java.util.Optional<String> remote = RemoteHosts.target(args);
    List<PatchPaths.Header> headers = PatchPaths.headers(patch);
    long strip = Args.optNonNegativeInt(args, "strip").orElse((long) PatchPaths.detectStrip(headers));
    if (strip > 64) throw new ToolException("argument strip must be an integer between 0 and 64");
    if (remote.isPresent()) {
      String cmd = "git apply --recount --whitespace=nowarn -p" + strip + (reverse ? " --reverse" : "")
          + (check ? " --check" : "");
      return RemoteFiles.command(ctx, remote.get(), "apply_patch", cmd, patch);
    }

    Path root = WorkspacePaths.realRoot(ctx);
    for (PatchPaths.Header h : headers) {
      String target = PatchPaths.stripped(h, (int) strip);
      if (target == null || target.isEmpty()) continue;
      try {
        WorkspacePaths.resolve(ctx, target);
      } catch (ToolException e) {
        throw new ToolException("patch refused: it names " + target + ", which is outside the conversation "
            + "workspace " + root + "; patch only files under the workspace");
      }
    }

    List<String> cmd = new ArrayList<>(List.of("git", "apply", "--recount", "--whitespace=nowarn", "-p" + strip));
    if (reverse) cmd.add("--reverse");
    if (check) cmd.add("--check");
    return runGit(cmd, patch, root, ctx);
  }

  private static ObjectNode runGit(List<String> cmd, String patch, Path root, ToolContext ctx)
      throws ToolException, InterruptedException {
    Map<String, String> env = new HashMap<>(ctx.processEnvironment());
    // Inside an enclosing repository git apply would resolve names against that repository's top level;
    // stopping discovery above the workspace keeps the workspace the root of every patched path. (In a bubblewrap
    // sandbox, where this variable is not passed, nothing above the workspace is visible in the first place.)
    if (root.getParent() != null) env.put("GIT_CEILING_DIRECTORIES", root.getParent().toString());
    Sandbox sandbox = ctx.sandbox();
    SandboxLauncher.prepareWorkspace(sandbox);
    SandboxLauncher.LaunchPlan plan = SandboxLauncher.plan(sandbox, cmd, root, env);
    ProcessBuilder pb = new ProcessBuilder(plan.argv()).directory(root.toFile());
    pb.environment().clear();
    pb.environment().putAll(plan.env());
    Process p;
    try {
      p = SpawnThread.start(pb::start);
    } catch (IOException e) {
      throw new ToolException("failed to run git apply: " + e.getMessage() + "; is git installed on this host?");
    }
    // Own threads, not the common pool: on a 2-core host that pool has one thread, and a reader queued
    // behind the other would let git block on a full stderr pipe.
    CompletableFuture<String> out = drain(p.getInputStream(), "apply-patch-stdout");
    CompletableFuture<String> err = drain(p.getErrorStream(), "apply-patch-stderr");
    try (OutputStream stdin = p.getOutputStream()) {
      stdin.write(patch.getBytes(StandardCharsets.UTF_8));
    } catch (IOException ignored) {
      // git exited before reading everything; its stderr says why
    }
    int code;
    try {
      if (!p.waitFor(GIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        code = -1;
      } else {
        code = p.exitValue();
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      throw e;
    }
    ObjectNode result = Json.object();
    result.put("applied", code == 0);
    result.put("returncode", code);
    result.put("stdout", join(out));
    result.put("stderr", join(err));
    return result;
  }

  private static CompletableFuture<String> drain(InputStream in, String threadName) {
    CompletableFuture<String> f = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try (in) {
        f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        f.complete("");
      }
    }, threadName);
    t.setDaemon(true);
    t.start();
    return f;
  }

  private static String join(CompletableFuture<String> f) throws InterruptedException {
    try {
      return f.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      return "";
    }
  }
}
