package partyclaw.tools.remote;

import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import partyclaw.core.tool.ToolException;
import partyclaw.core.workdir.Workdir;

/**
 * The remote-workpaths block of the system prompt (runtime.md §8, part 9): each host, path and description, with the
 * workpath's AGENTS.md indented below it, or why it is missing. Blocking (ssh per workpath): the runtime calls it on
 * the blocking pool while preparing a turn (all hosts in parallel), not per model round as the reference does
 * (runtime.md §9 item 32).
 */
public final class RemoteWorkpathsPrompt {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteWorkpathsPrompt.class);

  private RemoteWorkpathsPrompt() {}

  /** "" when the conversation has no workpaths. Never throws: a problem becomes a line of the block. */
  public static String block(Workdir workdir, String conversationId, Map<String, String> env) {
    List<Workpath> all;
    try {
      all = WorkpathStore.of(workdir, conversationId).list();
    } catch (ToolException e) {
      LOG.warn("conversation {}: {}", conversationId, e.getMessage());
      return "";
    }
    if (all.isEmpty()) return "";
    StringBuilder sb = new StringBuilder("Remote workpaths (use the remote argument of the file, search and exec tools;"
        + " relative remote paths resolve in the workpath):");
    // Every host at once: one slow or dead host costs its connect timeout once, not once per workpath.
    List<java.util.concurrent.CompletableFuture<RemoteAgentsMd.Probe>> probes = all.stream()
        .map(w -> java.util.concurrent.CompletableFuture.supplyAsync(() -> probe(env, w), PROBES)).toList();
    for (int i = 0; i < all.size(); i++) {
      Workpath w = all.get(i);
      sb.append("\n- ").append(w.host()).append(": ").append(w.path()).append(" — ").append(w.description());
      RemoteAgentsMd.Probe p = probes.get(i).join();
      switch (p.status()) {
        case "loaded" -> sb.append("\n  AGENTS.md:\n").append(indent(p.content().strip()));
        case "not_found" -> sb.append("\n  AGENTS.md: not found");
        default -> sb.append("\n  AGENTS.md: could not be read (").append(firstLine(p.error())).append(")");
      }
    }
    return sb.toString();
  }

  private static final java.util.concurrent.ExecutorService PROBES = java.util.concurrent.Executors.newCachedThreadPool(
      r -> {
        Thread t = new Thread(r, "workpath-agents-md");
        t.setDaemon(true);
        return t;
      });

  private static RemoteAgentsMd.Probe probe(Map<String, String> env, Workpath w) {
    try {
      return RemoteAgentsMd.fetch(env, w.host(), w.path());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new RemoteAgentsMd.Probe("failed", null, "interrupted");
    }
  }

  private static String indent(String text) {
    return "    " + text.replace("\n", "\n    ");
  }

  private static String firstLine(String s) {
    if (s == null) return "unknown error";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
