package partyclaw.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The human-readable form of the daemon's status. */
final class StatusText {
  private StatusText() {}

  static String render(JsonNode s) {
    List<String> lines = new ArrayList<>();
    lines.add("partyclaw: up, pid " + s.path("pid").asLong() + ", uptime " + duration(s.path("uptime_seconds").asLong())
        + " (since " + s.path("started_at").asText() + ")");
    lines.add("workdir: " + s.path("workdir").asText());
    List<String> waiting = new ArrayList<>();
    s.path("waiting_for").forEach(w -> waiting.add(w.asText()));
    lines.add("ready: " + (s.path("ready").asBoolean() ? "yes" : "no, waiting for " + String.join("; ", waiting)));
    lines.add("channels:");
    for (JsonNode c : s.path("channels")) {
      lines.add("  " + c.path("id").asText() + " (" + c.path("kind").asText() + "): " + c.path("health").asText());
    }
    JsonNode console = s.path("console");
    lines.add("  console socket " + console.path("socket").asText() + ": " + console.path("terminals_attached").asInt()
        + " terminal(s) attached");
    JsonNode c = s.path("conversations");
    List<String> busy = new ArrayList<>();
    c.path("busy_ids").forEach(b -> busy.add(b.asText()));
    lines.add("conversations: " + c.path("running").asInt() + " running on this node, " + c.path("busy").asInt()
        + " busy" + (busy.isEmpty() ? "" : " (" + String.join(", ", busy) + ")")
        + (c.has("with_unfinished_work") ? ", " + c.path("with_unfinished_work").asInt() + " with unfinished work" : "")
        + (c.has("did_not_answer") ? ", " + c.path("did_not_answer").asInt() + " did not answer" : ""));
    lines.add("  queued messages: " + c.path("queued_messages").asInt() + ", undelivered replies: "
        + c.path("undelivered_replies").asInt() + ", undeliverable replies: " + c.path("undeliverable_replies").asLong());
    JsonNode a = s.path("agents");
    lines.add("agents: sub-agents " + a.path("sub_agents_running").asInt() + "/" + a.path("sub_agents_max").asInt()
        + " running, background agents " + a.path("background_agents_running").asInt() + "/"
        + a.path("background_agents_max").asInt() + " running");
    JsonNode t = s.path("tasks");
    lines.add("tasks: " + t.path("exec_processes_running").asLong() + " exec process(es) running, "
        + t.path("downloads_running").asLong() + " download(s) running, " + t.path("cron_tasks_enabled").asInt()
        + " cron task(s) enabled in running conversations");
    JsonNode j = s.path("journal");
    lines.add("journal: " + j.path("kind").asText() + " at " + j.path("path").asText() + ", "
        + bytes(j.path("size_bytes").asLong()) + ", " + (j.path("recovered").asBoolean() ? "recovered" : "recovering"));
    JsonNode errors = s.path("last_errors");
    if (errors.isEmpty()) {
      lines.add("last errors: none");
    } else {
      lines.add("last errors (oldest first):");
      for (JsonNode e : errors) {
        lines.add("  " + e.path("at").asText() + " " + e.path("level").asText() + " " + e.path("logger").asText()
            + " - " + e.path("message").asText());
      }
    }
    return String.join("\n", lines);
  }

  static String duration(long seconds) {
    long d = seconds / 86400, h = seconds % 86400 / 3600, m = seconds % 3600 / 60, sec = seconds % 60;
    if (d > 0) return d + "d " + h + "h " + m + "m";
    if (h > 0) return h + "h " + m + "m " + sec + "s";
    if (m > 0) return m + "m " + sec + "s";
    return sec + "s";
  }

  static String bytes(long n) {
    if (n < 0) return "size unknown";
    if (n < 1024) return n + " B";
    if (n < 1024 * 1024) return String.format(java.util.Locale.ROOT, "%.1f KiB", n / 1024.0);
    return String.format(java.util.Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
  }
}
