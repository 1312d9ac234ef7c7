package partyclaw.actors.conversation;

import akka.Done;
import akka.actor.typed.javadsl.ActorContext;
import akka.pattern.StatusReply;
import akka.persistence.typed.javadsl.EffectFactories;
import akka.persistence.typed.javadsl.ReplyEffect;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import partyclaw.actors.ConversationRuntime;
import partyclaw.actors.conversation.ConversationEntity.Accepted;
import partyclaw.actors.conversation.ConversationEntity.AgentReportReceived;
import partyclaw.actors.conversation.ConversationEntity.CancelTurn;
import partyclaw.actors.conversation.ConversationEntity.CloseConversation;
import partyclaw.actors.conversation.ConversationEntity.Command;
import partyclaw.actors.conversation.ConversationEntity.CommandAccepted;
import partyclaw.actors.conversation.ConversationEntity.ConversationClosed;
import partyclaw.actors.conversation.ConversationEntity.ConversationOpened;
import partyclaw.actors.conversation.ConversationEntity.CronTaskSaved;
import partyclaw.actors.conversation.ConversationEntity.Event;
import partyclaw.actors.conversation.ConversationEntity.GetWorkspace;
import partyclaw.actors.conversation.ConversationEntity.InboundAccepted;
import partyclaw.actors.conversation.ConversationEntity.ReceiveAgentReport;
import partyclaw.actors.conversation.ConversationEntity.SubmitUserMessage;
import partyclaw.actors.conversation.ConversationState.Inbound;
import partyclaw.core.cron.CronTask;
import partyclaw.core.tool.TurnProcesses;

/**
 * What arrives from outside the conversation: user messages and slash commands from channels, reports of
 * background agents (this conversation's or another's), the channel closing the chat, and the workspace lookup for
 * inbound files. Everything is acknowledged only once journaled. Part of {@link ConversationEntity}.
 */
final class InboundHandlers {
  private final String conversationId;
  private final ConversationRuntime rt;
  private final ActorContext<Command> ctx;
  private final TurnRunner runner;
  private final ContextRunner context;
  private final TurnControl control;
  private final SlashCommandEffects commandEffects;
  private final SubAgentHandlers subAgents;
  private final BackgroundAgentHandlers background;
  private final ConversationLifecycle lifecycle;
  private final Supplier<EffectFactories<Event, ConversationState>> effects;

  InboundHandlers(String conversationId, ConversationRuntime rt, ActorContext<Command> ctx, TurnRunner runner,
      ContextRunner context, TurnControl control, SlashCommandEffects commandEffects, SubAgentHandlers subAgents,
      BackgroundAgentHandlers background, ConversationLifecycle lifecycle,
      Supplier<EffectFactories<Event, ConversationState>> effects) {
    this.conversationId = conversationId;
    this.rt = rt;
    this.ctx = ctx;
    this.runner = runner;
    this.context = context;
    this.control = control;
    this.commandEffects = commandEffects;
    this.subAgents = subAgents;
    this.background = background;
    this.lifecycle = lifecycle;
    this.effects = effects;
  }

  ReplyEffect<Event, ConversationState> onSubmit(ConversationState s, SubmitUserMessage cmd) {
    if (s.hasSeen(cmd.messageId())) {
      return effects.get().reply(cmd.replyTo(), StatusReply.success(new Accepted(true)));
    }
    if ((cmd.text() == null || cmd.text().isBlank()) && cmd.attachments().isEmpty()) {
      return effects.get().reply(cmd.replyTo(), StatusReply.error("empty message"));
    }
    if (cmd.attachments().isEmpty()) {
      Optional<SlashCommand> command = SlashCommand.parse(cmd.text());
      if (command.isPresent()) return onSlashCommand(s, cmd, command.get());
    }
    PendingEvents pending = opened(s);
    boolean startsTurn = !s.busy();
    pending.add(new InboundAccepted(cmd.messageId(), cmd.senderId(), cmd.senderName(),
        cmd.text() == null ? "" : cmd.text(), cmd.attachments(), Instant.now()));
    if (startsTurn) {
      // Idle conversation: the turn starts in the same journal write as the message.
      Inbound in = pending.state().inbox().get(0);
      pending.add(TurnOpenings.start(pending.state(), List.of(in.messageId()), UserMessages.plain(List.of(in), 1),
          rt.context().time()));
    }
    Consumer<ConversationState> then = startsTurn ? control::turnStarted : control::followUpArrived;
    return lifecycle.acknowledged(effects.get().persist(pending.events()).thenRun(then::accept), cmd.replyTo(),
        new Accepted(false));
  }

