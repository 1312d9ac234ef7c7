package partyclaw.tools.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import partyclaw.core.json.Json;
import partyclaw.core.workdir.Workdir;
import partyclaw.core.workspace.WorkspaceRegistry;
import partyclaw.testkit.ManualClock;
import partyclaw.tools.testing.TestToolContext;

/** A workdir with a registry on a hand-moved clock, workspaces owned by two conversations, and a tool context. */
final class WorkspaceFixture {
  static final String ME = "telegram:100";
  static final String OTHER = "telegram:200";
  static final String CURRENT = "c0ffee00-0000-4000-8000-000000000000";
  static final String A = "aaaaaaaa-1111-4000-8000-000000000001";
  static final String B = "bbbbbbbb-2222-4000-8000-000000000002";
  static final String THEIRS = "dddddddd-4444-4000-8000-000000000004";
  static final Instant T0 = Instant.parse("2024-06-01T08:00:00Z");

  final Workdir workdir;
  final ManualClock clock = new ManualClock(T0);
  final WorkspaceRegistry registry;

  WorkspaceFixture(Path root) {
    workdir = new Workdir(root);
    registry = WorkspaceRegistry.open(workdir, clock);
  }

  /** Creates {@code workspaces/<id>/files/} and its record; returns the files root. */
  Path workspace(String id, String owner) {
    Path files = workdir.workspaceFiles(id);
    try {
      Files.createDirectories(files);
      registry.touch(id, owner);
      return files.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The calls come from {@link #ME}, working in {@link #CURRENT}. */
  TestToolContext context() {
    Path current = workspace(CURRENT, ME);
    return TestToolContext.on(current).withWorkdir(workdir.root()).withConversationId(ME);
  }

  Function<Workdir, WorkspaceRegistry> registries() {
    return w -> registry;
  }

  static Path write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteTree(Path p) {
    try {
      TreeDelete.delete(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Names in a directory, sorted. */
  static List<String> names(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String text) {
    try {
      return Json.parse(text);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  /** The whole error result the model sees. */
  static void assertError(String tool, String message, JsonNode result) {
    assertEquals(Json.object().put("error", message).put("tool", tool), result);
  }

}
