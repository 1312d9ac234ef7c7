package partyclaw.core.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import partyclaw.core.json.Json;

/** {@code rollout_search} and {@code rollout_read} (tools.md §4.2) over the rollout transcripts. */
final class RolloutReader {
  static final int PREVIEW = 180;
  static final String TURN_SEGMENT = "turn_segment";
  static final String WINDOW = "window";

  private final RolloutFiles files;

  RolloutReader(RolloutFiles files) {
    this.files = files;
  }

  ObjectNode search(String query, String rolloutId, List<String> kinds, int limit) throws IOException {
    List<String> ids = rolloutId == null ? files.idsNewestFirst() : List.of(existing(rolloutId));
    Set<String> wanted = new HashSet<>();
    if (kinds != null) {
      for (String k : kinds) {
        if (k != null && !k.isBlank()) wanted.add(k.trim().toLowerCase(Locale.ROOT));
      }
    }
    ObjectNode out = Json.object();
    out.put("query", query);
    ArrayNode matches = out.putArray("matches");
    boolean truncated = false;
    scan:
    for (String id : ids) {
      for (JsonNode event : files.events(id)) {
        if (!wanted.isEmpty() && !kindWanted(event, wanted)) continue;
        String text = Json.write(event);
        if (!Previews.containsIgnoreCase(text, query)) continue;
        if (matches.size() >= limit) {
          truncated = true;
          break scan;
        }
        ObjectNode m = matches.addObject();
        m.put("rollout_id", id);
        m.set("event_id", event.path("event_id").deepCopy());
        m.set("timestamp", event.path("timestamp").deepCopy());
        m.set("kind", event.path("kind").deepCopy());
        m.put("preview", preview(event, text, query));
      }
    }
    out.put("truncated", truncated);
    return out;
  }

  ObjectNode read(String rolloutId, long anchorEventId, String mode, int before, int after) throws IOException {
    String m = mode == null ? TURN_SEGMENT : mode;
    if (!m.equals(TURN_SEGMENT) && !m.equals(WINDOW)) {
      throw new IllegalArgumentException("mode must be turn_segment or window, not \"" + m + "\"");
    }
    if (before < 0 || after < 0) throw new IllegalArgumentException("before and after must not be negative");
    List<JsonNode> events = files.events(existing(rolloutId));
    int anchor = -1;
    for (int i = 0; i < events.size(); i++) {
      JsonNode id = events.get(i).get("event_id");
      if (id != null && id.canConvertToLong() && id.asLong() == anchorEventId) {
        anchor = i;
        break;
      }
    }
    if (anchor < 0) {
      throw new IllegalArgumentException("anchor_event_id " + anchorEventId + " not found in rollout " + rolloutId);
    }
    int from;
    int to; // exclusive
    if (m.equals(WINDOW)) {
      from = Math.max(0, anchor - before);
      to = (int) Math.min(events.size(), (long) anchor + after + 1);
    } else {
      from = anchor;
      while (from > 0 && !isUserMessage(events.get(from))) from--;
      to = anchor + 1;
      while (to < events.size() && !isUserMessage(events.get(to))) to++;
    }
    ObjectNode out = Json.object();
    out.put("rollout_id", rolloutId);
    out.put("anchor_event_id", anchorEventId);
    out.put("mode", m);
    ArrayNode arr = out.putArray("events");
    for (int i = from; i < to; i++) arr.add(events.get(i).deepCopy());
    out.put("has_more_before", from > 0);
    out.put("has_more_after", to < events.size());
    return out;
  }

  private String existing(String rolloutId) {
    ConversationMemory.requireValidRolloutId(rolloutId);
    if (!files.exists(rolloutId)) throw new IllegalArgumentException("unknown rollout: " + rolloutId);
    return rolloutId;
  }

  /** A filter entry names an event kind ({@code tool_result}) or, as a convenience, a role ({@code tool}). */
  private static boolean kindWanted(JsonNode event, Set<String> wanted) {
    return wanted.contains(event.path("kind").asText("").toLowerCase(Locale.ROOT))
        || wanted.contains(event.path("role").asText("").toLowerCase(Locale.ROOT));
  }

  private static boolean isUserMessage(JsonNode event) {
    return "user_message".equals(event.path("kind").asText());
  }

  /** The message text around the match when the text matched, else the matching part of the event's JSON. */
  private static String preview(JsonNode event, String eventJson, String query) {
    JsonNode content = event.get("content");
    if (content != null && content.isTextual() && Previews.containsIgnoreCase(content.asText(), query)) {
      return Previews.around(content.asText(), query, PREVIEW);
    }
    return Previews.around(eventJson, query, PREVIEW);
  }
}