  private ReplyEffect<Event, ConversationState> onSlashCommand(ConversationState s, SubmitUserMessage cmd,
      SlashCommand c) {
    PendingEvents pending = opened(s).add(new CommandAccepted(cmd.messageId(), c.name(), c.args()));
    ConversationState after = pending.state();
    long processes = rt.resources().of(conversationId).find(TurnProcesses.class)
        .map(TurnProcesses::runningCount).orElse(0L);
    SlashCommands.Decision decision = SlashCommands.decide(after, c, new SlashCommands.Facts(conversationId, rt,
        runner.runningToolCount(), processes, rt.isOperator(conversationId), context.estimate(after).orElse(null)));
    if (decision instanceof SlashCommands.StopTurn) {
      return control.cancelTurn(pending, TurnOutcome.STOPPED, "stopped by /stop", cmd.replyTo());
    }
    Consumer<ConversationState> effect = commandEffects.apply(decision, pending);
    return lifecycle.acknowledged(effects.get().persist(pending.events()).thenRun(effect::accept), cmd.replyTo(),
        new Accepted(false));
  }

  ReplyEffect<Event, ConversationState> onReceiveReport(ConversationState s, ReceiveAgentReport c) {
    if (s.hasSeen(c.report().reportId())) return effects.get().reply(c.replyTo(), StatusReply.ack());
    String text = c.report().render(conversationId);
    PendingEvents pending = opened(s).add(new AgentReportReceived(c.report().reportId(),
        c.report().sourceConversation(), c.report().agentId(), text)).tell(OutboundKind.REPLY, text);
    return lifecycle.acknowledged(effects.get().persist(pending.events()), c.replyTo(), Done.getInstance());
  }

  ReplyEffect<Event, ConversationState> onClose(ConversationState s, CloseConversation c) {
    Instant now = Instant.now();
    PendingEvents pending = new PendingEvents(s).add(new ConversationClosed(c.reason(), now));
    List<CronTask> enabled = s.cronTasks().stream().filter(CronTask::enabled).toList();
    enabled.forEach(t -> pending.add(new CronTaskSaved(t.apply(CronTask.Patch.builder().enabled(false).build(), now))));
    List<String> stopped = background.stop(pending, null, "the conversation was closed: " + c.reason());
    ctx.getLog().info("conversation {} closed ({}): {} cron task(s) disabled, {} background agent(s) stopped",
        conversationId, c.reason(), enabled.size(), stopped.size());
    return effects.get().persist(pending.events())
        .thenRun(st -> {
          stopped.forEach(id -> background.cancel(id, c.reason()));
          subAgents.cancelAll();
          if (st.turn() != null) ctx.getSelf().tell(new CancelTurn(TurnOutcome.STOPPED, c.reason()));
        })
        .thenRun(lifecycle::afterChange)
        .thenReply(c.replyTo(), st -> StatusReply.ack());
  }

  ReplyEffect<Event, ConversationState> onGetWorkspace(ConversationState s, GetWorkspace cmd) {
    if (s.workspaceId() != null) {
      return effects.get().reply(cmd.replyTo(), StatusReply.success(runner.workspacePath(s).toString()));
    }
    return effects.get().persist(opened(s).events())
        .thenReply(cmd.replyTo(), st -> StatusReply.success(runner.workspacePath(st).toString()));
  }

  private PendingEvents opened(ConversationState s) {
    PendingEvents pending = new PendingEvents(s);
    if (s.workspaceId() == null) pending.add(new ConversationOpened(UUID.randomUUID().toString(), Instant.now()));
    return pending;
  }
}
