package partyclaw.actors.conversation;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import partyclaw.actors.outbox.ReplyOption;
import partyclaw.actors.ConversationRuntime;
import partyclaw.actors.ModelCatalog;
import partyclaw.actors.SandboxPolicy;
import partyclaw.actors.conversation.ConversationState.Settings;
import partyclaw.core.sandbox.SandboxMode;

/**
 * Decides what a slash command does, as data: a pure function of the conversation's state and a few facts of the
 * node. The entity turns a {@link Decision} into events and effects. Commands never reach the model.
 */
final class SlashCommands {
  static final List<String> EFFORTS = List.of("low", "medium", "high");

  private SlashCommands() {}

  /** What the node knows beyond the state: running work, and whether the sender may act on other conversations. */
  record Facts(String conversationId, ConversationRuntime rt, int runningTools, long runningProcesses,
      boolean operator, ContextRunner.Estimate estimate) {}

  sealed interface Decision {}

  /** Only an answer. */
  record Reply(String text, List<ReplyOption> options) implements Decision {
    Reply(String text) {
      this(text, List.of());
    }
  }

  /** A journaled setting change ({@code value} null = back to the default), then the answer. */
  record ChangeSetting(String key, String value, String text) implements Decision {}

  /** Cancel the running turn for real. */
  record StopTurn() implements Decision {}

  /** Resume the last turn that did not complete. */
  record ContinueTurn() implements Decision {}

  /** {@code /compact}: a compaction now (or at the running turn's next safe boundary), then the answer. */
  record Compact(String text) implements Decision {}

  /** {@code /mount <folder> [ro|rw]}: resolved and checked on the blocking pool, then journaled. */
  record MountFolder(String folder, boolean readOnly) implements Decision {}

  record UnmountFolder(String path) implements Decision {}

  /** {@code /agent} to another model; {@code compactWith}: compact first with this (the previous) model. */
  record SwitchModel(String alias, String compactWith, String text) implements Decision {}

  /** {@code /subscribe}, {@code /unsubscribe}: a journaled topic subscription change, then the answer. */
  record ChangeSubscription(String topic, boolean subscribed, String text) implements Decision {}

  /** {@code /background stop}: {@code agentId} null stops every running one. */
  record StopBackground(String agentId) implements Decision {}

  /** Snapshot commands: file I/O on the blocking pool, answered when it is done. */
  sealed interface SnapshotIo extends Decision {}

  record SaveSnapshot(String name) implements SnapshotIo {}

  /** {@code fromConversation} is this conversation unless an operator named another one. */
  record LoadSnapshot(String name, String fromConversation) implements SnapshotIo {}

  /** {@code all}: every conversation's snapshots (operators only). */
  record ListSnapshots(boolean all) implements SnapshotIo {}

  static Decision decide(ConversationState s, SlashCommand c, Facts facts) {
    ModelCatalog.Entry model = facts.rt().models().resolve(s.settings().modelAlias()).orElse(null);
    Texts t = Texts.of(facts.rt().language());
    return switch (c.name()) {
      case "help" -> new Reply(SlashCommand.help(t));
      case "status" -> new Reply(status(s, facts, model));
      case "stop" -> s.turn() == null ? new Reply(t.get("stop.nothing")) : new StopTurn();
      case "continue" -> s.resumable() ? new ContinueTurn() : new Reply(t.get("continue.nothing"));
      case "agent", "model" -> agent(s, c, model, facts, t);
      case "compact" -> compact(s, model, facts, t);
      case "compact_mode" -> compactMode(s, c, facts.rt(), t);
      case "think" -> think(s, c, model, t);
      case "queue" -> queue(s, c, facts.rt(), t);
      case "set_api_timeout" -> apiTimeout(s, c, model, facts.conversationId(), t);
      case "snapsave", "snapload", "snaplist" -> snapshot(s, c, facts.operator(), t);
      case "sandbox" -> sandbox(s, c, facts, t);
      case "mount" -> mount(s, c);
      case "subscribe" -> BackgroundCommands.subscribe(s, c, true, t);
      case "unsubscribe" -> BackgroundCommands.subscribe(s, c, false, t);
      case "background" -> BackgroundCommands.background(s, c, t);
      default -> new Reply(t.get("command.unknown") + "\n\n" + SlashCommand.help(t));
    };
  }

