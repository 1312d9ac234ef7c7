package partyclaw.channels.telegram;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import partyclaw.actors.JsonSerializable;
import partyclaw.actors.conversation.SlashCommand;
import partyclaw.channels.telegram.TelegramAccessStore.Admin;
import partyclaw.channels.telegram.TelegramAccessStore.Approval;
import partyclaw.channels.telegram.TelegramAccessStore.ChatRecord;
import partyclaw.channels.telegram.TelegramAccessStore.Event;
import partyclaw.channels.telegram.TelegramAccessStore.State;
import partyclaw.core.config.TelegramChannelConfig;

/**
 * Whether a message the bot reacts to may reach its conversation (spec §2.1.9), as a pure function of the stored
 * access state: the reference's administrator and chat approvals, with partyclaw's allow-lists letting their chats
 * and users through without approval, and {@code "open": true} switching all of it off.
 *
 * <p>Departures from the reference, all on the side of caution or of saying what happens: where allow-lists are
 * configured, only someone they let through may claim the bot (so a bot locked down by allow-lists before access
 * control existed cannot be claimed by a stranger); refusal notices are throttled (see {@link NoticeThrottle}), and a
 * rejected chat is told once instead of being ignored silently; rejecting does not delete the conversation.
 */
public final class AccessPolicy {

  /** One message as access control sees it. {@code text}: normalised, commands without {@code @bot}. */
  public record Knock(long chatId, String chatType, String chatTitle, long userId, String userName, String text) {
    boolean isPrivate() {
      return "private".equals(chatType);
    }
  }

  /**
   * A message to send. {@code throttleKey}: null for answers that must go out (the administrator's commands, a
   * state change told once); otherwise notices to chats that are not let in, sent at most once per key and interval.
   */
  public record Notice(long chatId, String html, String throttleKey) {}

  /**
   * {@code admitted}: the message goes on to its conversation; the notices go out in any case. {@code closedChats}:
   * chats the administrator just rejected, whose conversations close (spec §2.1.5: rejected chats are closed).
   */
  public record Verdict(boolean admitted, List<Notice> notices, List<Long> closedChats) implements JsonSerializable {
    public Verdict {
      notices = List.copyOf(notices);
      closedChats = closedChats == null ? List.of() : List.copyOf(closedChats);
    }

    Verdict(boolean admitted, List<Notice> notices) {
      this(admitted, notices, List.of());
    }

    static Verdict admit() {
      return new Verdict(true, List.of());
    }

    static Verdict refuse(Notice... notices) {
      return new Verdict(false, List.of(notices));
    }
  }

  public record Decision(List<Event> events, Verdict verdict) {
    static Decision of(Verdict verdict) {
      return new Decision(List.of(), verdict);
    }
  }

  static final Set<String> CLAIM = Set.of("admin_authorize", "authorize");
  static final Set<String> ADMIN_ONLY = Set.of("admin_chat_list", "admin_chat_approve", "admin_chat_reject");

  private final TelegramChannelConfig cfg;

  public AccessPolicy(TelegramChannelConfig cfg) {
    this.cfg = cfg;
  }

  public Decision decide(State s, Knock k, Instant now) {
    Optional<SlashCommand> command = SlashCommand.parse(k.text());
    boolean allowListed = cfg.allowListed(k.chatId(), k.userId());
    if (cfg.open()) return Decision.of(open(k, command, allowListed));
    if (command.isPresent() && CLAIM.contains(command.get().name()) && command.get().args().isEmpty()) {
      return claim(s, k, allowListed, now);
    }
    Admin admin = s.admin();
    if (admin == null) {
      if (allowListed) return Decision.of(Verdict.admit());
      return Decision.of(Verdict.refuse(throttled(k, cfg.hasAllowLists() ? AccessTexts.NOT_ALLOWED : AccessTexts.NO_ADMIN,
          cfg.hasAllowLists() ? "not-allowed" : "no-admin")));
    }
    if (k.chatId() == admin.privateChatId() && command.isPresent() && ADMIN_ONLY.contains(command.get().name())) {
      return adminCommand(s, k, command.get(), now);
    }
    if (allowListed) return Decision.of(Verdict.admit());
    ChatRecord known = s.chat(k.chatId());
    if (known == null) {
      String title = k.isPrivate() ? k.userName() : k.chatTitle();
      return new Decision(
          List.of(new TelegramAccessStore.ChatRequested(k.chatId(), k.chatType(), title, k.userId(), k.userName(), now)),
          Verdict.refuse(throttled(k, AccessTexts.PENDING, "pending"),
              new Notice(admin.privateChatId(), AccessTexts.newChat(k), null)));
    }
    return Decision.of(switch (known.approval()) {
      case APPROVED -> Verdict.admit();
      case PENDING -> Verdict.refuse(throttled(k, AccessTexts.PENDING, "pending"));
      case REJECTED -> Verdict.refuse(throttled(k, AccessTexts.REJECTED, "rejected"));
    });
  }

