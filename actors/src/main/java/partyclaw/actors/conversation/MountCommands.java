package partyclaw.actors.conversation;

import akka.actor.typed.javadsl.ActorContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import partyclaw.actors.ConversationRuntime;
import partyclaw.actors.conversation.ConversationEntity.Command;
import partyclaw.actors.conversation.ConversationEntity.MountResolved;
import partyclaw.core.sandbox.SandboxMode;

/**
 * {@code /mount}: resolves the folder on the blocking pool and decides whether this chat may mount it. Unlike the
 * reference (any chat member could bind {@code /} writable), a folder must not be {@code /}, the workdir or hold
 * it, and a chat that is not an operator may only mount inside the config's {@code sandbox.mount_roots}.
 */
final class MountCommands {
  private MountCommands() {}

  static void resolve(ActorContext<Command> ctx, ConversationRuntime rt, String folder, boolean readOnly,
      Path workspace, boolean operator, Executor blocking) {
    ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> check(rt, folder, workspace, operator), blocking),
        (path, error) -> error != null
            ? new MountResolved(folder, readOnly, null, error.getCause() != null ? error.getCause().getMessage()
                : error.getMessage())
            : new MountResolved(folder, readOnly, path.toString(), null));
  }

  private static Path check(ConversationRuntime rt, String folder, Path workspace, boolean operator) {
    String expanded = folder.equals("~") || folder.startsWith("~/")
        ? System.getProperty("user.home") + folder.substring(1) : folder;
    Path path;
    try {
      path = workspace.resolve(expanded).toRealPath();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("`" + folder + "` does not exist");
    }
    if (!Files.isDirectory(path)) throw new IllegalArgumentException("`" + path + "` is not a folder");
    Path workdir;
    try {
      workdir = rt.workdir().toRealPath();
    } catch (IOException e) {
      workdir = rt.workdir().toAbsolutePath().normalize();
    }
    if (path.getParent() == null) throw new IllegalArgumentException("the root folder cannot be mounted");
    if (path.startsWith(workdir) || workdir.startsWith(path)) {
      throw new IllegalArgumentException("`" + path + "` holds or is inside partyclaw's workdir (other conversations,"
          + " the journal); it cannot be mounted");
    }
    if (!operator && rt.sandbox().mountRoots().stream().noneMatch(path::startsWith)) {
      throw new IllegalArgumentException(rt.sandbox().mountRoots().isEmpty()
          ? "only an operator may mount folders (the config names no sandbox.mount_roots)"
          : "`" + path + "` is outside the folders this chat may mount: " + rt.sandbox().mountRoots());
    }
    return path;
  }

  static PendingEvents resolved(ConversationState s, MountResolved r, ConversationRuntime rt) {
    PendingEvents pending = new PendingEvents(s);
    Texts t = Texts.of(rt.language());
    if (r.error() != null) return pending.tell(OutboundKind.COMMAND, t.get("mount.failed", r.error()));
    String note = t.get(rt.sandbox().effective(s.settings().sandboxMode()) == SandboxMode.BUBBLEWRAP
        ? "mount.visible" : "mount.later");
    return pending.add(new ConversationEntity.MountAdded(r.path(), r.readOnly()))
        .tell(OutboundKind.COMMAND, t.get("mount.done", r.path(), t.get(r.readOnly() ? "mount.readOnly" : "mount.readWrite"))
            + note);
  }
}
