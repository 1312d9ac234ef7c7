package partyclaw.tools.dsl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import partyclaw.core.json.Json;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolInvoker;
import partyclaw.core.tool.ToolResult;
import partyclaw.tools.sandbox.SandboxLauncher;

/**
 * Runs DSL jobs: each script in a CPython worker process of its own (tools.md §1.7, §3.3), started through the
 * conversation's sandbox, speaking JSON lines with a driver thread here that performs its LLM and tool calls and
 * enforces the budgets. Why a process and not an interpreter in the JVM: the spec's semantics are CPython's (its
 * strings, numbers, dicts and their methods), a process can be killed outright when a script runs away
 * ({@code 10**10**10}), and the sandbox confines it like any other command.
 */
public final class DslRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DslRuntime.class);
  /** tools.md §1.3: these old names are accepted only from DSL code. */
  private static final Map<String, String> LEGACY_NAMES = Map.of("read_file", "file_read", "write_file", "file_write");
  /** Ids at the top level of a tool result that name a job the script started (tools.md §3.3). */
  private static final List<String> CHILD_ID_FIELDS = List.of("exec_id", "download_id", "image_id");
  static final int MAX_CODE_CHARS = 20_000;
  /** The worker's address-space limit: enough for CPython and big strings, not for a runaway {@code "x" * 10**12}. */
  static final long WORKER_MEMORY_BYTES = 1L << 30;

  private final Supplier<Map<String, Tool>> tools;
  private final DslModels models;
  private final HttpClient http;
  private final ScheduledExecutorService deadlines;
  private final String workerSource;

  /** {@code tools}: the built-in tools a script may call (no host, skill or helper tools, no dsl_*). */
  public DslRuntime(Supplier<Map<String, Tool>> tools, DslModels models, HttpClient http) {
    this.tools = tools;
    this.models = models;
    this.http = http;
    this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dsl-deadlines");
      t.setDaemon(true);
      return t;
    });
    try (InputStream in = DslRuntime.class.getResourceAsStream("dsl_worker.py")) {
      if (in == null) throw new IllegalStateException("dsl_worker.py is missing from the build");
      this.workerSource = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The names a script may call with {@code tool()}. */
  public Set<String> callableTools() {
    return tools.get().keySet().stream().filter(n -> !n.startsWith("dsl_")).collect(java.util.stream.Collectors.toSet());
  }

  /** Validates {@code code} and starts it; the job is registered in the conversation's {@link DslRegistry}. */
  DslJob start(ToolContext ctx, String code, String label, DslLimits limits) throws ToolException {
    if (code.length() > MAX_CODE_CHARS) {
      throw new ToolException("code is " + code.length() + " characters; the limit is " + MAX_CODE_CHARS);
    }
    String problem = DslValidator.problem(code);
    if (problem != null) throw new ToolException("DSL code rejected before running: " + problem);
    boolean bubblewrap = ctx.sandbox().mode() == partyclaw.core.sandbox.SandboxMode.BUBBLEWRAP;
    String python = python(ctx.processEnvironment(), bubblewrap).orElseThrow(() -> new ToolException(bubblewrap
        ? "the DSL needs python3 (or python) under /usr or /bin, the system folders a bubblewrap sandbox shows, and"
            + " none was found on PATH"
        : "the DSL needs python3 (or python) on PATH, and neither was found"));
    Path workspace = ctx.workspaceRoot();
    DslJob job = new DslJob(UUID.randomUUID().toString(), label, limits);
    Process p;
    try {
      SandboxLauncher.prepareWorkspace(ctx.sandbox());
      SandboxLauncher.LaunchPlan plan = SandboxLauncher.plan(ctx.sandbox(),
          List.of(python, "-I", "-S", "-c", workerSource), workspace, ctx.processEnvironment());
      ProcessBuilder pb = new ProcessBuilder(withSetsid(plan.argv())).directory(workspace.toFile());
      pb.environment().clear();
      pb.environment().putAll(plan.env());
      p = pb.start();
    } catch (IOException e) {
      throw new ToolException("failed to start the DSL worker: " + e.getMessage());
    }
    job.attach(p);
    DslRegistry.of(ctx).add(job);
    ObjectNode request = Json.object().put("code", code).put("max_memory_bytes", WORKER_MEMORY_BYTES);
    daemon("dsl-" + job.id + "-stderr", () -> drainStderr(job, p.getErrorStream()));
    daemon("dsl-" + job.id, () -> drive(job, p, request, new DslToolContext(ctx, job.signal)));
    deadlines.schedule(() -> {
      if (job.end(DslJob.Status.FAILED, "DSL runtime exceeded max_runtime_seconds (" + limits.maxRuntimeSeconds()
          + ")", null)) {
        destroy(p);
      }
    }, limits.maxRuntimeSeconds(), TimeUnit.SECONDS);
    return job;
  }

  /** Kills a running job's worker and everything it started; false if it had already ended. */
  static boolean kill(DslJob job, String reason) {
    boolean ended = job.end(DslJob.Status.KILLED, "DSL job was killed" + (reason == null ? "" : " (" + reason + ")"),
        reason);
    // Interrupt, not cancel: a tool call in flight returns at once, but what it started (an exec it waits on) keeps
    // running unless dsl_kill is asked to kill the children.
    job.signal.interrupt();
    Process p = job.process();
    if (p != null) destroy(p);
    return ended;
  }

  private static void destroy(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  private void drive(DslJob job, Process p, ObjectNode request, ToolContext toolCtx) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = p.getOutputStream()) {
      send(out, request);
      String line;
      while ((line = in.readLine()) != null) {
        JsonNode msg;
        try {
          msg = Json.parse(line);
        } catch (JsonProcessingException e) {
          job.end(DslJob.Status.FAILED, "DSL worker sent an unreadable message", null);
          break;
        }
        String op = msg.path("op").asText("");
        switch (op) {
          case "emit" -> {
            if (!job.emit(msg.path("text").asText(""))) break;
            send(out, Json.object().putNull("result"));
          }
          case "tool" -> {
            if (!job.countTool()) break;
            send(out, Json.object().set("result", callTool(job, msg.path("name").asText(""), msg.path("args"),
                toolCtx)));
          }
          case "llm" -> {
            if (!job.countLlm()) break;
            send(out, llm(toolCtx, msg.path("messages"), msg.path("config")));
          }
          case "done" -> job.completed(msg.path("quit").asBoolean(false), msg.get("value"));
          case "failed" -> job.end(DslJob.Status.FAILED, msg.path("error").asText("DSL failed"), null);
          default -> job.end(DslJob.Status.FAILED, "DSL worker sent an unknown request: " + op, null);
        }
        if (!job.running()) break;
      }
    } catch (IOException e) {
      // The worker went away (killed, or crashed): decided below.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("DSL job {} failed in its driver", job.id, e);
      job.end(DslJob.Status.FAILED, "internal error in the DSL driver: " + e, null);
    }
    try {
      if (!p.waitFor(2, TimeUnit.SECONDS)) destroy(p);
      p.waitFor(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (p.isAlive()) destroy(p);
    String why = p.isAlive() ? "" : " (exit " + p.exitValue() + ")";
    job.end(DslJob.Status.FAILED, "DSL worker exited unexpectedly" + why, null);
  }

  private JsonNode callTool(DslJob job, String requested, JsonNode args, ToolContext toolCtx)
      throws InterruptedException {
    String name = LEGACY_NAMES.getOrDefault(requested, requested);
    if (name.toLowerCase(Locale.ROOT).startsWith("dsl_")) {
      return Json.object().put("error", "the dsl_* tools cannot be called from DSL code").put("tool", name);
    }
    Tool tool = tools.get().get(name);
    ToolResult r = ToolInvoker.invoke(tool, name, args.isObject() ? Json.write(args) : "{}", toolCtx);
    JsonNode value;
    try {
      value = Json.parse(r.content());
    } catch (JsonProcessingException notJson) {
      value = Json.MAPPER.getNodeFactory().textNode(r.content());
    }
    if (value.isObject()) {
      for (String field : CHILD_ID_FIELDS) {
        if (value.path(field).isTextual()) {
          String status = value.path("running").asBoolean(false) ? "running"
              : value.path("completed").asBoolean(false) ? "completed" : value.path("failed").asBoolean(false)
                  ? "failed" : "started";
          job.child(new DslJob.Child(name, field, value.path(field).asText(), status));
        }
      }
    }
    return value;
  }

  private ObjectNode llm(ToolContext ctx, JsonNode messages, JsonNode config) throws InterruptedException {
    Optional<DslModels.Endpoint> endpoint = models.forModel(ctx.currentModel());
    if (endpoint.isEmpty()) {
      return Json.object().put("error", "LLM() has no model to call: this conversation has no Chat-Completions model"
          + " selected");
    }
    try {
      return Json.object().put("result", DslLlmCall.complete(http, endpoint.get(), messages, config));
    } catch (DslLlmCall.DslCallException e) {
      return Json.object().put("error", e.getMessage());
    }
  }

  private static void send(OutputStream out, JsonNode msg) throws IOException {
    out.write((Json.write(msg) + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void drainStderr(DslJob job, InputStream err) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) job.stderr(line);
    } catch (IOException ignored) {
      // the worker is gone
    }
  }

  /** Folders a bubblewrap sandbox shows read-only (BubblewrapArgs): a python elsewhere is not there inside. */
  private static final List<String> SANDBOX_SYSTEM_DIRS = List.of("/usr/", "/bin/", "/sbin/", "/lib/", "/lib64/");

  /**
   * python3, else python (tools.md §3.3), from the PATH the tools' processes get; in a bubblewrap sandbox only one
   * that lives in the system folders it shows (a pyenv shim under the home would not be found inside).
   */
  static Optional<String> python(Map<String, String> env, boolean bubblewrap) {
    String path = env.getOrDefault("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    for (String name : List.of("python3", "python")) {
      for (String dir : path.split(":")) {
        if (dir.isEmpty()) continue;
        Path candidate = Path.of(dir, name);
        if (!Files.isExecutable(candidate)) continue;
        if (!bubblewrap) return Optional.of(candidate.toString());
        try {
          String real = candidate.toRealPath().toString();
          if (SANDBOX_SYSTEM_DIRS.stream().anyMatch(real::startsWith)) return Optional.of(candidate.toString());
        } catch (IOException ignored) {
          // a dangling link: try the next one
        }
      }
    }
    return Optional.empty();
  }

  /** The worker leads a process group of its own, so nothing it starts outlives a kill. */
  private static List<String> withSetsid(List<String> argv) {
    for (String f : List.of("/usr/bin/setsid", "/bin/setsid")) {
      if (Files.isExecutable(Path.of(f))) {
        List<String> out = new ArrayList<>(List.of(f));
        out.addAll(argv);
        return out;
      }
    }
    return argv;
  }

  private static void daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() {
    deadlines.shutdownNow();
  }

  static Duration pollInterval() {
    return Duration.ofMillis(100);
  }
}
