package partyclaw.actors.conversation;

import akka.actor.typed.javadsl.ActorContext;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import partyclaw.actors.ConversationRuntime;
import partyclaw.actors.conversation.ConversationEntity.Command;

/**
 * Turns a slash command's {@link SlashCommands.Decision} into the events it journals (added to {@code pending}) and
 * the side effect that runs once they are journaled. {@code /stop} is the entity's own (it cancels the turn).
 * Part of {@link ConversationEntity}.
 */
final class SlashCommandEffects {
  private static final Consumer<ConversationState> NONE = st -> { };

  private final String conversationId;
  private final ConversationRuntime rt;
  private final ActorContext<Command> ctx;
  private final Executor blocking;
  private final BackgroundAgentHandlers background;
  private final Function<ConversationState, Path> workspace;
  private final Consumer<ConversationState> turnStarted;

  SlashCommandEffects(String conversationId, ConversationRuntime rt, ActorContext<Command> ctx, Executor blocking,
      BackgroundAgentHandlers background, Function<ConversationState, Path> workspace,
      Consumer<ConversationState> turnStarted) {
    this.conversationId = conversationId;
    this.rt = rt;
    this.ctx = ctx;
    this.blocking = blocking;
    this.background = background;
    this.workspace = workspace;
    this.turnStarted = turnStarted;
  }

  Consumer<ConversationState> apply(SlashCommands.Decision decision, PendingEvents pending) {
    if (decision instanceof SlashCommands.Reply r) {
      pending.tell(OutboundKind.COMMAND, r.text(), r.options());
      return NONE;
    }
    if (decision instanceof SlashCommands.ChangeSetting change) {
      pending.add(new ConversationEntity.SettingChanged(change.key(), change.value()))
          .tell(OutboundKind.COMMAND, change.text());
      return NONE;
    }
    if (decision instanceof SlashCommands.Compact compact) {
      ContextCommands.request(pending, CompactionReason.MANUAL, null).tell(OutboundKind.COMMAND, compact.text());
      return NONE;
    }
    if (decision instanceof SlashCommands.SwitchModel sw) {
      // The previous model summarises (its window holds the context); the new one answers from then on.
      ContextCommands.request(pending, CompactionReason.MODEL_SWITCH, sw.compactWith())
          .add(new ConversationEntity.SettingChanged("model", sw.alias())).tell(OutboundKind.COMMAND, sw.text());
      return NONE;
    }
    if (decision instanceof SlashCommands.MountFolder m) {
      boolean operator = rt.isOperator(conversationId);
      return st -> MountCommands.resolve(ctx, rt, m.folder(), m.readOnly(), workspace.apply(st), operator, blocking);
    }
    if (decision instanceof SlashCommands.UnmountFolder u) {
      pending.add(new ConversationEntity.MountRemoved(u.path()))
          .tell(OutboundKind.COMMAND, "Unmounted `" + u.path() + "`.");
      return NONE;
    }
    if (decision instanceof SlashCommands.ChangeSubscription sub) {
      pending.add(new ConversationEntity.TopicSubscriptionChanged(sub.topic(), sub.subscribed()))
          .tell(OutboundKind.COMMAND, sub.text());
      return st -> rt.reports().subscribe(conversationId, sub.topic(), sub.subscribed());
    }
    if (decision instanceof SlashCommands.StopBackground stop) {
      List<String> stopped = background.stop(pending, stop.agentId(), "stopped by the user");
      pending.tell(OutboundKind.COMMAND, "Stopped " + stopped.size() + " background agent(s): "
          + String.join(", ", stopped) + ". Nothing will be reported for them.");
      return st -> stopped.forEach(id -> background.cancel(id, "stopped by the user"));
    }
    if (decision instanceof SlashCommands.ContinueTurn) {
      pending.add(TurnOpenings.resume());
      return turnStarted;
    }
    if (decision instanceof SlashCommands.SnapshotIo io) {
      return st -> SnapshotCommands.start(ctx, rt, conversationId, st, workspace.apply(st), io, blocking);
    }
    throw new IllegalStateException("no effect for " + decision);
  }
}