  /** As before access control: the allow-lists alone decide; the admin commands say that they do nothing. */
  private Verdict open(Knock k, Optional<SlashCommand> command, boolean allowListed) {
    if (cfg.hasAllowLists() && !allowListed) return Verdict.refuse(throttled(k, AccessTexts.NOT_ALLOWED, "not-allowed"));
    if (command.isPresent() && (CLAIM.contains(command.get().name()) || ADMIN_ONLY.contains(command.get().name()))) {
      return Verdict.refuse(new Notice(k.chatId(), AccessTexts.OPEN, null));
    }
    return Verdict.admit();
  }

  private Decision claim(State s, Knock k, boolean allowListed, Instant now) {
    if (!k.isPrivate()) return Decision.of(Verdict.refuse(throttled(k, AccessTexts.CLAIM_IN_GROUP, "claim-in-group")));
    Admin admin = s.admin();
    if (admin == null) {
      if (cfg.hasAllowLists() && !allowListed) {
        return Decision.of(Verdict.refuse(throttled(k, AccessTexts.NOT_ALLOWED, "not-allowed")));
      }
      return new Decision(List.of(new TelegramAccessStore.AdminClaimed(k.userId(), k.userName(), k.chatId(), now)),
          Verdict.refuse(new Notice(k.chatId(), AccessTexts.claimed(cfg.id(), k.userId()), null)));
    }
    if (admin.userId() == k.userId()) {
      return Decision.of(Verdict.refuse(new Notice(k.chatId(), AccessTexts.alreadyAdmin(cfg.id()), null)));
    }
    return Decision.of(Verdict.refuse(throttled(k, AccessTexts.otherAdmin(admin), "other-admin")));
  }

  private Decision adminCommand(State s, Knock k, SlashCommand command, Instant now) {
    if (command.name().equals("admin_chat_list")) {
      return Decision.of(Verdict.refuse(new Notice(k.chatId(), AccessTexts.dashboard(cfg.id(), s), null)));
    }
    Long target = chatId(command.args());
    if (target == null) {
      return Decision.of(Verdict.refuse(new Notice(k.chatId(), AccessTexts.usage(command.name()), null)));
    }
    ChatRecord known = s.chat(target);
    List<Event> events = new ArrayList<>();
    List<Notice> notices = new ArrayList<>();
    if (command.name().equals("admin_chat_approve")) {
      if (known == null || known.approval() != Approval.APPROVED) {
        events.add(new TelegramAccessStore.ChatApproved(target, now));
        if (known != null) notices.add(new Notice(target, AccessTexts.APPROVED_NOTICE, null));
      }
      notices.add(0, new Notice(k.chatId(), AccessTexts.approved(target), null));
      return new Decision(events, new Verdict(false, notices));
    }
    if (target == k.chatId()) return Decision.of(Verdict.refuse(new Notice(k.chatId(), AccessTexts.OWN_CHAT, null)));
    if (known == null || known.approval() != Approval.REJECTED) {
      events.add(new TelegramAccessStore.ChatRejected(target, now));
      // Throttled under the key later refusals use: the chat hears of it now, not again at its next message.
      if (known != null) notices.add(new Notice(target, AccessTexts.REJECTED, "rejected"));
    }
    boolean stillListed = cfg.allowedChatIds().contains(target);
    notices.add(0, new Notice(k.chatId(), AccessTexts.rejected(target, stillListed), null));
    boolean newlyRejected = !events.isEmpty();
    return new Decision(events, new Verdict(false, notices,
        newlyRejected && !stillListed ? List.of(target) : List.of()));
  }

  private static Notice throttled(Knock k, String html, String key) {
    return new Notice(k.chatId(), html, key);
  }

  /** A chat id as the dashboard shows it; null when {@code args} is not exactly one. */
  static Long chatId(String args) {
    String a = args.strip();
    if (!a.matches("-?\\d{1,18}")) return null;
    return Long.parseLong(a);
  }
}
