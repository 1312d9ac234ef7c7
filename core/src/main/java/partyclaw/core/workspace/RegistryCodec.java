package partyclaw.core.workspace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import partyclaw.core.json.Json;

/**
 * {@code workspaces.json}: {@code {"version":1,"workspaces":[{id, title, summary, state, owner_conversation,
 * created_at, updated_at, last_content_modified_at, mounts:[{mount_name, workspace_id, mounted_at}]}]}}.
 * A file that is not that shape at the top is corrupt; a single bad entry is dropped with a warning so one
 * damaged record does not cost the others.
 */
final class RegistryCodec {
  static final int VERSION = 1;
  private static final Logger log = LoggerFactory.getLogger(RegistryCodec.class);

  private RegistryCodec() {}

  static String write(RegistryEntries entries) {
    ObjectNode root = Json.object();
    root.put("version", VERSION);
    ArrayNode arr = root.putArray("workspaces");
    for (WorkspaceRecord r : entries.records.values()) {
      ObjectNode o = arr.addObject();
      o.put("id", r.id());
      o.put("title", r.title());
      o.put("summary", r.summary());
      o.put("state", r.state());
      if (r.ownerConversation() != null) o.put("owner_conversation", r.ownerConversation());
      o.put("created_at", r.createdAt().toString());
      o.put("updated_at", r.updatedAt().toString());
      o.put("last_content_modified_at", r.lastContentModifiedAt().toString());
      List<WorkspaceMount> mounts = entries.mountsOf(r.id());
      if (!mounts.isEmpty()) {
        ArrayNode ms = o.putArray("mounts");
        for (WorkspaceMount m : mounts) {
          ms.addObject().put("mount_name", m.mountName()).put("workspace_id", m.sourceWorkspaceId())
              .put("mounted_at", m.mountedAt().toString());
        }
      }
    }
    return Json.pretty(root) + "\n";
  }

  /** Throws {@link IllegalArgumentException} when the text is not a registry file at all. */
  static RegistryEntries read(String text) {
    JsonNode root;
    try {
      root = Json.parse(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject() || !root.path("workspaces").isArray()) {
      throw new IllegalArgumentException("no \"workspaces\" array at the top level");
    }
    RegistryEntries entries = new RegistryEntries();
    int index = 0;
    for (JsonNode o : root.get("workspaces")) {
      try {
        WorkspaceRecord r = record(o);
        entries.records.put(r.id(), r);
        for (JsonNode m : o.path("mounts")) {
          entries.putMount(r.id(), new WorkspaceMount(text(m, "mount_name"), text(m, "workspace_id"),
              instant(m, "mounted_at", r.updatedAt())));
        }
      } catch (IllegalArgumentException e) {
        log.warn("workspaces.json entry {} is dropped: {}", index, e.getMessage());
      }
      index++;
    }
    return entries;
  }

  private static WorkspaceRecord record(JsonNode o) {
    if (!o.isObject()) throw new IllegalArgumentException("not an object");
    String id = WorkspaceIds.require(text(o, "id"));
    Instant created = instant(o, "created_at", Instant.EPOCH);
    Instant updated = instant(o, "updated_at", created);
    Instant modified = instant(o, "last_content_modified_at", updated);
    return new WorkspaceRecord(id, o.path("title").asText(""), o.path("summary").asText(""),
        o.path("state").asText(WorkspaceRecord.ACTIVE), o.hasNonNull("owner_conversation")
            ? o.get("owner_conversation").asText() : null, created, updated, modified);
  }

  private static String text(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new IllegalArgumentException("field " + field + " is missing or not a string");
    }
    return v.asText();
  }

  private static Instant instant(JsonNode o, String field, Instant dflt) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) return dflt;
    try {
      return Instant.parse(v.asText());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("field " + field + " is not an ISO-8601 instant: " + v.asText());
    }
  }
}
