package partyclaw.actors.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import partyclaw.actors.agents.AgentSlots.Admission;
import partyclaw.actors.agents.AgentSlots.Granted;
import partyclaw.actors.agents.AgentSlots.Refused;
import partyclaw.actors.agents.AgentSlots.Slot;

/** The daemon's gate on running agents: exact refusals, per-conversation and global limits, release. */
class AgentSlotsTest {

  @Test
  void theGlobalLimitRefusesEveryConversationWithAReason() {
    AgentSlots slots = new AgentSlots(AgentTier.SUB_AGENT, 3, "max_global_sub_agents", 2);
    granted(slots.tryAcquire("tg:1"));
    granted(slots.tryAcquire("tg:1"));
    Slot third = granted(slots.tryAcquire("tg:2"));

    assertEquals(new Refused("cannot start another sub-agent: 3 of 3 sub-agents are running across all"
        + " conversations (max_global_sub_agents = 3); join or kill one of yours, or try again later"),
        slots.tryAcquire("tg:3"));
    assertEquals(3, slots.inUse());
    assertEquals(0, slots.inUse("tg:3"));

    third.release();
    Slot again = granted(slots.tryAcquire("tg:3"));
    assertEquals("tg:3", again.conversationId());
    assertEquals(3, slots.inUse());
  }

  @Test
  void theConversationLimitRefusesOnlyThatConversation() {
    AgentSlots slots = new AgentSlots(AgentTier.SUB_AGENT, 4, "max_global_sub_agents", 2);
    Slot first = granted(slots.tryAcquire("tg:1"));
    granted(slots.tryAcquire("tg:1"));

    assertEquals(new Refused("cannot start another sub-agent: this conversation already runs 2 of its 2"
        + " (per-conversation limit); join or kill one of yours, or try again later"), slots.tryAcquire("tg:1"));
    granted(slots.tryAcquire("tg:2"));
    assertEquals(2, slots.inUse("tg:1"));
    assertEquals(1, slots.inUse("tg:2"));
    assertEquals(3, slots.inUse());

    first.release();
    assertEquals(1, slots.inUse("tg:1"));
    granted(slots.tryAcquire("tg:1"));
  }

  @Test
  void releasingTwiceFreesOnce() {
    AgentSlots slots = new AgentSlots(AgentTier.SUB_AGENT, 2, "max_global_sub_agents", 2);
    Slot slot = granted(slots.tryAcquire("tg:1"));
    granted(slots.tryAcquire("tg:1"));

    slot.release();
    slot.release();

    assertEquals(1, slots.inUse());
    assertEquals(1, slots.inUse("tg:1"));
    granted(slots.tryAcquire("tg:2"));
    assertInstanceOf(Refused.class, slots.tryAcquire("tg:2"));
  }

  @Test
  void backgroundAgentsAreRefusedInTheirOwnWords() {
    AgentSlots slots = new AgentSlots(AgentTier.BACKGROUND, 1, null, 1);
    granted(slots.tryAcquire("tg:1"));

    assertEquals(new Refused("cannot start another background agent: 1 of 1 background agents are running across"
        + " all conversations (the daemon's limit); wait for one to finish or try again later"),
        slots.tryAcquire("tg:2"));
  }

  @Test
  void limitsBelowOneAreRejected() {
    assertEquals("maxGlobal must be at least 1, got 0", assertThrows(IllegalArgumentException.class,
        () -> new AgentSlots(AgentTier.SUB_AGENT, 0, "max_global_sub_agents", 1)).getMessage());
    assertEquals("maxPerConversation must be at least 1, got 0", assertThrows(IllegalArgumentException.class,
        () -> new AgentSlots(AgentTier.SUB_AGENT, 1, "max_global_sub_agents", 0)).getMessage());
  }

  @Test
  void concurrentStartsNeverExceedTheGlobalLimit() throws Exception {
    AgentSlots slots = new AgentSlots(AgentTier.SUB_AGENT, 4, "max_global_sub_agents", 100);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Admission>> tries = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      String conversation = "tg:" + (i % 8);
      tries.add(pool.submit(() -> {
        go.await();
        return slots.tryAcquire(conversation);
      }));
    }
    go.countDown();
    int granted = 0;
    for (Future<Admission> t : tries) {
      if (t.get(5, TimeUnit.SECONDS) instanceof Granted) granted++;
    }
    pool.shutdownNow();

    assertEquals(4, granted);
    assertEquals(4, slots.inUse());
  }

  private static Slot granted(Admission admission) {
    return assertInstanceOf(Granted.class, admission).slot();
  }
}
