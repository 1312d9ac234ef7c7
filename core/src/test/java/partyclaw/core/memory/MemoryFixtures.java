package partyclaw.core.memory;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import partyclaw.core.json.Json;
import partyclaw.core.memory.LayeredSummary.ImportantRefs;
import partyclaw.core.memory.LayeredSummary.MemoryHint;
import partyclaw.core.transcript.ChatMessage;

/** Builds rollouts and reads the memory files back for the memory tests. */
final class MemoryFixtures {
  static final String CONVERSATION = "telegram:42";

  private MemoryFixtures() {}

  static LayeredSummary summary(String newSummary, List<String> keywords, MemoryHint... hints) {
    return new LayeredSummary("older things", newSummary, keywords, ImportantRefs.EMPTY, List.of(hints), "carry on");
  }

  static MemoryHint hint(String group, String... conclusions) {
    return new MemoryHint(group, List.of(conclusions));
  }

  static Rollout rollout(Instant at, LayeredSummary summary, ChatMessage... messages) {
    return new Rollout(CONVERSATION, at, summary, List.of(messages));
  }

  static JsonNode json(Path file) throws IOException {
    return Json.parse(Files.readString(file, StandardCharsets.UTF_8));
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.isTextual() ? n.asText() : n.toString()));
    return out;
  }

  static List<String> fieldNames(JsonNode object) {
    List<String> out = new ArrayList<>();
    object.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
