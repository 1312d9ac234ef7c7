package partyclaw.actors.agents;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How many agents of one tier may run at once on this daemon: a global cap and a cap per conversation. A full gate
 * refuses with a reason the model is shown — never a queue, and never a start that looks successful but runs
 * nothing (the reference's full slots: runtime.md §9.2). Thread-safe; one instance per tier per daemon.
 */
public final class AgentSlots {

  /** The answer to {@link #tryAcquire}. */
  public sealed interface Admission permits Granted, Refused {}

  /** A slot is held until {@link Slot#release()}. */
  public record Granted(Slot slot) implements Admission {}

  /** No slot: {@code reason} is one line for the model, naming the limit and what to do. */
  public record Refused(String reason) implements Admission {}

  /** One running agent's place; releasing it twice frees it once. */
  public final class Slot {
    private final String conversationId;
    private boolean released;

    private Slot(String conversationId) {
      this.conversationId = conversationId;
    }

    public String conversationId() {
      return conversationId;
    }

    public void release() {
      synchronized (AgentSlots.this) {
        if (released) return;
        released = true;
        inUse--;
        perConversation.computeIfPresent(conversationId, (id, n) -> n <= 1 ? null : n - 1);
      }
    }
  }

  private final AgentTier tier;
  private final int maxGlobal;
  private final int maxPerConversation;
  /** The config key of the global cap, named in refusals; null when it is not configurable. */
  private final String globalSetting;
  private int inUse;
  private final Map<String, Integer> perConversation = new HashMap<>();

  /**
   * @param globalSetting the config key that sets {@code maxGlobal} ({@code max_global_sub_agents}), or null
   */
  public AgentSlots(AgentTier tier, int maxGlobal, String globalSetting, int maxPerConversation) {
    this.tier = Objects.requireNonNull(tier, "tier");
    if (maxGlobal < 1) throw new IllegalArgumentException("maxGlobal must be at least 1, got " + maxGlobal);
    if (maxPerConversation < 1) {
      throw new IllegalArgumentException("maxPerConversation must be at least 1, got " + maxPerConversation);
    }
    this.maxGlobal = maxGlobal;
    this.maxPerConversation = maxPerConversation;
    this.globalSetting = globalSetting;
  }

  /** Takes a slot for an agent of {@code conversationId}, or says which limit is reached. */
  public synchronized Admission tryAcquire(String conversationId) {
    Objects.requireNonNull(conversationId, "conversationId");
    int mine = perConversation.getOrDefault(conversationId, 0);
    if (mine >= maxPerConversation) {
      return new Refused("cannot start another " + tier.noun() + ": this conversation already runs " + mine + " of"
          + " its " + maxPerConversation + " (per-conversation limit); " + remedy());
    }
    if (inUse >= maxGlobal) {
      String setting = globalSetting == null ? "the daemon's limit" : globalSetting + " = " + maxGlobal;
      return new Refused("cannot start another " + tier.noun() + ": " + inUse + " of " + maxGlobal + " "
          + tier.plural() + " are running across all conversations (" + setting + "); " + remedy());
    }
    inUse++;
    perConversation.put(conversationId, mine + 1);
    return new Granted(new Slot(conversationId));
  }

  private String remedy() {
    return tier == AgentTier.SUB_AGENT
        ? "join or kill one of yours, or try again later"
        : "wait for one to finish or try again later";
  }

  /** Slots held across the daemon. */
  public synchronized int inUse() {
    return inUse;
  }

  /** Slots held by {@code conversationId}'s agents. */
  public synchronized int inUse(String conversationId) {
    return perConversation.getOrDefault(conversationId, 0);
  }

  public int maxGlobal() {
    return maxGlobal;
  }

  public int maxPerConversation() {
    return maxPerConversation;
  }

  public AgentTier tier() {
    return tier;
  }
}
