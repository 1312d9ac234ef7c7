package partyclaw.channels.telegram;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import partyclaw.core.json.Json;

/** The built-in Telegram command menu (spec §3.1), registered with setMyCommands for private and group chats. */
public final class TelegramCommands {
  private TelegramCommands() {}

  public record Entry(String command, String description) {}

  public static final List<Entry> MENU = List.of(
      new Entry("admin_authorize", "Authorize yourself as this channel's admin from a private chat"),
      new Entry("admin_chat_list", "List approval state for this channel's chats"),
      new Entry("admin_chat_approve", "Approve a chat id for this channel"),
      new Entry("admin_chat_reject", "Reject a chat id for this channel"),
      new Entry("help", "Show available commands"),
      new Entry("status", "Show current session usage and timeout settings"),
      new Entry("compact", "Compact the current conversation context now"),
      new Entry("compact_mode", "Show or set automatic context compaction"),
      new Entry("agent", "Show or set the conversation model"),
      new Entry("sandbox", "Show or set the conversation sandbox mode"),
      new Entry("mount", "Mount a local folder into bubblewrap for this conversation"),
      new Entry("think", "Show or set the conversation reasoning effort"),
      new Entry("set_api_timeout", "Set session API timeout in seconds"),
      new Entry("snapsave", "Save a named global snapshot"),
      new Entry("snapload", "Load a named global snapshot"),
      new Entry("snaplist", "List saved global snapshots"),
      new Entry("continue", "Continue the latest interrupted turn"));

  /** The {@code commands} parameter of setMyCommands. */
  static ArrayNode asJson() {
    ArrayNode arr = Json.MAPPER.createArrayNode();
    for (Entry e : MENU) arr.addObject().put("command", e.command()).put("description", e.description());
    return arr;
  }
}
