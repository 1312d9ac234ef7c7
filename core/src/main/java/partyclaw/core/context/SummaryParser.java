package partyclaw.core.context;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import partyclaw.core.json.Json;
import partyclaw.core.memory.LayeredSummary;
import partyclaw.core.memory.LayeredSummary.ImportantRefs;
import partyclaw.core.memory.LayeredSummary.MemoryHint;

/**
 * Reads the summariser's answer. Models wrap JSON in fences or prose and write a string where a list was asked for;
 * all of that is accepted. What cannot be used is a {@link CompactionException} with one line saying why.
 */
public final class SummaryParser {
  /** A hint with conclusions but no group name is filed here rather than dropped. */
  static final String DEFAULT_GROUP = "general";
  private static final int MAX_OBJECT_STARTS_TRIED = 64;
  private static final int EXCERPT_CHARS = 80;

  private SummaryParser() {}

  public static LayeredSummary parseLayered(String modelText) {
    if (modelText == null || modelText.isBlank()) throw new CompactionException("the summary is empty");
    JsonNode json = firstObject(modelText.strip());
    JsonNode newSummary = json.get("new_summary");
    if (newSummary == null || text(newSummary).isBlank()) {
      throw new CompactionException("the summary JSON has no new_summary");
    }
    JsonNode refs = json.path("important_refs");
    return new LayeredSummary(
        text(json.get("old_summary")),
        text(newSummary),
        strings(json.get("keywords")),
        new ImportantRefs(strings(refs.get("paths")), strings(refs.get("commands")), strings(refs.get("errors")),
            strings(refs.get("urls")), strings(refs.get("ids"))),
        hints(json.get("memory_hints")),
        text(json.get("next_step")));
  }

  public static String parseClaudeCode(String modelText) {
    String text = modelText == null ? "" : modelText.strip();
    if (text.isEmpty()) throw new CompactionException("the summary is empty");
    return text;
  }

  /** The first '{' from which a whole JSON object parses; text after it (prose, a closing fence) is ignored. */
  private static JsonNode firstObject(String text) {
    String firstError = null;
    int tried = 0;
    for (int i = text.indexOf('{'); i >= 0 && tried < MAX_OBJECT_STARTS_TRIED; i = text.indexOf('{', i + 1)) {
      tried++;
      try {
        JsonNode node = Json.MAPPER.readTree(text.substring(i));
        if (node != null && node.isObject()) return node;
      } catch (JsonProcessingException e) {
        if (firstError == null) firstError = oneLine(e.getOriginalMessage());
      }
    }
    throw new CompactionException("the summary is not JSON: "
        + (firstError != null ? firstError : "no object in \"" + oneLine(excerpt(text)) + "\""));
  }

  private static String text(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) return "";
    if (node.isArray()) {
      List<String> lines = strings(node);
      return String.join("\n", lines);
    }
    return node.isValueNode() ? node.asText().strip() : node.toString();
  }

  /** An array of strings; a lone string is one element; blanks are dropped. */
  private static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node == null || node.isNull() || node.isMissingNode()) return out;
    if (node.isArray()) {
      for (JsonNode element : node) {
        String value = text(element);
        if (!value.isBlank()) out.add(value);
      }
    } else {
      String value = text(node);
      if (!value.isBlank()) out.add(value);
    }
    return out;
  }

  private static List<MemoryHint> hints(JsonNode node) {
    List<MemoryHint> out = new ArrayList<>();
    if (node == null || node.isNull() || node.isMissingNode()) return out;
    Iterable<JsonNode> entries = node.isArray() ? node : List.of(node);
    for (JsonNode entry : entries) {
      if (!entry.isObject()) continue;
      List<String> conclusions = strings(entry.get("conclusions"));
      if (conclusions.isEmpty()) continue;
      String group = text(entry.get("group"));
      out.add(new MemoryHint(group.isBlank() ? DEFAULT_GROUP : group, conclusions));
    }
    return out;
  }

  private static String excerpt(String text) {
    return text.length() <= EXCERPT_CHARS ? text : TextCuts.head(text, EXCERPT_CHARS) + "…";
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s+", " ").strip();
  }
}