  static QueueMode queueMode(Settings s, ConversationRuntime rt) {
    return s.queueMode() != null ? s.queueMode() : rt.defaultQueueMode();
  }

  private static Decision agent(ConversationState s, SlashCommand c, ModelCatalog.Entry model, Facts facts,
      Texts t) {
    ConversationRuntime rt = facts.rt();
    String current = model == null ? null : model.alias();
    String arg = c.args().startsWith("agent_frame") ? c.args().substring("agent_frame".length()).strip() : c.args();
    List<String> available = rt.models().available();
    if (arg.isEmpty()) return agentPicker("", current, available, t);
    if (!available.contains(arg)) return agentPicker(t.get("agent.unknown", arg), current, available, t);
    if (arg.equals(current)) return new Reply(t.get("agent.same", arg));
    String text = t.get("agent.updated", arg);
    ModelCatalog.Entry next = rt.models().models().get(arg);
    boolean tooBig = model != null && next != null && facts.estimate() != null
        && rt.context().compressionFor(s.settings().compaction()) && s.context().pending() == null
        && facts.estimate().tokens() >= rt.context().budget(next.contextWindowTokens()).threshold();
    if (!tooBig) return new ChangeSetting("model", arg, text);
    return new SwitchModel(arg, model.alias(), text
        + t.get("agent.compactFirst", String.valueOf(facts.estimate().tokens()), model.alias()));
  }

  /**
   * A chat may make its sandbox stricter; only an operator may run a conversation with less isolation than the
   * config's mode (in a group, anyone could otherwise turn the sandbox off and read the host).
   */
  private static Decision sandbox(ConversationState s, SlashCommand c, Facts facts, Texts t) {
    SandboxPolicy policy = facts.rt().sandbox();
    String current = s.settings().sandboxMode();
    String arg = c.args().toLowerCase(Locale.ROOT);
    if (arg.isEmpty()) {
      List<String> modes = policy.bubblewrapAvailable() ? List.of("subprocess", "bubblewrap", "default")
          : List.of("subprocess", "default");
      return new Reply(t.get("sandbox.picker", policy.effective(current).wire(), policy.describe(current)),
          ReplyOption.commands("/sandbox", modes));
    }
    String value;
    if (arg.equals("default")) {
      value = null;
    } else {
      Optional<SandboxMode> mode = SandboxMode.parse(arg);
      if (mode.isEmpty()) return new Reply(t.get("sandbox.unknown", c.args()));
      value = mode.get().wire();
      if (mode.get() == SandboxMode.BUBBLEWRAP && !policy.bubblewrapAvailable()) {
        return new Reply(t.get("sandbox.unavailable", policy.unavailableReason()));
      }
    }
    boolean weaker = policy.effective(value) == SandboxMode.SUBPROCESS
        && policy.effective(null) == SandboxMode.BUBBLEWRAP;
    if (weaker && !facts.operator()) {
      return new Reply(t.get("sandbox.operatorOnly"));
    }
    return new ChangeSetting("sandbox", value, t.get("sandbox.updated", policy.effective(value).wire()));
  }

  private static Decision mount(ConversationState s, SlashCommand c) {
    String[] words = c.args().split("\\s+");
    if (c.args().isEmpty()) {
      String list = s.settings().mounts().isEmpty() ? "No folders are mounted."
          : "Mounted: " + String.join(", ", s.settings().mounts().stream()
              .map(m -> "`" + m.path() + "` (" + (m.readOnly() ? "read-only" : "read-write") + ")").toList());
      return new Reply(list + "\nUsage: `/mount <folder> [ro|rw]` (read-only unless rw), `/mount remove <folder>`.");
    }
    if (words[0].equals("remove")) {
      String path = c.args().substring("remove".length()).strip();
      boolean mounted = s.settings().mounts().stream().anyMatch(m -> m.path().equals(path));
      return mounted ? new UnmountFolder(path) : new Reply("`" + path + "` is not mounted.");
    }
    String last = words[words.length - 1];
    boolean mode = words.length > 1 && (last.equals("ro") || last.equals("rw"));
    String folder = mode ? c.args().substring(0, c.args().length() - last.length()).strip() : c.args();
    return new MountFolder(folder, !(mode && last.equals("rw")));
  }

