package partyclaw.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import partyclaw.core.json.Json;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.ContentPart;
import partyclaw.core.transcript.Role;

/**
 * The synthetic attach mechanism of tools.md §3.5: a tool result holding {@code "kind":"synthetic_user_multimodal"}
 * and {@code media:[...]} makes one extra user message, after all tool results of its batch, carrying that media.
 * It is derived when a request is built, so the journal keeps only the tool result (paths), never the media; and a
 * result whose media cannot be read is dropped at encoding time like any other unreadable part.
 */
public final class SyntheticMedia {
  private SyntheticMedia() {}

  public static final String KIND = "synthetic_user_multimodal";

  /** The messages with the synthetic user messages inserted; the same list when no tool result asks for any. */
  static List<ChatMessage> expand(List<ChatMessage> messages) {
    boolean any = false;
    for (ChatMessage m : messages) {
      if (m.role() == Role.TOOL && m.content() != null && m.content().contains(KIND)) {
        any = true;
        break;
      }
    }
    if (!any) return messages;
    List<ChatMessage> out = new ArrayList<>(messages.size() + 2);
    List<ContentPart> pending = new ArrayList<>();
    for (ChatMessage m : messages) {
      if (m.role() != Role.TOOL && !pending.isEmpty()) {
        out.add(attached(pending));
        pending.clear();
      }
      out.add(m);
      if (m.role() == Role.TOOL) pending.addAll(media(m.content()));
    }
    if (!pending.isEmpty()) out.add(attached(pending));
    return out;
  }

  private static ChatMessage attached(List<ContentPart> parts) {
    return ChatMessage.user("[Media loaded by tools]", parts);
  }

  /** The media a tool result asks to attach; none when it is not such a result. */
  static List<ContentPart> media(String content) {
    if (content == null || !content.contains(KIND)) return List.of();
    JsonNode root;
    try {
      root = Json.parse(content);
    } catch (Exception notJson) {
      return List.of();
    }
    if (!KIND.equals(root.path("kind").asText())) return List.of();
    List<ContentPart> parts = new ArrayList<>();
    for (JsonNode m : root.path("media")) {
      String path = m.path("path").asText("");
      if (path.isBlank()) continue;
      switch (m.path("type").asText("")) {
        case "input_image" -> parts.add(ContentPart.image(path));
        case "input_file" -> parts.add(new ContentPart(ContentPart.FILE, path,
            m.path("filename").asText(ContentPart.pdf(path).name()), "application/pdf"));
        case "input_audio" -> parts.add(ContentPart.audio(path));
        default -> {
          // an unknown media type attaches nothing
        }
      }
    }
    return parts;
  }
}
