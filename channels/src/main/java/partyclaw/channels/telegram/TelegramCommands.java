package partyclaw.channels.telegram;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import java.util.stream.Stream;
import partyclaw.actors.conversation.SlashCommand;
import partyclaw.core.json.Json;

/** The Telegram command menu, registered with setMyCommands for private and group chats. */
public final class TelegramCommands {
  private TelegramCommands() {}

  public record Entry(String command, String description) {}

  /** The conversation's own commands (the reference's list plus /stop and /queue). */
  public static final List<Entry> MENU = SlashCommand.MENU.entrySet().stream()
      .map(e -> new Entry(e.getKey(), e.getValue()))
      .toList();

  /** The reference's access commands (spec §3.1), answered by the channel itself ({@link AccessPolicy}). */
  public static final List<Entry> ADMIN = List.of(
      new Entry("admin_authorize", "Authorize yourself as this channel's admin from a private chat"),
      new Entry("admin_chat_list", "List approval state for this channel's chats"),
      new Entry("admin_chat_approve", "Approve a chat id for this channel"),
      new Entry("admin_chat_reject", "Reject a chat id for this channel"));

  /**
   * The {@code commands} parameter of setMyCommands: the access commands first, as in the reference, unless access
   * control is off ({@code "open": true}), where a menu entry must not lead to a command that does nothing.
   */
  static ArrayNode asJson(boolean withAccessCommands) {
    ArrayNode arr = Json.MAPPER.createArrayNode();
    Stream.concat(withAccessCommands ? ADMIN.stream() : Stream.<Entry>empty(), MENU.stream())
        .forEach(e -> arr.addObject().put("command", e.command()).put("description", e.description()));
    return arr;
  }
}
