package partyclaw.channels.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import partyclaw.channels.telegram.AccessPolicy.Decision;
import partyclaw.channels.telegram.AccessPolicy.Knock;
import partyclaw.channels.telegram.AccessPolicy.Notice;
import partyclaw.channels.telegram.TelegramAccessStore.AdminClaimed;
import partyclaw.channels.telegram.TelegramAccessStore.Approval;
import partyclaw.channels.telegram.TelegramAccessStore.ChatApproved;
import partyclaw.channels.telegram.TelegramAccessStore.ChatRejected;
import partyclaw.channels.telegram.TelegramAccessStore.ChatRequested;
import partyclaw.channels.telegram.TelegramAccessStore.State;
import partyclaw.core.config.TelegramChannelConfig;

/** The access decision on its own: the stored state and one message in, the events and the verdict out. */
class AccessPolicyTest {
  static final Instant NOW = Instant.parse("2025-01-02T03:04:05Z");
  static final long ADMIN = 100;
  static final long GROUP = -1001;
  static final long STRANGER = 200;

  static TelegramChannelConfig config(List<Long> chats, List<Long> users, boolean open) {
    return new TelegramChannelConfig("tg", null, "ENV", "http://127.0.0.1:1", 1, 20, chats, users, open);
  }

  static final AccessPolicy CLOSED = new AccessPolicy(config(List.of(), List.of(), false));

  static Knock privateMessage(long user, String text) {
    return new Knock(user, "private", "", user, "User" + user, text);
  }

  static Knock groupMessage(long user, String text) {
    return new Knock(GROUP, "supergroup", "The <Team>", user, "User" + user, text);
  }

  /** The state after the administrator claimed the bot. */
  static State claimed() {
    return apply(State.EMPTY, CLOSED.decide(State.EMPTY, privateMessage(ADMIN, "/admin_authorize"), NOW));
  }

  static State apply(State s, Decision d) {
    for (TelegramAccessStore.Event e : d.events()) s = TelegramAccessStore.apply(s, e);
    return s;
  }

  static List<String> texts(Decision d) {
    return d.verdict().notices().stream().map(Notice::html).toList();
  }

  @Test
  void withoutAdministratorOrAllowListsNothingGetsThroughAndTheStrangerLearnsHowToClaim() {
    Decision d = CLOSED.decide(State.EMPTY, privateMessage(STRANGER, "hello"), NOW);
    assertFalse(d.verdict().admitted());
    assertTrue(d.events().isEmpty(), "nothing is recorded before there is an administrator");
    assertEquals(List.of(new Notice(STRANGER, AccessTexts.NO_ADMIN, "no-admin")), d.verdict().notices());
    Decision group = CLOSED.decide(State.EMPTY, groupMessage(STRANGER, "/status"), NOW);
    assertEquals(List.of(new Notice(GROUP, AccessTexts.NO_ADMIN, "no-admin")), group.verdict().notices());
  }

  @Test
  void theFirstPrivateClaimMakesTheAdministratorAndApprovesTheirChat() {
    Decision d = CLOSED.decide(State.EMPTY, privateMessage(ADMIN, "/admin_authorize"), NOW);
    assertEquals(List.of(new AdminClaimed(ADMIN, "User100", ADMIN, NOW)), d.events());
    assertFalse(d.verdict().admitted(), "the command itself is answered by the channel");
    assertEquals(List.of(new Notice(ADMIN, AccessTexts.claimed("tg", ADMIN), null)), d.verdict().notices());

    State s = apply(State.EMPTY, d);
    assertEquals(Approval.APPROVED, s.chat(ADMIN).approval());
    assertTrue(CLOSED.decide(s, privateMessage(ADMIN, "hi agent"), NOW).verdict().admitted());
    assertEquals(List.of(AccessTexts.alreadyAdmin("tg")),
        texts(CLOSED.decide(s, privateMessage(ADMIN, "/authorize"), NOW)));
    Decision other = CLOSED.decide(s, privateMessage(STRANGER, "/authorize"), NOW);
    assertTrue(other.events().isEmpty());
    assertEquals(List.of(new Notice(STRANGER, AccessTexts.otherAdmin(s.admin()), "other-admin")), other.verdict().notices());
  }

  @Test
  void aClaimOutsideAPrivateChatOrWithArgumentsClaimsNothing() {
    Decision inGroup = CLOSED.decide(State.EMPTY, groupMessage(ADMIN, "/admin_authorize"), NOW);
    assertTrue(inGroup.events().isEmpty());
    assertEquals(List.of(AccessTexts.CLAIM_IN_GROUP), texts(inGroup));
    Decision withArgs = CLOSED.decide(State.EMPTY, privateMessage(ADMIN, "/admin_authorize secret"), NOW);
    assertTrue(withArgs.events().isEmpty());
    assertEquals(List.of(AccessTexts.NO_ADMIN), texts(withArgs));
  }

