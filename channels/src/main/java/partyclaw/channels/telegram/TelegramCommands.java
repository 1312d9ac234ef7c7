package partyclaw.channels.telegram;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import partyclaw.actors.conversation.SlashCommand;
import partyclaw.core.json.Json;

/** The Telegram command menu, registered with setMyCommands for private and group chats. */
public final class TelegramCommands {
  private TelegramCommands() {}

  public record Entry(String command, String description) {}

  /**
   * The conversation's own commands (the reference's list plus /stop and /queue). The reference's admin approval
   * commands are left out: partyclaw gates Telegram chats with allow-lists, and a menu entry must not lead to
   * "Unknown command".
   */
  public static final List<Entry> MENU = SlashCommand.MENU.entrySet().stream()
      .map(e -> new Entry(e.getKey(), e.getValue()))
      .toList();

  /** The {@code commands} parameter of setMyCommands. */
  static ArrayNode asJson() {
    ArrayNode arr = Json.MAPPER.createArrayNode();
    for (Entry e : MENU) arr.addObject().put("command", e.command()).put("description", e.description());
    return arr;
  }
}