  /** Compacts even when automatic compaction is off, once the context reaches {@code idle_compaction.min_ratio}. */
  private static Decision compact(ConversationState s, ModelCatalog.Entry model, Facts facts, Texts t) {
    if (model == null) return new Reply(t.get("compact.noModel"));
    if (s.context().pending() != null) return new Reply(t.get("compact.underWay"));
    ContextRunner.Estimate e = facts.estimate();
    long minimum = facts.rt().context().budget(model.contextWindowTokens())
        .minimumFor(facts.rt().context().idle().minRatio());
    if (s.transcript().isEmpty() || e == null || e.tokens() < minimum) {
      return new Reply(t.get("compact.notNeeded", t.get("compaction.notNeeded"), String.valueOf(e == null ? 0 : e.tokens()),
          String.valueOf(minimum)));
    }
    return new Compact(t.get(s.turn() != null ? "compact.atSafePoint" : "compact.now"));
  }

  private static Decision compactMode(ConversationState s, SlashCommand c, ConversationRuntime rt, Texts t) {
    String arg = c.args().toLowerCase(Locale.ROOT);
    boolean enabled = rt.context().compressionFor(s.settings().compaction());
    return switch (arg) {
      case "" -> new Reply(t.get("compactMode.picker", t.get(enabled ? "compactMode.enabled" : "compactMode.disabled")),
          List.of(new ReplyOption(t.get("compactMode.enabled"), "/compact_mode on"),
              new ReplyOption(t.get("compactMode.disabled"), "/compact_mode off")));
      case "on", "enable", "enabled" -> new ChangeSetting("compaction", "true",
          t.get("compactMode.updated", t.get("compactMode.enabled")));
      case "off", "disable", "disabled" -> new ChangeSetting("compaction", "false",
          t.get("compactMode.updated", t.get("compactMode.disabled")));
      default -> new Reply(t.get("compactMode.unknown", c.args()));
    };
  }

  private static Decision think(ConversationState s, SlashCommand c, ModelCatalog.Entry model, Texts t) {
    String arg = c.args().toLowerCase(Locale.ROOT);
    String current = effort(s.settings(), model);
    if (arg.isEmpty()) return thinkPicker("", current, t);
    if (!arg.equals("default") && !EFFORTS.contains(arg)) {
      return thinkPicker(t.get("think.unknown", c.args()), current, t);
    }
    String value = arg.equals("default") ? null : arg;
    return new ChangeSetting("reasoning_effort", value,
        t.get("think.updated", effort(s.settings().with("reasoning_effort", value), model)));
  }

  private static Decision queue(ConversationState s, SlashCommand c, ConversationRuntime rt, Texts t) {
    String usage = t.get("queue.usage", queueMode(s.settings(), rt).wire());
    if (c.args().isEmpty()) return new Reply(usage);
    return QueueMode.parse(c.args())
        .<Decision>map(m -> new ChangeSetting("queue_mode", m.wire(), t.get("queue.updated", m.wire())))
        .orElseGet(() -> new Reply(t.get("queue.unknown", c.args()) + usage));
  }