  @Test
  void aNewChatWaitsAndTheAdministratorIsToldOnce() {
    State s = claimed();
    Decision first = CLOSED.decide(s, groupMessage(STRANGER, "@bot hello"), NOW);
    assertEquals(List.of(new ChatRequested(GROUP, "supergroup", "The <Team>", STRANGER, "User200", NOW)), first.events());
    assertFalse(first.verdict().admitted());
    assertEquals(List.of(new Notice(GROUP, AccessTexts.PENDING, "pending"),
        new Notice(ADMIN, AccessTexts.newChat(groupMessage(STRANGER, "")), null)), first.verdict().notices());
    assertTrue(AccessTexts.newChat(groupMessage(STRANGER, "")).contains("The &lt;Team&gt; (supergroup)"),
        "names from Telegram are escaped");

    State pending = apply(s, first);
    Decision again = CLOSED.decide(pending, groupMessage(STRANGER, "hello?"), NOW);
    assertTrue(again.events().isEmpty());
    assertEquals(List.of(new Notice(GROUP, AccessTexts.PENDING, "pending")), again.verdict().notices(),
        "the administrator hears of a chat once");
  }

  @Test
  void approveAndRejectDecideAndTellTheChat() {
    State s = apply(claimed(), CLOSED.decide(claimed(), groupMessage(STRANGER, "hi"), NOW));
    Instant later = NOW.plusSeconds(60);

    Decision approve = CLOSED.decide(s, privateMessage(ADMIN, "/admin_chat_approve " + GROUP), later);
    assertEquals(List.of(new ChatApproved(GROUP, later)), approve.events());
    assertEquals(List.of(new Notice(ADMIN, AccessTexts.approved(GROUP), null),
        new Notice(GROUP, AccessTexts.APPROVED_NOTICE, null)), approve.verdict().notices());
    State approved = apply(s, approve);
    assertTrue(CLOSED.decide(approved, groupMessage(STRANGER, "now?"), later).verdict().admitted());
    assertTrue(CLOSED.decide(approved, privateMessage(ADMIN, "/admin_chat_approve " + GROUP), later).events().isEmpty(),
        "approving twice records nothing");

    Decision reject = CLOSED.decide(approved, privateMessage(ADMIN, "/admin_chat_reject " + GROUP), later);
    assertEquals(List.of(new ChatRejected(GROUP, later)), reject.events());
    assertEquals(List.of(new Notice(ADMIN, AccessTexts.rejected(GROUP, false), null),
        new Notice(GROUP, AccessTexts.REJECTED, "rejected")), reject.verdict().notices());
    assertEquals(List.of(GROUP), reject.verdict().closedChats(), "a newly rejected chat's conversation closes");
    State rejected = apply(approved, reject);
    assertEquals(List.of(), CLOSED.decide(rejected, privateMessage(ADMIN, "/admin_chat_reject " + GROUP), later)
        .verdict().closedChats(), "rejecting again closes nothing more");
    Decision refused = CLOSED.decide(rejected, groupMessage(STRANGER, "still there?"), later);
    assertFalse(refused.verdict().admitted());
    assertEquals(List.of(new Notice(GROUP, AccessTexts.REJECTED, "rejected")), refused.verdict().notices());
  }

  @Test
  void anUnknownIdCanBeApprovedAheadButTheAdministratorsOwnChatNotRejected() {
    State s = claimed();
    Decision ahead = CLOSED.decide(s, privateMessage(ADMIN, "/admin_chat_approve -555"), NOW);
    assertEquals(List.of(new ChatApproved(-555, NOW)), ahead.events());
    assertEquals(1, ahead.verdict().notices().size(), "no notice to a chat that never wrote");
    State after = apply(s, ahead);
    assertNull(after.chat(-555).chatType());
    assertTrue(AccessTexts.dashboard("tg", after).contains("<code>-555</code> (decided by id before it wrote)"));

    Decision self = CLOSED.decide(s, privateMessage(ADMIN, "/admin_chat_reject " + ADMIN), NOW);
    assertTrue(self.events().isEmpty());
    assertEquals(List.of(AccessTexts.OWN_CHAT), texts(self));
    assertEquals(List.of(AccessTexts.usage("admin_chat_approve")),
        texts(CLOSED.decide(s, privateMessage(ADMIN, "/admin_chat_approve the group"), NOW)));
  }

