package partyclaw.core.memory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import partyclaw.core.json.Json;
import partyclaw.core.memory.LayeredSummary.MemoryHint;
import partyclaw.core.util.AtomicFiles;

/**
 * {@code MEMORY.json} (every memory group, unbounded) and {@code memory_summary.json} (the recent slice of
 * it), updated after each rollout. {@code memory_summary.json} is derived entirely from {@code MEMORY.json}
 * and the rollout directories, so it is never read back here: a torn copy is simply replaced.
 */
final class MemoryIndex {
  static final String MEMORY = "MEMORY.json";
  static final String SUMMARY = "memory_summary.json";
  static final int RECENT = 12;
  static final int SUMMARY_PREVIEW = 200;
  /** Hints without a group name still carry conclusions worth keeping; they are filed here. */
  static final String DEFAULT_GROUP = "general";
  private static final Logger log = LoggerFactory.getLogger(MemoryIndex.class);
  private static final DateTimeFormatter SET_ASIDE_TIME =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

  private final Path root;
  private final RolloutFiles rollouts;

  MemoryIndex(Path root, RolloutFiles rollouts) {
    this.root = root;
    this.rollouts = rollouts;
  }

  /**
   * Files the rollout's hints under their groups. Idempotent for one rollout id: conclusions, keywords and the
   * rollout id are only added when missing, so a retried compaction does not merge twice.
   */
  void merge(String rolloutId, LayeredSummary summary) throws IOException {
    Files.createDirectories(root);
    List<MemoryGroup> groups = loadForUpdate();
    List<MemoryGroup> touched = new ArrayList<>();
    for (MemoryHint hint : summary.memoryHints()) {
      MemoryGroup g = findOrAdd(groups, hint.group());
      for (String c : hint.conclusions()) addIfMissing(g.conclusions(), c, false);
      for (String k : summary.keywords()) addIfMissing(g.keywords(), k, true);
      if (!g.rollouts().contains(rolloutId)) g.rollouts().add(rolloutId);
      if (!touched.contains(g)) touched.add(g);
    }
    ObjectNode memory = Json.object();
    ArrayNode arr = memory.putArray("groups");
    for (MemoryGroup g : groups) arr.add(g.toJson());
    AtomicFiles.write(root.resolve(MEMORY), Json.pretty(memory).getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(root.resolve(SUMMARY),
        Json.pretty(recentSummary(groups, touched)).getBytes(StandardCharsets.UTF_8));
  }

  /** The current groups; a file that cannot be read as MEMORY.json is set aside so the new rollout still lands. */
  private List<MemoryGroup> loadForUpdate() throws IOException {
    Path file = root.resolve(MEMORY);
    if (!Files.exists(file)) return new ArrayList<>();
    try {
      return MemoryGroup.parseAll(Json.parse(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (IOException | IllegalArgumentException e) {
      Path aside = setAside(file);
      String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      log.warn("{} is unreadable ({}); kept as {} and starting a fresh memory", file, why, aside.getFileName());
      return new ArrayList<>();
    }
  }

  private static Path setAside(Path file) throws IOException {
    String base = file.getFileName() + ".corrupt-" + SET_ASIDE_TIME.format(Instant.now());
    for (int n = 1; ; n++) {
      Path aside = file.resolveSibling(n == 1 ? base : base + "-" + n);
      try {
        Files.move(file, aside);
        return aside;
      } catch (FileAlreadyExistsException e) {
        // two corruptions within one millisecond: try the next suffix
      }
    }
  }

  private static MemoryGroup findOrAdd(List<MemoryGroup> groups, String rawName) {
    String name = rawName == null || rawName.isBlank() ? DEFAULT_GROUP : rawName.trim();
    for (MemoryGroup g : groups) {
      if (g.group().trim().equalsIgnoreCase(name)) return g;
    }
    MemoryGroup g = new MemoryGroup(name, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    groups.add(g);
    return g;
  }

  private static void addIfMissing(List<String> list, String value, boolean ignoreCase) {
    if (value == null || value.isBlank()) return;
    String v = value.trim();
    for (String have : list) {
      if (ignoreCase ? have.equalsIgnoreCase(v) : have.equals(v)) return;
    }
    list.add(v);
  }

  /** Groups this rollout touched first, then the others by their newest rollout; rollouts newest first. */
  private ObjectNode recentSummary(List<MemoryGroup> groups, List<MemoryGroup> touched) throws IOException {
    List<MemoryGroup> rest = new ArrayList<>(groups);
    rest.removeAll(touched);
    rest.sort(Comparator.comparing(MemoryGroup::newestRollout).reversed());
    List<MemoryGroup> ordered = new ArrayList<>(touched);
    ordered.addAll(rest);

    ObjectNode o = Json.object();
    ArrayNode recentGroups = o.putArray("recent_groups");
    ordered.stream().limit(RECENT).forEach(g -> recentGroups.add(g.group()));
    ArrayNode recentRollouts = o.putArray("recent_rollouts");
    for (String id : rollouts.idsNewestFirst().stream().limit(RECENT).toList()) {
      recentRollouts.add(rolloutEntry(id));
    }
    o.put("updated_at", Instant.now().toString());
    return o;
  }

  private ObjectNode rolloutEntry(String id) {
    ObjectNode e = Json.object();
    e.put("rollout_id", id);
    JsonNode s = rollouts.summary(id);
    if (s == null) return e;
    e.put("created_at", s.path("created_at").asText(""));
    e.put("summary_preview", Previews.head(s.path("summary").asText(""), SUMMARY_PREVIEW));
    e.set("keywords", s.path("keywords").isArray() ? s.get("keywords").deepCopy() : Json.MAPPER.createArrayNode());
    return e;
  }

  /** One MEMORY.json group; lists are mutable while a merge runs. */
  record MemoryGroup(String group, List<String> conclusions, List<String> keywords, List<String> rollouts) {

    String newestRollout() {
      return rollouts.stream().max(Comparator.naturalOrder()).orElse("");
    }

    ObjectNode toJson() {
      ObjectNode o = Json.object();
      o.put("group", group);
      conclusions.forEach(o.putArray("conclusions")::add);
      keywords.forEach(o.putArray("keywords")::add);
      rollouts.forEach(o.putArray("rollouts")::add);
      return o;
    }

    /** Strict: anything that is not the documented shape is a corrupt file, kept aside rather than half-merged. */
    static List<MemoryGroup> parseAll(JsonNode root) {
      JsonNode arr = root == null ? null : root.get("groups");
      if (root == null || !root.isObject() || arr == null || !arr.isArray()) {
        throw new IllegalArgumentException("expected {\"groups\":[...]}");
      }
      List<MemoryGroup> groups = new ArrayList<>();
      for (JsonNode g : arr) {
        if (!g.isObject() || !g.path("group").isTextual() || g.get("group").asText().isBlank()) {
          throw new IllegalArgumentException("a group without a name");
        }
        groups.add(new MemoryGroup(g.get("group").asText(), strings(g, "conclusions"), strings(g, "keywords"),
            strings(g, "rollouts")));
      }
      return groups;
    }

    private static List<String> strings(JsonNode g, String key) {
      List<String> out = new ArrayList<>();
      JsonNode arr = g.get(key);
      if (arr == null || arr.isNull()) return out;
      if (!arr.isArray()) throw new IllegalArgumentException(key + " is not an array");
      for (JsonNode v : arr) {
        if (!v.isTextual()) throw new IllegalArgumentException(key + " holds a non-string");
        out.add(v.asText());
      }
      return out;
    }
  }
}
