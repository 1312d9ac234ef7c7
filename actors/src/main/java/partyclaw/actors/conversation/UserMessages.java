package partyclaw.actors.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import partyclaw.actors.conversation.ConversationState.Inbound;
import partyclaw.core.json.Json;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.ContentPart;

/** How inbound messages and tool calls are rendered as text. */
final class UserMessages {
  private UserMessages() {}

  /**
   * The user message the model sees: the text, then the workspace paths of attached files other than images, PDFs
   * and audio, which travel as {@link #parts} (embedded or pointed at per model when the request is built).
   */
  static String render(Inbound in) {
    List<String> files = in.attachments().stream().filter(p -> ContentPart.forFile(p) == null).toList();
    if (files.isEmpty()) return in.text();
    StringBuilder sb = new StringBuilder(in.text() == null ? "" : in.text());
    if (sb.length() > 0) sb.append("\n\n");
    sb.append("[Attachments saved in the workspace; use tools to read them]");
    for (String path : files) sb.append("\n- ").append(path);
    return sb.toString();
  }

  /** The images, PDFs and audio of the inbound, as file references (runtime.md §3.6). */
  static List<ContentPart> parts(Inbound in) {
    return in.attachments().stream().map(ContentPart::forFile).filter(java.util.Objects::nonNull).toList();
  }

  private static List<ContentPart> parts(List<Inbound> batch) {
    return batch.stream().flatMap(i -> parts(i).stream()).toList();
  }

  static final String INTERRUPTED_FOLLOW_UP = "[Interrupted Follow-up]";
  static final String QUEUED_UPDATES = "[Queued User Updates]";

  /** One user message per inbound, as sent. */
  static List<ChatMessage> plain(List<Inbound> batch, int queued) {
    return withOverflowNote(batch.stream().map(i -> ChatMessage.user(render(i), parts(i))).toList(), batch.size(),
        queued);
  }

  /** Steer mode: each follow-up marked the way the reference marks it, after the partial tool results. */
  static List<ChatMessage> interrupting(List<Inbound> batch, int queued) {
    return withOverflowNote(batch.stream()
        .map(i -> ChatMessage.user(INTERRUPTED_FOLLOW_UP + "\n" + render(i), parts(i)))
        .toList(), batch.size(), queued);
  }

  /** Collect mode: everything sent during the turn as one message. */
  static List<ChatMessage> collected(List<Inbound> batch, int queued) {
    if (batch.size() == 1) return plain(batch, queued);
    StringBuilder sb = new StringBuilder(QUEUED_UPDATES);
    int n = 1;
    for (Inbound i : batch) sb.append("\n\n(").append(n++).append(") ").append(render(i));
    return withOverflowNote(List.of(ChatMessage.user(sb.toString(), parts(batch))), batch.size(), queued);
  }

  /** More messages than fit in one batch: they are never dropped, the model is told they follow. */
  private static List<ChatMessage> withOverflowNote(List<ChatMessage> messages, int taken, int queued) {
    if (queued <= taken) return messages;
    List<ChatMessage> out = new ArrayList<>(messages);
    out.add(ChatMessage.user("[System Notice] " + (queued - taken)
        + " more messages are queued; they follow at the next step."));
    return out;
  }

  /** The first argument value of a call, cut to 20 characters, for progress lines. */
  static String firstArgument(String arguments) {
    try {
      JsonNode node = Json.parse(arguments == null || arguments.isBlank() ? "{}" : arguments);
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      if (!it.hasNext()) return "";
      JsonNode v = it.next().getValue();
      String text = v.isTextual() ? v.asText() : v.toString();
      return text.length() <= 20 ? text : text.substring(0, 20) + "…";
    } catch (Exception e) {
      return "";
    }
  }
}
