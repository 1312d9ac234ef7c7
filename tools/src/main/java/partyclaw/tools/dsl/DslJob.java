package partyclaw.tools.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import partyclaw.core.tool.TurnSignal;

/**
 * One DSL job: what it was asked to do, its budgets and counters, what it emitted and returned. Its state changes
 * only under the job's lock; the first terminal status wins (a kill racing the script's own end keeps whichever came
 * first).
 */
final class DslJob {
  enum Status {
    RUNNING, COMPLETED, FAILED, KILLED;

    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** An id of a long-lived job a tool call of the script started (tools.md §3.3 "children"). */
  record Child(String tool, String idField, String id, String status) {}

  /** Emitted text kept per job: beyond it the job still counts emits, but keeps only this much. */
  static final int MAX_KEPT_OUTPUT_CHARS = 1 << 20;
  static final int MAX_KEPT_STDERR_CHARS = 64 * 1024;

  final String id;
  final String label;
  final DslLimits limits;
  final Instant startedAt = Instant.now();
  private final long startedNanos = System.nanoTime();
  /** Raised when the job is killed: a tool call in flight returns at once. */
  final TurnSignal signal = new TurnSignal();

  private Status status = Status.RUNNING;
  private long endedNanos;
  private long llmCalls;
  private long toolCalls;
  private long emitCalls;
  private final StringBuilder emitted = new StringBuilder();
  private boolean emittedCut;
  private final StringBuilder stderr = new StringBuilder();
  private boolean stderrCut;
  private boolean quit;
  private JsonNode quitValue;
  private String error;
  private String reason;
  private final List<Child> children = new ArrayList<>();
  private Process process;

  DslJob(String id, String label, DslLimits limits) {
    this.id = id;
    this.label = label;
    this.limits = limits;
  }

  synchronized void attach(Process p) {
    this.process = p;
  }

  synchronized Process process() {
    return process;
  }

  synchronized boolean running() {
    return status == Status.RUNNING;
  }

  synchronized Status status() {
    return status;
  }

  /** Counts an LLM call; false (and the job failed) when it is over the budget. */
  synchronized boolean countLlm() {
    return count(++llmCalls, limits.maxLlmCalls(), "max_llm_calls");
  }

  synchronized boolean countTool() {
    return count(++toolCalls, limits.maxToolCalls(), "max_tool_calls");
  }

  synchronized boolean emit(String text) {
    if (!count(++emitCalls, limits.maxEmitCalls(), "max_emit_calls")) return false;
    if (emitted.length() + text.length() + 1 > MAX_KEPT_OUTPUT_CHARS) {
      emittedCut = true;
      return true;
    }
    if (emitCalls > 1) emitted.append('\n');
    emitted.append(text);
    return true;
  }

  private boolean count(long n, long max, String budget) {
    if (status != Status.RUNNING) return false;
    if (n <= max) return true;
    end(Status.FAILED, "DSL exceeded " + budget + " (" + max + ")", null);
    return false;
  }

  synchronized void stderr(String line) {
    if (stderr.length() + line.length() + 1 > MAX_KEPT_STDERR_CHARS) {
      stderrCut = true;
      return;
    }
    stderr.append(line).append('\n');
  }

  /** Records a child, or its newer status when a later call (exec_wait, say) names it again. */
  synchronized void child(Child c) {
    children.removeIf(old -> old.idField().equals(c.idField()) && old.id().equals(c.id()));
    children.add(c);
  }

  synchronized void completed(boolean quitCalled, JsonNode value) {
    if (status != Status.RUNNING) return;
    quit = quitCalled;
    quitValue = value;
    end(Status.COMPLETED, null, null);
  }

  /** Ends the job with {@code terminal} unless it already ended; true if this call ended it. */
  synchronized boolean end(Status terminal, String error, String reason) {
    if (status != Status.RUNNING) return false;
    status = terminal;
    this.error = error;
    this.reason = reason;
    endedNanos = System.nanoTime();
    notifyAll();
    return true;
  }

  synchronized void awaitEnd(long millis) throws InterruptedException {
    if (status == Status.RUNNING && millis > 0) wait(millis);
  }

  /** A consistent copy of everything a snapshot shows. */
  synchronized View view() {
    double runtime = ((status == Status.RUNNING ? System.nanoTime() : endedNanos) - startedNanos) / 1e9;
    return new View(id, label, status, llmCalls, toolCalls, emitCalls, runtime, emitted.toString(), emittedCut,
        stderr.toString(), stderrCut, quit, quitValue, error, reason, List.copyOf(children));
  }

  record View(String id, String label, Status status, long llmCalls, long toolCalls, long emitCalls,
      double runtimeSeconds, String emitted, boolean emittedCut, String stderr, boolean stderrCut, boolean quit,
      JsonNode quitValue, String error, String reason, List<Child> children) {}
}
