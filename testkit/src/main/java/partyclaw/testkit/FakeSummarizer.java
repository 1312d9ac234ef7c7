package partyclaw.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers partyclaw's compaction requests the way a careful model would, so end-to-end tests can drive long
 * conversations: a layered-JSON summary whose {@code memory_hints} carry every {@code FACT:<word>} found in the
 * summarised text (group {@code facts}), and whose {@code new_summary} says how much it summarised. A compaction
 * request is recognised by its shape: no tools offered and {@code max_completion_tokens} set.
 */
public final class FakeSummarizer {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern FACT = Pattern.compile("FACT:[A-Za-z0-9_-]+");

  private FakeSummarizer() {}

  public static boolean isSummaryRequest(RecordedRequest r) {
    JsonNode tools = r.body().path("tools");
    return (tools.isMissingNode() || tools.isNull() || tools.isEmpty()) && r.body().hasNonNull("max_completion_tokens");
  }

  /** The summary of {@code r} as the model's reply. */
  public static Step summary(RecordedRequest r) {
    StringBuilder all = new StringBuilder();
    for (JsonNode m : r.messages()) {
      if (!"system".equals(m.path("role").asText())) all.append(RecordedRequest.contentText(m.path("content"))).append('\n');
    }
    Set<String> facts = new LinkedHashSet<>();
    Matcher matcher = FACT.matcher(all);
    while (matcher.find()) facts.add(matcher.group());
    ObjectNode json = MAPPER.createObjectNode();
    json.put("old_summary", "- earlier context folded in");
    json.put("new_summary", "- summarised " + all.length() + " characters; facts: " + String.join(", ", facts));
    json.putArray("keywords").add("fake-summary");
    ObjectNode refs = json.putObject("important_refs");
    for (String k : new String[] {"paths", "commands", "errors", "urls", "ids"}) refs.putArray(k);
    ArrayNode hints = json.putArray("memory_hints");
    if (!facts.isEmpty()) {
      ObjectNode hint = hints.addObject();
      hint.put("group", "facts");
      ArrayNode conclusions = hint.putArray("conclusions");
      facts.forEach(conclusions::add);
    }
    json.put("next_step", "- continue with the user's latest request");
    return Step.text(json.toString());
  }

  /** Summary requests get {@link #summary}; every other request goes to {@code otherwise}. */
  public static Function<RecordedRequest, Step> or(Function<RecordedRequest, Step> otherwise) {
    return r -> isSummaryRequest(r) ? summary(r) : otherwise.apply(r);
  }
}
