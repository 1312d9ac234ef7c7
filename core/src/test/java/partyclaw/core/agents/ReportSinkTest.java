package partyclaw.core.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import partyclaw.core.json.Json;

class ReportSinkTest {
  static final String SELF = "tg:1";

  static ReportSink parse(String text, boolean operator) {
    return ReportSink.parse(TextNode.valueOf(text), SELF, operator);
  }

  static String error(JsonNode sink, boolean operator) {
    return assertThrows(IllegalArgumentException.class, () -> ReportSink.parse(sink, SELF, operator)).getMessage();
  }

  @Test
  void directIsTheDefault() {
    assertEquals(ReportSink.direct(SELF), ReportSink.parse(null, SELF, false));
    assertEquals(ReportSink.direct(SELF), parse("direct", false));
    assertEquals(ReportSink.direct(SELF), parse("", false));
    assertEquals("current_foreground_conversation", ReportSink.direct(SELF).describe(SELF));
  }

  @Test
  void broadcastAndMultiNormaliseTheirTargets() {
    ReportSink news = parse("broadcast:news", false);
    assertEquals(List.of("news"), news.topics());
    assertEquals(List.of(), news.conversations());
    assertEquals("broadcast:topic:news", news.describe(SELF));
    ReportSink multi = parse("multi:this, topic:ops ,topic:ops,topic:dev", false);
    assertEquals(List.of("conversation:tg:1", "topic:ops", "topic:dev"), multi.targets(), "duplicates once");
    assertEquals(List.of(SELF), multi.conversations());
    assertEquals(List.of("ops", "dev"), multi.topics());
    ReportSink object = ReportSink.parse(Json.object().put("kind", "multi").set("targets",
        Json.array().add("this").add("topic:x")), SELF, false);
    assertEquals(List.of("conversation:tg:1", "topic:x"), object.targets());
  }

  @Test
  void onlyOperatorsNameOtherConversations() {
    assertEquals("only an operator conversation may send reports to another conversation directly; ask that"
        + " conversation to `/subscribe <topic>` and use topic:<topic>", error(TextNode.valueOf("multi:conversation:tg:2"), false));
    assertEquals(List.of("tg:2"), parse("multi:conversation:tg:2", true).conversations());
    assertEquals(List.of(SELF), parse("multi:conversation:tg:1", false).conversations(), "itself is always allowed");
  }

  @Test
  void badSinksAreClearErrors() {
    assertEquals("sink must be \"direct\", \"broadcast:<topic>\" or \"multi:<target>,<target>...\"; got \"everyone\"",
        error(TextNode.valueOf("everyone"), false));
    assertEquals("invalid topic 'a b': use 1-64 letters, digits, '_', '.' or '-' (starting with a letter or digit)",
        error(TextNode.valueOf("broadcast:a b"), false));
    assertEquals("a multi sink needs a non-empty array 'targets'", error(TextNode.valueOf("multi:"), false));
    assertEquals("invalid sink target 'nowhere': use \"this\", \"topic:<name>\" or \"conversation:<id>\"",
        error(TextNode.valueOf("multi:nowhere"), false));
    assertEquals("unknown sink kind 'fanout': use direct, broadcast or multi",
        error(Json.object().put("kind", "fanout"), false));
    assertEquals("invalid conversation target 'conversation:x': use conversation:<channel>:<chat>",
        error(TextNode.valueOf("multi:conversation:x"), true));
    StringBuilder many = new StringBuilder("multi:");
    for (int i = 0; i < 17; i++) many.append("topic:t").append(i).append(',');
    assertEquals("a multi sink may list at most 16 targets, got 17", error(TextNode.valueOf(many.toString()), false));
  }
}
