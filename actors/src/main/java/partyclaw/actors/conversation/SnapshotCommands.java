package partyclaw.actors.conversation;

import akka.actor.typed.javadsl.ActorContext;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import partyclaw.actors.ConversationRuntime;
import partyclaw.actors.conversation.ConversationEntity.Command;
import partyclaw.actors.conversation.ConversationEntity.SnapshotLoadFinished;
import partyclaw.actors.conversation.ConversationEntity.SnapshotSaveFinished;
import partyclaw.actors.conversation.ConversationEntity.SnapshotsListed;
import partyclaw.core.util.Failures;

/** Runs a snapshot command's file I/O on the blocking pool and turns its result into the conversation's events. */
final class SnapshotCommands {
  private SnapshotCommands() {}

  /** Starts the I/O; its outcome comes back to the entity as a command. Runs on the entity's thread. */
  static void start(ActorContext<Command> ctx, ConversationRuntime rt, String conversationId, ConversationState s,
      Path workspace, SlashCommands.SnapshotIo decision, Executor blocking) {
    Path workdir = rt.workdir();
    if (decision instanceof SlashCommands.ListSnapshots list) {
      Texts t = Texts.of(rt.language());
      ctx.pipeToSelf(NamedSnapshots.describeAsync(workdir, conversationId, list.all(), t, blocking),
          (listing, error) -> listing != null ? new SnapshotsListed(listing.text(), listing.options())
              : new SnapshotsListed(t.get("snapshot.listFailed", describe(error)), List.of()));
    } else if (decision instanceof SlashCommands.SaveSnapshot save) {
      NamedSnapshots.Snapshot snapshot = new NamedSnapshots.Snapshot(save.name(), Instant.now(), conversationId,
          List.copyOf(s.transcript()), s.settings());
      ctx.pipeToSelf(NamedSnapshots.saveAsync(workdir, snapshot, workspace, blocking),
          (at, error) -> new SnapshotSaveFinished(save.name(), at, describe(error)));
    } else if (decision instanceof SlashCommands.LoadSnapshot load) {
      String from = load.fromConversation() == null ? conversationId : load.fromConversation();
      String workspaceId = "snapshot-" + load.name() + "-" + UUID.randomUUID().toString().substring(0, 8);
      ctx.pipeToSelf(NamedSnapshots.loadAsync(workdir, from, load.name(), workspaceId, rt.workspaceDir(workspaceId),
              conversationId, blocking),
          (loaded, error) -> new SnapshotLoadFinished(load.name(), loaded, describe(error)));
    }
  }

  static PendingEvents saved(ConversationState s, SnapshotSaveFinished c, Texts t) {
    return new PendingEvents(s).tell(OutboundKind.COMMAND, c.error() == null
        ? t.get("snapshot.saved", c.name(), String.valueOf(c.savedAt()))
        : t.get("snapshot.saveFailed", c.name(), c.error()));
  }

  static PendingEvents loaded(ConversationState s, SnapshotLoadFinished c, Texts t) {
    PendingEvents pending = new PendingEvents(s);
    if (c.error() != null) return pending.tell(OutboundKind.COMMAND, t.get("snapshot.loadFailed", c.name(), c.error()));
    if (s.turn() != null) return pending.tell(OutboundKind.COMMAND, t.get("snapshot.turnStarted"));
    NamedSnapshots.Snapshot snap = c.loaded().snapshot();
    String workspaceId = c.loaded().workspaceId();
    return pending.add(new ConversationEntity.SnapshotLoaded(c.name(), workspaceId, snap.transcript(), snap.settings()))
        .tell(OutboundKind.COMMAND, t.get("snapshot.loaded", c.name(), workspaceId));
  }

  private static String describe(Throwable error) {
    return error == null ? null : Failures.rootMessage(error);
  }
}
