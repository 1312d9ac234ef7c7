package partyclaw.actors.conversation;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import partyclaw.actors.conversation.ConversationState.Settings;
import partyclaw.core.json.Json;
import partyclaw.core.transcript.ChatMessage;

/**
 * Global named snapshots ({@code /snapsave}, {@code /snapload}, {@code /snaplist}) under {@code <workdir>/snapshots/
 * <name>/}: the transcript and settings in {@code snapshot.json}, plus a copy of the workspace files. Blocking file
 * I/O: called only on the blocking dispatcher. Names are validated (the reference deletes the workdir for
 * {@code /snapsave ..}); files are written to a temporary directory and renamed into place.
 */
final class NamedSnapshots {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  record Snapshot(String name, Instant savedAt, String sourceConversation, List<ChatMessage> transcript,
      Settings settings) {}

  private NamedSnapshots() {}

  /** Saves on the calling (blocking) thread, then tells the conversation how it went. */
  static Runnable saveTask(Path workdir, Snapshot snapshot, Path workspace,
      ActorRef<ConversationEntity.Command> conversation) {
    return () -> {
      try {
        save(workdir, snapshot, workspace);
        conversation.tell(new ConversationEntity.SnapshotWritten(snapshot.name(), snapshot.savedAt(), null));
      } catch (IOException | RuntimeException e) {
        conversation.tell(new ConversationEntity.SnapshotWritten(snapshot.name(), null, e.getMessage()));
      }
    };
  }

  /** Reads the snapshot and copies its files into a fresh workspace, then hands both to the conversation. */
  static Runnable loadTask(Path workdir, String name, String workspaceId, Path workspace,
      ActorRef<ConversationEntity.Command> conversation) {
    return () -> {
      try {
        Snapshot snapshot = load(workdir, name);
        restoreWorkspace(workdir, name, workspace);
        conversation.tell(new ConversationEntity.SnapshotRead(name, workspaceId, snapshot, null));
      } catch (IOException | RuntimeException e) {
        conversation.tell(new ConversationEntity.SnapshotRead(name, null, null, e.getMessage()));
      }
    };
  }

  /** Null when valid, else why not. */
  static String invalidName(String name) {
    if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
      return "a snapshot name is 1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit";
    }
    return null;
  }

  static void save(Path workdir, Snapshot snapshot, Path workspace) throws IOException {
    Path root = Files.createDirectories(workdir.resolve("snapshots"));
    Path staging = Files.createTempDirectory(root, ".saving-" + snapshot.name() + "-");
    try {
      Files.writeString(staging.resolve("snapshot.json"), Json.write(snapshot));
      if (Files.isDirectory(workspace)) copyTree(workspace, staging.resolve("workspace"));
      Path target = root.resolve(snapshot.name());
      Path old = null;
      if (Files.exists(target)) {
        old = root.resolve(".old-" + snapshot.name() + "-" + System.nanoTime());
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      if (old != null) deleteTree(old);
    } catch (IOException | RuntimeException e) {
      deleteTree(staging);
      throw e;
    }
  }

  static Snapshot load(Path workdir, String name) throws IOException {
    Path file = workdir.resolve("snapshots").resolve(name).resolve("snapshot.json");
    if (!Files.isRegularFile(file)) throw new IOException("there is no snapshot named " + name + " (see /snaplist)");
    return Json.MAPPER.readValue(Files.readString(file), new TypeReference<Snapshot>() {});
  }

  /** Copies the snapshot's workspace files into {@code target} (a fresh workspace). */
  static void restoreWorkspace(Path workdir, String name, Path target) throws IOException {
    Files.createDirectories(target);
    Path saved = workdir.resolve("snapshots").resolve(name).resolve("workspace");
    if (Files.isDirectory(saved)) copyTree(saved, target);
  }

  static List<Snapshot> list(Path workdir) throws IOException {
    Path root = workdir.resolve("snapshots");
    if (!Files.isDirectory(root)) return List.of();
    List<Snapshot> all = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        String name = dir.getFileName().toString();
        if (invalidName(name) != null) continue;
        try {
          Snapshot s = load(workdir, name);
          all.add(new Snapshot(s.name(), s.savedAt(), s.sourceConversation(), List.of(), s.settings()));
        } catch (IOException e) {
          // a half-written or foreign directory is not a snapshot
        }
      }
    }
    all.sort(Comparator.comparing(Snapshot::name));
    return all;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        Files.createDirectories(to.resolve(from.relativize(dir).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        // Symlinks could point outside the workspace: only regular files are copied.
        if (attrs.isRegularFile()) {
          Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) return;
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // leftovers of a failed save are harmless: names starting with '.' are never listed
    }
  }

  /** The /snaplist reply. */
  static String describe(Path workdir) {
    try {
      List<Snapshot> all = NamedSnapshots.list(workdir);
      if (all.isEmpty()) return "There are no saved snapshots yet. Use `/snapsave <name>` first.";
      StringBuilder sb = new StringBuilder("Saved global snapshots:");
      for (Snapshot s : all) {
        sb.append("\n- `").append(s.name()).append("` (").append(s.savedAt()).append(", from `")
            .append(s.sourceConversation()).append("`)");
      }
      return sb.append("\n\nSend `/snapload <name>` to load one.").toString();
    } catch (Exception e) {
      return "Could not list snapshots: " + e.getMessage();
    }
  }
}
