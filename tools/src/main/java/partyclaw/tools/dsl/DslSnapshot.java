package partyclaw.tools.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import partyclaw.core.json.Json;
import partyclaw.core.util.AtomicFiles;

/**
 * The snapshot of a job the model sees (tools.md §3.3). Each of result_text, stdout and stderr is capped to
 * {@code max_output_chars} (head 40% / tail 60%); a capped one is also written in full to
 * {@code .agent_frame/dsl/<id>.result.json|.stdout|.stderr} in the workspace, and its path given.
 */
final class DslSnapshot {
  static final String DIR = ".agent_frame/dsl";

  private DslSnapshot() {}

  static ObjectNode of(DslJob job, int maxChars, Path workspace) {
    DslJob.View v = job.view();
    ObjectNode o = Json.object();
    o.put("dsl_id", v.id());
    o.put("status", v.status().wire());
    if (v.label() != null && !v.label().isBlank()) o.put("label", v.label());
    o.put("summary", summary(v));
    String result = resultText(v);
    if (result != null) {
      capped(o, "result_text", "result_truncated", "result_path", result, maxChars, workspace, v.id() + ".result.json");
    }
    ObjectNode usage = o.putObject("usage");
    usage.put("llm_calls", v.llmCalls());
    usage.put("tool_calls", v.toolCalls());
    usage.put("emit_calls", v.emitCalls());
    usage.put("runtime_seconds", Math.round(v.runtimeSeconds() * 1000) / 1000.0);
    if (v.emittedCut() || v.stderrCut()) {
      ArrayNode d = o.putArray("diagnostics");
      if (v.emittedCut()) d.addObject().put("level", "warning").put("message", "emitted text beyond "
          + DslJob.MAX_KEPT_OUTPUT_CHARS + " characters was dropped");
      if (v.stderrCut()) d.addObject().put("level", "warning").put("message", "stderr beyond "
          + DslJob.MAX_KEPT_STDERR_CHARS + " characters was dropped");
    }
    if (!v.children().isEmpty()) {
      ArrayNode c = o.putArray("children");
      for (DslJob.Child ch : v.children()) {
        c.addObject().put("tool", ch.tool()).put("id_field", ch.idField()).put("id", ch.id()).put("status", ch.status());
      }
    }
    if (v.reason() != null) o.put("reason", v.reason());
    if (!v.stderr().isEmpty()) {
      capped(o, "stderr", "stderr_truncated", "stderr_path", v.stderr().stripTrailing(), maxChars, workspace,
          v.id() + ".stderr");
    }
    boolean stdoutCut = v.emitted().length() > maxChars;
    if (!v.emitted().isEmpty() && (stdoutCut || !v.emitted().equals(result))) {
      capped(o, "stdout", "stdout_truncated", "stdout_path", v.emitted(), maxChars, workspace, v.id() + ".stdout");
    }
    return o;
  }

  /** quit(value), else the emitted lines, else "0"; a failed or killed job's error. Null while running. */
  static String resultText(DslJob.View v) {
    return switch (v.status()) {
      case RUNNING -> null;
      case FAILED, KILLED -> v.error() != null ? v.error() : "DSL job was killed";
      case COMPLETED -> {
        JsonNode q = v.quitValue();
        if (v.quit() && q != null && !q.isNull()) yield q.isTextual() ? q.asText() : Json.write(q);
        yield v.emitted().isEmpty() ? "0" : v.emitted();
      }
    };
  }

  static String summaryOf(DslJob job) {
    return summary(job.view());
  }

  private static String summary(DslJob.View v) {
    String counts = v.toolCalls() + " tool call" + (v.toolCalls() == 1 ? "" : "s") + ", " + v.llmCalls()
        + " LLM call" + (v.llmCalls() == 1 ? "" : "s") + ", " + v.emitCalls() + " emit"
        + (v.emitCalls() == 1 ? "" : "s");
    String time = String.format(java.util.Locale.ROOT, "%.1f s", v.runtimeSeconds());
    return switch (v.status()) {
      case RUNNING -> "running for " + time + ": " + counts + " so far";
      case COMPLETED -> "completed in " + time + ": " + counts;
      case FAILED -> "failed after " + time + ": " + counts;
      case KILLED -> "killed after " + time + ": " + counts;
    };
  }

  private static void capped(ObjectNode o, String field, String flag, String pathField, String text, int max,
      Path workspace, String fileName) {
    if (text.length() <= max) {
      o.put(field, text);
      return;
    }
    o.put(field, DslOutput.headAndTail(text, max));
    o.put(flag, true);
    String relative = DIR + "/" + fileName;
    try {
      java.nio.file.Files.createDirectories(workspace.resolve(DIR));
      AtomicFiles.write(workspace.resolve(relative), text.getBytes(StandardCharsets.UTF_8));
      o.put(pathField, relative);
    } catch (IOException | RuntimeException e) {
      // The capped text is still shown; only the full copy is missing, and the snapshot says why.
      o.put(pathField + "_error", "could not write the full copy: " + e.getMessage());
    }
  }
}
