package partyclaw.tools.dsl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;

/**
 * The DSL jobs of one conversation, addressable by {@code dsl_id} across turns and compactions. Finished jobs are
 * kept so a later wait still sees their result, the oldest forgotten past {@link #KEEP_FINISHED}. Closing it (the
 * conversation destroyed, the daemon stopping) kills every running job.
 */
public final class DslRegistry implements AutoCloseable {
  static final int KEEP_FINISHED = 50;
  private final Map<String, DslJob> jobs = new LinkedHashMap<>();

  static DslRegistry of(ToolContext ctx) {
    return ctx.resources().get(DslRegistry.class, DslRegistry::new);
  }

  synchronized void add(DslJob job) {
    jobs.put(job.id, job);
    List<DslJob> finished = jobs.values().stream().filter(j -> !j.running()).toList();
    for (int i = 0; i < finished.size() - KEEP_FINISHED; i++) jobs.remove(finished.get(i).id);
  }

  synchronized DslJob get(String id) throws ToolException {
    DslJob job = jobs.get(id);
    if (job == null) {
      throw new ToolException("failed to read DSL job metadata for " + id + ": no such DSL job in this conversation"
          + " (it never existed, was forgotten after " + KEEP_FINISHED + " newer jobs finished, or ended with a"
          + " daemon restart)");
    }
    return job;
  }

  /** The running jobs, for the compaction's [Active Runtime Tasks] notice. */
  public synchronized List<String> describeRunning() {
    return jobs.values().stream().filter(DslJob::running)
        .map(j -> "dsl_id " + j.id + (j.label == null ? "" : ", label " + j.label) + ", summary "
            + DslSnapshot.summaryOf(j)).toList();
  }

  @Override
  public synchronized void close() {
    for (DslJob j : jobs.values()) DslRuntime.kill(j, "session_destroyed");
  }
}
