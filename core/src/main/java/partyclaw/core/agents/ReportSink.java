package partyclaw.core.agents;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a background agent's report goes (runtime.md §2.4, routing that the reference declares but never uses):
 * {@code direct} to one conversation, {@code broadcast} to every conversation subscribed to a topic, {@code multi}
 * to several of these. Normalised to {@code targets}, each {@code conversation:<id>} or {@code topic:<name>}.
 * Consent: a conversation receives other conversations' reports only through a topic it subscribed to; naming
 * another conversation directly is for operators ({@link #parse}).
 */
public record ReportSink(String kind, List<String> targets) {
  public static final String DIRECT = "direct";
  public static final String BROADCAST = "broadcast";
  public static final String MULTI = "multi";
  static final String CONVERSATION = "conversation:";
  static final String TOPIC = "topic:";
  static final int MAX_TARGETS = 16;
  private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  public ReportSink {
    Objects.requireNonNull(kind, "kind");
    targets = List.copyOf(targets);
    if (targets.isEmpty()) throw new IllegalArgumentException("a report sink needs at least one target");
  }

  /** The conversation itself: the default. */
  public static ReportSink direct(String conversationId) {
    return new ReportSink(DIRECT, List.of(CONVERSATION + conversationId));
  }

  public static ReportSink broadcast(String topic) {
    return new ReportSink(BROADCAST, List.of(TOPIC + checkTopic(topic)));
  }

  /** A topic name as users type it in {@code /subscribe}: letters, digits, {@code _ . -}, at most 64. */
  public static String checkTopic(String topic) {
    String t = topic == null ? "" : topic.strip();
    if (!TOPIC_NAME.matcher(t).matches()) {
      throw new IllegalArgumentException("invalid topic '" + t + "': use 1-64 letters, digits, '_', '.' or '-'"
          + " (starting with a letter or digit)");
    }
    return t;
  }

  /**
   * The tool's {@code sink} argument: absent/null or {@code "direct"} = this conversation; {@code "broadcast:<topic>"};
   * {@code "multi:<target>,<target>..."}; or an object {@code {kind: direct|broadcast|multi, topic, conversation, targets:[...]}} where each multi target is
   * {@code "this"}, {@code "topic:<name>"} or {@code "conversation:<id>"}. Another conversation may be named only
   * when {@code operator}.
   */
  public static ReportSink parse(JsonNode sink, String self, boolean operator) {
    if (sink == null || sink.isNull() || sink.isMissingNode()) return direct(self);
    if (sink.isTextual()) {
      String s = sink.asText().strip();
      if (s.isEmpty() || s.equals(DIRECT) || s.equals("this")) return direct(self);
      if (s.startsWith(BROADCAST + ":")) return broadcast(s.substring(BROADCAST.length() + 1));
      if (s.startsWith(MULTI + ":")) {
        com.fasterxml.jackson.databind.node.ArrayNode list = partyclaw.core.json.Json.array();
        for (String t : s.substring(MULTI.length() + 1).split(",")) {
          if (!t.isBlank()) list.add(t.strip());
        }
        return multi(list, self, operator);
      }
      throw new IllegalArgumentException("sink must be \"direct\", \"broadcast:<topic>\" or"
          + " \"multi:<target>,<target>...\"; got \"" + s + "\"");
    }
    if (!sink.isObject()) throw new IllegalArgumentException("sink must be a string or an object");
    String kind = sink.path("kind").asText(DIRECT).strip();
    return switch (kind) {
      case DIRECT -> sink.hasNonNull("conversation")
          ? new ReportSink(DIRECT, List.of(target("conversation:" + sink.get("conversation").asText(), self, operator)))
          : direct(self);
      case BROADCAST -> broadcast(sink.path("topic").asText(null));
      case MULTI -> multi(sink.path("targets"), self, operator);
      default -> throw new IllegalArgumentException("unknown sink kind '" + kind + "': use direct, broadcast or multi");
    };
  }

  private static ReportSink multi(JsonNode list, String self, boolean operator) {
    if (!list.isArray() || list.isEmpty()) {
      throw new IllegalArgumentException("a multi sink needs a non-empty array 'targets'");
    }
    if (list.size() > MAX_TARGETS) {
      throw new IllegalArgumentException("a multi sink may list at most " + MAX_TARGETS + " targets, got " + list.size());
    }
    Set<String> targets = new LinkedHashSet<>();
    for (JsonNode t : list) {
      if (!t.isTextual()) throw new IllegalArgumentException("multi sink targets must be strings");
      targets.add(target(t.asText(), self, operator));
    }
    return new ReportSink(MULTI, new ArrayList<>(targets));
  }

  private static String target(String raw, String self, boolean operator) {
    String t = raw.strip();
    if (t.equals("this") || t.equals(DIRECT)) return CONVERSATION + self;
    if (t.startsWith(TOPIC)) return TOPIC + checkTopic(t.substring(TOPIC.length()));
    if (t.startsWith(CONVERSATION)) {
      String id = t.substring(CONVERSATION.length()).strip();
      if (id.isEmpty() || !id.contains(":")) {
        throw new IllegalArgumentException("invalid conversation target '" + t + "': use conversation:<channel>:<chat>");
      }
      if (!id.equals(self) && !operator) {
        throw new IllegalArgumentException("only an operator conversation may send reports to another conversation"
            + " directly; ask that conversation to `/subscribe <topic>` and use topic:<topic>");
      }
      return CONVERSATION + id;
    }
    throw new IllegalArgumentException("invalid sink target '" + t + "': use \"this\", \"topic:<name>\" or"
        + " \"conversation:<id>\"");
  }

  /** The conversations named directly. */
  public List<String> conversations() {
    return targets.stream().filter(t -> t.startsWith(CONVERSATION)).map(t -> t.substring(CONVERSATION.length()))
        .toList();
  }

  /** The topics whose subscribers receive the report. */
  public List<String> topics() {
    return targets.stream().filter(t -> t.startsWith(TOPIC)).map(t -> t.substring(TOPIC.length())).toList();
  }

  /** How the tool's result and /status name it: {@code current_foreground_conversation} for the plain default. */
  public String describe(String self) {
    if (targets.equals(List.of(CONVERSATION + self))) return "current_foreground_conversation";
    return kind + ":" + String.join(",", targets);
  }
}
