package partyclaw.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Checks shared by the end-to-end tests that cut a turn in the middle of a tool call (a crash, a dead node). */
final class ToolTurnChecks {
  private ToolTurnChecks() {}

  /** Each call id of the assistant messages once, and exactly one tool message answering each, none extra. */
  static void assertEveryCallHasExactlyOneResult(List<JsonNode> messages) {
    List<String> calls = callIds(messages);
    List<String> results = new ArrayList<>();
    for (JsonNode m : messages) {
      if (m.path("role").asText().equals("tool")) results.add(m.get("tool_call_id").asText());
    }
    for (String call : calls) {
      assertEquals(1, calls.stream().filter(call::equals).count(), "call id " + call + " is unique: " + calls);
      assertEquals(1, results.stream().filter(call::equals).count(), "one result for " + call + ": " + results);
    }
    assertEquals(calls.size(), results.size(), "no result without its call: calls " + calls + ", results " + results);
  }

  /** The tool call ids of the assistant messages, in order. */
  static List<String> callIds(List<JsonNode> messages) {
    List<String> calls = new ArrayList<>();
    for (JsonNode m : messages) m.path("tool_calls").forEach(c -> calls.add(c.get("id").asText()));
    return calls;
  }

  /** Waits (bounded) until a file of that name somewhere under {@code root} holds {@code line}. */
  static void awaitLine(Path root, String name, String line) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      Optional<Path> file = find(root, name);
      if (file.isPresent() && Files.readAllLines(file.get()).contains(line)) return;
      if (System.nanoTime() > deadline) throw new AssertionError(name + " with line " + line + " not within 30 s");
      Thread.sleep(50);
    }
  }

  private static Optional<Path> find(Path root, String name) throws IOException {
    if (!Files.isDirectory(root)) return Optional.empty();
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(p -> p.getFileName().toString().equals(name)).findFirst();
    } catch (java.io.UncheckedIOException e) {
      return Optional.empty(); // a directory vanished during the walk: look again
    }
  }
}
