package partyclaw.actors.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RecentMessageIdsTest {
  @Test
  void theNewestIdsAreAlwaysRememberedAndTheListStaysBounded() {
    ConversationState s = ConversationState.empty();
    int n = 5 * ConversationState.RECENT_IDS + 7;
    for (int i = 0; i < n; i++) {
      s = s.apply(new ConversationEntity.CommandAccepted("m" + i, "status", ""));
      assertTrue(s.recentMessageIds().size() <= 2 * ConversationState.RECENT_IDS, "after " + i);
    }
    for (int i = n - ConversationState.RECENT_IDS; i < n; i++) assertTrue(s.hasSeen("m" + i), "m" + i);
    assertFalse(s.hasSeen("m0"));
    assertEquals(1, s.recentMessageIds().stream().filter(("m" + (n - 1))::equals).count());
  }
}
