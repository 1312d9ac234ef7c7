package partyclaw.core.memory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import partyclaw.core.json.Json;

/** Where rollouts live under {@code rollouts/} and how their files are read back. */
final class RolloutFiles {
  static final String TRANSCRIPT = "rollout_transcript.jsonl";
  static final String SUMMARY = "rollout_summary.json";
  private static final Logger log = LoggerFactory.getLogger(RolloutFiles.class);

  private final Path dir;

  RolloutFiles(Path memoryRoot) {
    this.dir = memoryRoot.resolve("rollouts");
  }

  Path dir() {
    return dir;
  }

  /** Only ever called with a validated id, so the result stays inside {@code rollouts/}. */
  Path rolloutDir(String rolloutId) {
    return dir.resolve(rolloutId);
  }

  boolean exists(String rolloutId) {
    return Files.isDirectory(rolloutDir(rolloutId));
  }

  /**
   * Every complete rollout, newest first. Ids start with their UTC second, so the string order is the time
   * order; temp and set-aside directories never match the id pattern and are not listed.
   */
  List<String> idsNewestFirst() throws IOException {
    List<String> ids = new ArrayList<>();
    if (!Files.isDirectory(dir)) return ids;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (ConversationMemory.isValidRolloutId(name) && Files.isDirectory(p)) ids.add(name);
      }
    }
    ids.sort(Comparator.reverseOrder());
    return ids;
  }

  /** The events in file order; a line that does not parse is skipped (the file is written atomically, so only a hand edit breaks one). */
  List<JsonNode> events(String rolloutId) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(rolloutDir(rolloutId).resolve(TRANSCRIPT), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    List<JsonNode> events = new ArrayList<>(lines.size());
    int bad = 0;
    for (String line : lines) {
      if (line.isBlank()) continue;
      try {
        JsonNode e = Json.parse(line);
        if (e.isObject()) {
          events.add(e);
        } else {
          bad++;
        }
      } catch (JsonProcessingException ex) {
        bad++;
      }
    }
    if (bad > 0) log.warn("rollout {}: skipped {} unreadable line(s) of {}", rolloutId, bad, TRANSCRIPT);
    return events;
  }

  /** The rollout's summary file, or null when it is missing or unreadable. */
  JsonNode summary(String rolloutId) {
    Path file = rolloutDir(rolloutId).resolve(SUMMARY);
    try {
      JsonNode node = Json.MAPPER.readTree(file.toFile());
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      if (Files.exists(file)) log.warn("rollout {}: unreadable {}: {}", rolloutId, SUMMARY, why);
      return null;
    }
  }
}
