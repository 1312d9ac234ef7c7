package partyclaw.actors.conversation;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import partyclaw.actors.outbox.ReplyOption;
import partyclaw.core.workdir.Workdir;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import partyclaw.actors.conversation.ConversationState.Settings;
import partyclaw.core.json.Json;
import partyclaw.core.transcript.ChatMessage;

/**
 * Named snapshots ({@code /snapsave}, {@code /snapload}, {@code /snaplist}) of one conversation, under
 * {@code <workdir>/snapshots/<encoded conversation id>/<name>/}: the transcript and settings in {@code snapshot.json},
 * plus a copy of the workspace files. The reference keeps them global, so any chat could read another's transcript
 * and files; here a conversation sees only its own, and only an operator names another conversation explicitly.
 * Blocking file I/O: the tasks run on the executor they are given. Names are validated (the reference deletes the
 * workdir for {@code /snapsave ..}); files are written to a temporary directory and renamed into place.
 */
final class NamedSnapshots {
  private static final String MEMORY = "conversation_memory";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  record Snapshot(String name, Instant savedAt, String sourceConversation, List<ChatMessage> transcript,
      Settings settings) {}

  /** A snapshot read back, with the fresh workspace its files were copied into. */
  record Loaded(Snapshot snapshot, String workspaceId) {}

  private NamedSnapshots() {}

  static CompletionStage<Instant> saveAsync(Path workdir, Snapshot snapshot, Path workspace, Executor blocking) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        save(workdir, snapshot, workspace);
        return snapshot.savedAt();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, blocking);
  }

  /**
   * Reads the snapshot of {@code fromConversation}, copies its files into the fresh workspace {@code target} and its
   * conversation memory into {@code intoConversation}'s (the memory it had is kept aside, not deleted).
   */
  static CompletionStage<Loaded> loadAsync(Path workdir, String fromConversation, String name, String workspaceId,
      Path target, String intoConversation, Executor blocking) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        Snapshot snapshot = load(workdir, fromConversation, name);
        restoreWorkspace(workdir, fromConversation, name, target);
        restoreMemory(workdir, fromConversation, name, intoConversation);
        return new Loaded(snapshot, workspaceId);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, blocking);
  }

  /** The /snaplist reply and its choices (one per snapshot). */
  record Listing(String text, List<ReplyOption> options) {}

  /** The /snaplist reply: this conversation's snapshots, or every conversation's. */
  static CompletionStage<Listing> describeAsync(Path workdir, String conversationId, boolean all, Texts t,
      Executor blocking) {
    return CompletableFuture.supplyAsync(() -> describe(workdir, conversationId, all, t), blocking);
  }

  /** The directory of a conversation's snapshots. */
  static Path root(Path workdir, String conversationId) {
    return new Workdir(workdir).snapshots(conversationId);
  }

  /** Null when valid, else why not. */
  static String invalidName(String name) {
    if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
      return "a snapshot name is 1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit";
    }
    return null;
  }

  static void save(Path workdir, Snapshot snapshot, Path workspace) throws IOException {
    Path root = Files.createDirectories(root(workdir, snapshot.sourceConversation()));
    Path staging = Files.createTempDirectory(root, ".saving-" + snapshot.name() + "-");
    try {
      Files.writeString(staging.resolve("snapshot.json"), Json.write(snapshot));
      if (Files.isDirectory(workspace)) copyTree(workspace, staging.resolve("workspace"));
      Path memory = new Workdir(workdir).conversationMemory(snapshot.sourceConversation());
      if (Files.isDirectory(memory)) copyTree(memory, staging.resolve(MEMORY));
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

  static Snapshot load(Path workdir, String conversationId, String name) throws IOException {
    Path file = root(workdir, conversationId).resolve(name).resolve("snapshot.json");
    if (!Files.isRegularFile(file)) {
      throw new IOException("there is no snapshot named " + name + " of conversation " + conversationId
          + " (see /snaplist)");
    }
    return Json.MAPPER.readValue(Files.readString(file), new TypeReference<Snapshot>() {});
  }

  /** Copies the snapshot's workspace files into {@code target} (a fresh workspace). */
  static void restoreWorkspace(Path workdir, String conversationId, String name, Path target) throws IOException {
    Files.createDirectories(target);
    Path saved = root(workdir, conversationId).resolve(name).resolve("workspace");
    if (Files.isDirectory(saved)) copyTree(saved, target);
  }

  /** Replaces the conversation's layered memory with the snapshot's; the memory it had moves aside. */
  static void restoreMemory(Path workdir, String fromConversation, String name, String intoConversation)
      throws IOException {
    Path saved = root(workdir, fromConversation).resolve(name).resolve(MEMORY);
    if (!Files.isDirectory(saved)) return;
    Path memory = new Workdir(workdir).conversationMemory(intoConversation);
    Files.createDirectories(memory.getParent());
    if (Files.exists(memory)) {
      Files.move(memory, memory.resolveSibling(MEMORY + ".before-snapload-" + System.currentTimeMillis()));
    }
    Path staging = memory.resolveSibling("." + MEMORY + ".loading-" + System.nanoTime());
    copyTree(saved, staging);
    Files.move(staging, memory, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The snapshots of one conversation, by name, without their transcripts. */
  static List<Snapshot> list(Path workdir, String conversationId) throws IOException {
    return listIn(root(workdir, conversationId));
  }

  /** Every conversation's snapshots, by conversation then name. */
  static List<Snapshot> listAll(Path workdir) throws IOException {
    Path root = workdir.resolve("snapshots");
    if (!Files.isDirectory(root)) return List.of();
    List<Snapshot> all = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) all.addAll(listIn(dir));
    }
    all.sort(Comparator.comparing(Snapshot::sourceConversation).thenComparing(Snapshot::name));
    return all;
  }

  private static List<Snapshot> listIn(Path conversationRoot) throws IOException {
    if (!Files.isDirectory(conversationRoot)) return List.of();
    List<Snapshot> all = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(conversationRoot)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        if (invalidName(dir.getFileName().toString()) != null) continue;
        try {
          Snapshot s = Json.MAPPER.readValue(Files.readString(dir.resolve("snapshot.json")),
              new TypeReference<Snapshot>() {});
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

  private static Listing describe(Path workdir, String conversationId, boolean all, Texts t) {
    try {
      List<Snapshot> found = all ? listAll(workdir) : list(workdir, conversationId);
      if (found.isEmpty()) return new Listing(t.get("snapshot.none"), List.of());
      List<ReplyOption> options = found.stream().map(s -> new ReplyOption(all ? s.name() + " (" + s.sourceConversation() + ")" : s.name(),
          "/snapload " + s.name() + (all ? " from " + s.sourceConversation() : ""))).toList();
      StringBuilder sb = new StringBuilder(t.get(all ? "snapshot.listHeaderAll" : "snapshot.listHeader"));
      for (Snapshot s : found) {
        sb.append("\n- `").append(s.name()).append("` (").append(s.savedAt());
        if (all) sb.append(", from `").append(s.sourceConversation()).append('`');
        sb.append(')');
      }
      String text = sb.append("\n\n").append(t.get(all ? "snapshot.listFooterAll" : "snapshot.listFooter")).toString();
      return new Listing(text, options);
    } catch (IOException | RuntimeException e) {
      return new Listing(t.get("snapshot.listFailed", String.valueOf(e.getMessage())), List.of());
    }
  }
}