  private static Decision apiTimeout(ConversationState s, SlashCommand c, ModelCatalog.Entry model,
      String conversationId, Texts t) {
    String arg = c.args();
    if (arg.isEmpty()) return new Reply(t.get("timeout.usage"));
    if (arg.equals("default") || arg.equals("reset") || arg.equals("0")) {
      double seconds = effectiveTimeout(s.settings().with("api_timeout_seconds", null), model);
      return new ChangeSetting("api_timeout_seconds", null, timeoutText(t, conversationId, seconds, false));
    }
    double seconds;
    try {
      seconds = Double.parseDouble(arg);
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    if (!(seconds > 0) || seconds > 86_400) {
      return new Reply(t.get("timeout.invalid", arg));
    }
    return new ChangeSetting("api_timeout_seconds", Double.toString(seconds), timeoutText(t, conversationId, seconds, true));
  }

  /**
   * Snapshots belong to their conversation. An operator may list every conversation's ({@code /snaplist all}) and
   * load another's by naming it: {@code /snapload <name> from <conversation id>}.
   */
  private static Decision snapshot(ConversationState s, SlashCommand c, boolean operator, Texts t) {
    String args = c.args();
    if (c.name().equals("snaplist") || (c.name().equals("snapload") && args.isEmpty())) {
      boolean all = args.equals("all");
      if (all && !operator) return new Reply(t.get("snapshot.operatorList"));
      return new ListSnapshots(all);
    }
    String name = args;
    String from = null;
    int fromAt = args.indexOf(" from ");
    if (c.name().equals("snapload") && fromAt > 0) {
      name = args.substring(0, fromAt).strip();
      from = args.substring(fromAt + " from ".length()).strip();
      if (!operator) return new Reply(t.get("snapshot.operatorLoad"));
      if (from.isEmpty()) return new Reply("Usage: `/snapload <name> from <conversation id>`");
    }
    if (name.isEmpty()) return new Reply("Usage: `/" + c.name() + " <name>`\nExample: `/" + c.name() + " demo`");
    String invalid = NamedSnapshots.invalidName(name);
    if (invalid != null) return new Reply("Invalid snapshot name: " + invalid + ".");
    if (s.turn() != null) return new Reply(t.get("snapshot.turnRunning"));
    return c.name().equals("snapsave") ? new SaveSnapshot(name) : new LoadSnapshot(name, from);
  }

  // ---- texts ----

  static String effort(Settings s, ModelCatalog.Entry model) {
    if (s.reasoningEffort() != null) return s.reasoningEffort();
    if (model != null && model.endpoint().reasoning() != null && model.endpoint().reasoning().hasNonNull("effort")) {
      return model.endpoint().reasoning().get("effort").asText();
    }
    return "default";
  }

  private static double effectiveTimeout(Settings s, ModelCatalog.Entry model) {
    if (s.apiTimeoutSeconds() != null) return s.apiTimeoutSeconds();
    return model == null ? 0 : model.endpoint().timeout().toMillis() / 1000.0;
  }

  private static Reply agentPicker(String intro, String current, List<String> available, Texts t) {
    List<String> sorted = available.stream().sorted().toList();
    return new Reply(intro + t.get("agent.picker", current == null ? t.get("agent.notSelected") : current,
        String.join(", ", sorted)), ReplyOption.commands("/agent", sorted));
  }

  private static Reply thinkPicker(String intro, String current, Texts t) {
    return new Reply(intro + t.get("think.picker", current),
        ReplyOption.commands("/think", List.of("low", "medium", "high", "default")));
  }

  private static String timeoutText(Texts t, String sessionId, double seconds, boolean override) {
    return t.get(override ? "timeout.updated" : "timeout.reset", sessionId, String.format(Locale.ROOT, "%.1f", seconds));
  }

  private static void context(StringBuilder sb, ConversationState s, Facts facts) {
    ContextRunner.Estimate e = facts.estimate();
    if (e != null) {
      sb.append(String.format(Locale.ROOT,
          "Current context estimate: %d / %d tokens (%d%% of the compaction threshold; window %d; local estimate, %s"
              + " x%.2f)%n", e.tokens(), e.threshold(), e.percentOfThreshold(), e.window(), e.encoding(), e.factor()));
    }
    ContextState c = s.context();
    sb.append("Automatic context compaction: ")
        .append(facts.rt().context().compressionFor(s.settings().compaction()) ? "enabled" : "disabled")
        .append(", compactions: ").append(c.compactions())
        .append(c.lastCompactedAt() == null ? "" : " (last " + c.lastCompactedAt() + ")")
        .append(c.pending() != null ? ", one under way (" + c.pending().reason().wire() + ")" : "").append('\n');
    if (c.lastCompactionProblem() != null) sb.append("Last compaction problem: ").append(c.lastCompactionProblem()).append('\n');
    if (c.prompt() != null) {
      StringBuilder parts = new StringBuilder();
      c.prompt().partSizes().forEach((k, v) -> parts.append(parts.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
      sb.append("System prompt: ").append(c.prompt().text().length()).append(" chars (").append(parts).append(")\n");
    }
    sb.append("Memory: ").append(facts.rt().context().memoryMode().name().toLowerCase(Locale.ROOT)).append('\n');
  }

  private static String status(ConversationState s, Facts facts, ModelCatalog.Entry model) {
    Settings st = s.settings();
    StringBuilder sb = new StringBuilder();
    sb.append("Conversation: ").append(facts.conversationId()).append('\n');
    sb.append("Workspace: ").append(s.workspaceId() == null ? "<not created yet>" : s.workspaceId()).append('\n');
    sb.append("Model: ").append(model == null ? "<none>" : model.alias() + " (" + model.endpoint().model() + ")")
        .append('\n');
    sb.append(String.format(Locale.ROOT, "API timeout: %.1fs (%s)%n", effectiveTimeout(st, model),
        st.apiTimeoutSeconds() != null ? "session override" : "model default"));
    sb.append("Reasoning effort: ").append(effort(st, model)).append('\n');
    sb.append("Queue mode: ").append(queueMode(st, facts.rt()).wire()).append('\n');
    sb.append("Sandbox: ").append(facts.rt().sandbox().describe(st.sandboxMode())).append('\n');
    if (!st.mounts().isEmpty()) {
      sb.append("Mounts: ").append(String.join(", ", st.mounts().stream()
          .map(m -> m.path() + (m.readOnly() ? " (read-only)" : " (read-write)")).toList())).append('\n');
    }
    sb.append("Turns: ").append(s.turnCount()).append(s.turn() != null ? " (one running)" : "").append('\n');
    context(sb, s, facts);
    long subAgentsRunning = s.subAgents().stream().filter(SubAgentRecord::running).count();
    if (!s.subAgents().isEmpty()) {
      sb.append("Sub-agents: ").append(subAgentsRunning).append(" running, ")
          .append(s.subAgents().size() - subAgentsRunning).append(" finished and not joined\n");
    }
    if (!s.background().agents().isEmpty()) {
      sb.append(BackgroundCommands.list(s)).append('\n');
    }
    if (!s.background().topics().isEmpty()) {
      sb.append("Subscribed topics: ").append(String.join(", ", s.background().topics())).append('\n');
    }
    if (!s.cronTasks().isEmpty()) {
      java.time.Instant now = java.time.Instant.now();
      sb.append("Cron tasks:\n");
      s.cronTasks().forEach(t -> sb.append("- ").append(t.name()).append(" (").append(t.enabled() ? "next "
          + partyclaw.core.cron.CronPlanner.nextRun(t, now).map(Object::toString).orElse("none") : "disabled")
          .append(t.lastCheckOutcome() == null ? "" : "; last check " + t.lastCheckOutcome()).append(")\n"));
    }
    if (!s.plan().steps().isEmpty()) {
      sb.append("Plan").append(s.plan().explanation().isEmpty() ? "" : " (" + s.plan().explanation() + ")")
          .append(":\n").append(String.join("\n", s.plan().lines())).append('\n');
    }
    sb.append("Running tools: ").append(facts.runningTools()).append(", running processes: ")
        .append(facts.runningProcesses()).append('\n');
    sb.append("Queued messages: ").append(s.inbox().size()).append(", undelivered replies: ")
        .append(s.outbox().size()).append('\n');
    if (s.undeliverable() > 0) {
      sb.append("Replies the platform refused: ").append(s.undeliverable()).append(" (last: ")
          .append(s.lastDeliveryFailure()).append(")\n");
    }
    long prompt = s.usage().promptTokens();
    long cached = s.usage().cachedTokens();
    sb.append("Tokens: input ").append(prompt).append(", output ").append(s.usage().completionTokens())
        .append(", cache hits ").append(cached)
        .append(prompt > 0 ? String.format(Locale.ROOT, " (%.1f%%)", 100.0 * cached / prompt) : "")
        .append(", model calls ").append(s.usage().llmCalls()).append('\n');
    sb.append("Cost estimate: n/a (no prices are configured for this model)");
    return sb.toString();
  }
}
