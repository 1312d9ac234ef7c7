package partyclaw.core.memory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import partyclaw.core.json.Json;

/**
 * {@code memory_search} (tools.md §4.2): a case-insensitive substring match over the serialized JSON of
 * {@code memory_summary.json} and of each {@code MEMORY.json} group.
 */
final class MemorySearch {
  static final int PREVIEW = 200;
  private static final Logger log = LoggerFactory.getLogger(MemorySearch.class);

  private final Path root;

  MemorySearch(Path root) {
    this.root = root;
  }

  ObjectNode search(String query, int limit) {
    ObjectNode out = Json.object();
    out.put("query", query);
    ArrayNode matches = out.putArray("matches");

    JsonNode summary = readLeniently(root.resolve(MemoryIndex.SUMMARY));
    if (summary != null && matches.size() < limit) {
      String text = Json.write(summary);
      if (Previews.containsIgnoreCase(text, query)) {
        ObjectNode m = matches.addObject();
        m.put("layer", "memory_summary");
        m.put("preview", Previews.around(text, query, PREVIEW));
        m.set("recent_groups", arrayOrEmpty(summary.get("recent_groups")));
        m.set("recent_rollouts", arrayOrEmpty(summary.get("recent_rollouts")));
      }
    }

    JsonNode memory = readLeniently(root.resolve(MemoryIndex.MEMORY));
    JsonNode groups = memory == null ? null : memory.get("groups");
    if (groups != null && groups.isArray()) {
      for (JsonNode g : groups) {
        if (matches.size() >= limit) break;
        if (!g.isObject()) continue;
        String text = Json.write(g);
        if (!Previews.containsIgnoreCase(text, query)) continue;
        ObjectNode m = matches.addObject();
        m.put("layer", "memory");
        m.put("group", g.path("group").asText(""));
        m.put("preview", Previews.around(text, query, PREVIEW));
        m.set("keywords", arrayOrEmpty(g.get("keywords")));
        m.set("rollouts", arrayOrEmpty(g.get("rollouts")));
      }
    }
    return out;
  }

  private static JsonNode arrayOrEmpty(JsonNode n) {
    return n != null && n.isArray() ? n.deepCopy() : Json.MAPPER.createArrayNode();
  }

  /** A missing file is no memory yet; an unreadable one is skipped (the next rollout sets it aside). */
  private static JsonNode readLeniently(Path file) {
    if (!Files.exists(file)) return null;
    try {
      JsonNode n = Json.MAPPER.readTree(file.toFile());
      return n != null && n.isObject() ? n : null;
    } catch (IOException e) {
      String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      log.warn("memory search skipped unreadable {}: {}", file, why);
      return null;
    }
  }
}
