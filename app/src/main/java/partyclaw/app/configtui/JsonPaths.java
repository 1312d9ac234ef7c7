package partyclaw.app.configtui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Dotted paths ({@code main_agent.context_compaction.trigger_ratio}) into the raw JSON document. */
final class JsonPaths {
  private JsonPaths() {}

  static JsonNode get(ObjectNode root, String path) {
    JsonNode node = root;
    for (String part : path.split("\\.")) {
      if (!(node instanceof ObjectNode o) || !o.has(part)) return MissingNode.getInstance();
      node = o.get(part);
    }
    return node;
  }

  /** Sets the value, creating (or replacing non-object) parents; keys next to it are kept. */
  static void set(ObjectNode root, String path, JsonNode value) {
    String[] parts = path.split("\\.");
    ObjectNode node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode next = node.get(parts[i]);
      if (!(next instanceof ObjectNode)) {
        next = node.putObject(parts[i]);
      }
      node = (ObjectNode) next;
    }
    node.set(parts[parts.length - 1], value);
  }

  /** Removes the key; parents left empty stay (the loader reads {} as defaults). */
  static void remove(ObjectNode root, String path) {
    String[] parts = path.split("\\.");
    JsonNode node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      node = node.get(parts[i]);
      if (!(node instanceof ObjectNode)) return;
    }
    ((ObjectNode) node).remove(parts[parts.length - 1]);
  }
}
