package partyclaw.actors.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import partyclaw.actors.conversation.ConversationState.Inbound;
import partyclaw.core.json.Json;

/** How inbound messages and tool calls are rendered as text. */
final class UserMessages {
  private UserMessages() {}

  /** The user message the model sees: the text, then the workspace paths of attached files. */
  static String render(Inbound in) {
    if (in.attachments().isEmpty()) return in.text();
    StringBuilder sb = new StringBuilder(in.text() == null ? "" : in.text());
    if (sb.length() > 0) sb.append("\n\n");
    sb.append("[Attachments saved in the workspace; use tools to read them]");
    for (String path : in.attachments()) sb.append("\n- ").append(path);
    return sb.toString();
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