  @Test
  void adminCommandsOfOthersFallThroughToTheApprovalCheck() {
    State s = claimed();
    // a stranger's private chat: recorded as pending like any other message, the command does nothing
    Decision stranger = CLOSED.decide(s, privateMessage(STRANGER, "/admin_chat_approve " + STRANGER), NOW);
    assertEquals(List.of(new ChatRequested(STRANGER, "private", "User200", STRANGER, "User200", NOW)), stranger.events());
    assertFalse(stranger.verdict().admitted());
    // in an approved group even the administrator's command goes on to the conversation ("Unknown command")
    State groupApproved = s.withApproval(GROUP, Approval.APPROVED, NOW);
    Decision inGroup = CLOSED.decide(groupApproved, groupMessage(ADMIN, "/admin_chat_list"), NOW);
    assertTrue(inGroup.verdict().admitted());
    assertTrue(inGroup.verdict().notices().isEmpty());
  }

  @Test
  void theDashboardListsEveryStateAndSaysWhenNobodyAsked() {
    State s = claimed();
    String empty = AccessTexts.dashboard("tg", s);
    assertTrue(empty.endsWith("Admin private chat: <code>100</code>\n\n" + AccessTexts.NO_CHATS), empty);
    assertEquals(List.of(empty), texts(CLOSED.decide(s, privateMessage(ADMIN, "/admin_chat_list"), NOW)));

    State mixed = apply(s, CLOSED.decide(s, groupMessage(STRANGER, "hi"), NOW))
        .withApproval(-7, Approval.REJECTED, NOW);
    String board = AccessTexts.dashboard("tg", mixed);
    assertTrue(board.contains("Pending: 1, approved: 0, rejected: 1\n"), board);
    assertTrue(board.contains("\n\n<b>Pending</b>\n• <code>-1001</code> The &lt;Team&gt; (supergroup, asked by User200)"
        + "\n  updated: 2025-01-02T03:04:05Z\n  approve: /admin_chat_approve -1001\n  reject: /admin_chat_reject -1001"), board);
    assertTrue(board.endsWith("\n\n<b>Rejected</b>\n• <code>-7</code> (decided by id before it wrote)"), board);
    assertFalse(board.contains("<b>Approved</b>"), "an empty state has no heading");
  }

  @Test
  void allowListedChatsAndUsersNeedNoApprovalAndOnlyThemMayClaim() {
    AccessPolicy listed = new AccessPolicy(config(List.of(), List.of(ADMIN), false));
    assertTrue(listed.decide(State.EMPTY, privateMessage(ADMIN, "hi"), NOW).verdict().admitted());
    assertTrue(listed.decide(State.EMPTY, groupMessage(ADMIN, "hi"), NOW).verdict().admitted());
    Decision stranger = listed.decide(State.EMPTY, privateMessage(STRANGER, "/admin_authorize"), NOW);
    assertTrue(stranger.events().isEmpty(), "a stranger cannot claim a bot that allow-lists lock");
    assertEquals(List.of(new Notice(STRANGER, AccessTexts.NOT_ALLOWED, "not-allowed")), stranger.verdict().notices());

    Decision claim = listed.decide(State.EMPTY, privateMessage(ADMIN, "/admin_authorize"), NOW);
    assertEquals(1, claim.events().size());
    State s = apply(State.EMPTY, claim);
    // with an administrator, a stranger's chat can be approved on top of the allow-lists
    Decision asks = listed.decide(s, privateMessage(STRANGER, "hello"), NOW);
    assertEquals(List.of(AccessTexts.PENDING, AccessTexts.newChat(privateMessage(STRANGER, ""))), texts(asks));

    AccessPolicy chatListed = new AccessPolicy(config(List.of(GROUP), List.of(), false));
    State rejected = s.withApproval(GROUP, Approval.REJECTED, NOW);
    assertTrue(chatListed.decide(rejected, groupMessage(STRANGER, "hi"), NOW).verdict().admitted(),
        "the allow-list wins over a rejection");
    assertTrue(AccessTexts.rejected(GROUP, true).contains("allowed_chat_ids"));
  }

  @Test
  void anOpenBotLetsEveryoneInAndItsAdminCommandsSaySoPlainly() {
    AccessPolicy open = new AccessPolicy(config(List.of(), List.of(), true));
    Decision d = open.decide(State.EMPTY, privateMessage(STRANGER, "hello"), NOW);
    assertTrue(d.verdict().admitted());
    assertTrue(d.events().isEmpty());
    Decision claim = open.decide(State.EMPTY, privateMessage(STRANGER, "/admin_authorize"), NOW);
    assertFalse(claim.verdict().admitted());
    assertTrue(claim.events().isEmpty());
    assertEquals(List.of(AccessTexts.OPEN), texts(claim));

    AccessPolicy openListed = new AccessPolicy(config(List.of(), List.of(ADMIN), true));
    assertTrue(openListed.decide(State.EMPTY, privateMessage(ADMIN, "hi"), NOW).verdict().admitted());
    assertEquals(List.of(AccessTexts.NOT_ALLOWED),
        texts(openListed.decide(State.EMPTY, privateMessage(STRANGER, "hi"), NOW)), "open keeps the allow-lists");
  }
}
