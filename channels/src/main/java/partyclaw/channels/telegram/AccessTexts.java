package partyclaw.channels.telegram;

import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import partyclaw.channels.telegram.TelegramAccessStore.Admin;
import partyclaw.channels.telegram.TelegramAccessStore.Approval;
import partyclaw.channels.telegram.TelegramAccessStore.ChatRecord;
import partyclaw.channels.telegram.TelegramAccessStore.State;

/**
 * What access control tells users and the administrator, as Telegram HTML. The reference's texts (spec §2.1.9)
 * where it has them, its backticks as {@code <code>}; everything that came from Telegram (names, titles) is escaped.
 */
final class AccessTexts {
  private AccessTexts() {}

  static final String NO_ADMIN = "This channel has no administrator yet. Please open a private chat with the bot and "
      + "send <code>/admin_authorize</code> (or <code>/authorize</code>) there.";

  /** To those the allow-lists leave out while there is no administrator to approve them (partyclaw's own). */
  static final String NOT_ALLOWED = "Sorry, this bot is not available here. Ask its operator to add this chat or user"
      + " to allowed_chat_ids / allowed_user_ids.";

  static final String CLAIM_IN_GROUP = "Please open a private chat with the bot and send <code>/admin_authorize</code> there.";

  static final String PENDING = "This conversation is waiting for administrator approval. Please ask the channel admin"
      + " to review it with <code>/admin_chat_list</code> in their private chat.";

  static final String REJECTED = "The administrator of this bot has rejected this chat: messages here are not processed.";

  static final String APPROVED_NOTICE = "The administrator approved this chat: the bot answers here now.";

  static final String NO_CHATS = "No chats have requested access yet.";

  static final String OWN_CHAT = "Your own private chat cannot be rejected: it is the administrator's chat.";

  static final String OPEN = "Access control is off for this bot (<code>\"open\": true</code> in its channel config): "
      + "there is no administrator and no chat approval, so this command does nothing.";

  static String claimed(String channelId, long userId) {
    return "You are now the administrator for channel " + code(channelId) + " as user " + code(userId) + ". This "
        + "private chat is approved. Other chats wait for your approval: /admin_chat_list shows them, "
        + "<code>/admin_chat_approve &lt;chat id&gt;</code> and <code>/admin_chat_reject &lt;chat id&gt;</code> decide.";
  }

  static String alreadyAdmin(String channelId) {
    return "You are already the administrator for channel " + code(channelId) + ".";
  }

  static String otherAdmin(Admin admin) {
    return "This channel already has an administrator registered as user " + code(admin.userId()) + " ("
        + esc(admin.displayName()) + ").";
  }

  static String newChat(AccessPolicy.Knock k) {
    String who = k.isPrivate() ? "private chat of " + esc(k.userName())
        : esc(k.chatTitle()) + " (" + esc(k.chatType()) + "), first message from " + esc(k.userName());
    return "A new chat is waiting for approval: " + code(k.chatId()) + ", " + who + " (user " + code(k.userId()) + ").\n"
        + "approve: /admin_chat_approve " + k.chatId() + "\n"
        + "reject: /admin_chat_reject " + k.chatId();
  }

  static String usage(String command) {
    return "Usage: <code>/" + command + " &lt;chat id&gt;</code>, e.g. <code>/" + command
        + " -1001234567890</code>. /admin_chat_list shows the chat ids.";
  }

  static String approved(long chatId) {
    return "Conversation " + code(chatId) + " is now <code>approved</code>.";
  }

  /** Unlike the reference, the conversation is not deleted: the reply says what happens instead. */
  static String rejected(long chatId, boolean stillAllowListed) {
    String text = "Conversation " + code(chatId) + " was rejected: its messages no longer reach the agent. Its history"
        + " and workspace are kept; <code>/admin_chat_approve " + chatId + "</code> lets it in again.";
    if (stillAllowListed) text += " Note: the chat is in allowed_chat_ids, which lets it through whatever its approval.";
    return text;
  }

  static String dashboard(String channelId, State s) {
    Admin admin = s.admin();
    List<ChatRecord> others = s.chats().values().stream().filter(c -> c.chatId() != admin.privateChatId()).toList();
    StringBuilder sb = new StringBuilder("<b>Approval dashboard for channel ").append(code(channelId)).append("</b>\n");
    sb.append("Pending: ").append(count(others, Approval.PENDING))
        .append(", approved: ").append(count(others, Approval.APPROVED))
        .append(", rejected: ").append(count(others, Approval.REJECTED)).append('\n');
    sb.append("Administrator: user ").append(code(admin.userId())).append(" (").append(esc(admin.displayName())).append(")\n");
    sb.append("Admin private chat: ").append(code(admin.privateChatId()));
    if (others.isEmpty()) return sb.append("\n\n").append(NO_CHATS).toString();
    List<ChatRecord> pending = others.stream().filter(c -> c.approval() == Approval.PENDING)
        .sorted(Comparator.comparing(ChatRecord::updatedAt)).toList();
    if (!pending.isEmpty()) {
      sb.append("\n\n<b>Pending</b>");
      for (ChatRecord c : pending) {
        sb.append("\n• ").append(describe(c))
            .append("\n  updated: ").append(c.updatedAt().truncatedTo(ChronoUnit.SECONDS))
            .append("\n  approve: /admin_chat_approve ").append(c.chatId())
            .append("\n  reject: /admin_chat_reject ").append(c.chatId());
      }
    }
    list(sb, "Approved", others, Approval.APPROVED);
    list(sb, "Rejected", others, Approval.REJECTED);
    return sb.toString();
  }

  private static void list(StringBuilder sb, String heading, List<ChatRecord> chats, Approval approval) {
    List<ChatRecord> matching = chats.stream().filter(c -> c.approval() == approval).toList();
    if (matching.isEmpty()) return;
    sb.append("\n\n<b>").append(heading).append("</b>");
    for (ChatRecord c : matching) sb.append("\n• ").append(describe(c));
  }

  private static String describe(ChatRecord c) {
    if (c.chatType() == null) return code(c.chatId()) + " (decided by id before it wrote)";
    String who = "private".equals(c.chatType()) ? esc(c.title())
        : esc(c.title()) + " (" + esc(c.chatType()) + ", asked by " + esc(c.userName()) + ")";
    return code(c.chatId()) + " " + who;
  }

  private static long count(List<ChatRecord> chats, Approval approval) {
    return chats.stream().filter(c -> c.approval() == approval).count();
  }

  private static String code(Object value) {
    return "<code>" + esc(String.valueOf(value)) + "</code>";
  }

  private static String esc(String text) {
    return TelegramMarkdown.escape(text == null || text.isBlank() ? "?" : text);
  }
}
