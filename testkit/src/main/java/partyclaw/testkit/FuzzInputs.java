package partyclaw.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Malformed inputs for the fuzz suites, all from one seeded {@link Random} so that a failure is reproduced by its
 * seed: Telegram updates (wrong types, missing fields, huge strings, unicode edge cases, bogus entities, unknown
 * kinds), model streams (cut SSE, invalid JSON chunks, tool-call fragments out of order, wrong indexes, missing ids,
 * huge arguments, invalid UTF-8) and config mutations (deleted keys, changed types, random values, broken syntax).
 * Every generator names what it made, so a report can say which kinds were tried.
 */
public final class FuzzInputs {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Strings that break naive text handling: control characters, joiners, direction marks, combining marks, astral characters. */
  private static final List<String> ODD_STRINGS = List.of("", " ", "\u0000", "\u0000\u0001\u001f", "\r\n\r\n",
      "\uFEFF", "\u200B\u200C\u200D", "\u202E\u202Dreversed", "e\u0301\u0301\u0301\u0301", "\uD83D\uDC68\u200D\uD83D\uDC69"
          + "\u200D\uD83D\uDC67", "\uD83C\uDFF3\uFE0F\u200D\uD83C\uDF08", "\uFFFF\uFFFE", "\uD800\uDC00", "𝕳𝖊𝖑𝖑𝖔",
      "<b>unclosed", "</i>", "&amp;&lt;&", "**_~`||", "[x](javascript:alert(1))", "%s%n%d{}", "${PATH}",
      "../../../../etc/passwd", "@partyclaw_test_bot", "@", "/", "//", "/start@other_bot", "\\", "\"'`");

  private static final List<String> COMMANDS = List.of("/help", "/status", "/new", "/model", "/agent", "/queue",
      "/snaplist", "/snapsave", "/snapload", "/compact", "/think", "/language", "/unknown_command", "/start", "/STATUS");

  private FuzzInputs() {}

  // ---- Telegram updates ----

  /** One malformed Telegram update (no {@code update_id}: the fake server assigns it) and what kind it is. */
  public record FuzzUpdate(String kind, ObjectNode update) {}

  /** A malformed update about chat {@code chatId} (a private chat with user {@code chatId}), or about no usable chat. */
  public static FuzzUpdate telegramUpdate(Random r, long chatId) {
    int kind = r.nextInt(12);
    ObjectNode update = MAPPER.createObjectNode();
    ObjectNode m = baseMessage(r, chatId);
    String name;
    switch (kind) {
      case 0 -> {
        name = "text of a wrong type";
        m.set("text", randomNonString(r));
      }
      case 1 -> {
        name = "chat missing or of a wrong type";
        if (r.nextBoolean()) m.remove("chat");
        else ((ObjectNode) m.get("chat")).set("id", r.nextBoolean() ? randomNonNumber(r) : NODES.numberNode(r.nextDouble() * 1e20));
      }
      case 2 -> {
        name = "sender missing or of a wrong type";
        if (r.nextBoolean()) m.remove("from");
        else m.set("from", r.nextBoolean() ? NODES.textNode("someone") : MAPPER.createObjectNode().put("id", "not a number"));
      }
      case 3 -> {
        name = "huge text";
        m.put("text", huge(r, 20_000 + r.nextInt(60_000)));
      }
      case 4 -> {
        name = "unicode edge cases";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1 + r.nextInt(6); i++) sb.append(pick(r, ODD_STRINGS));
        m.put("text", sb.toString());
        if (r.nextBoolean()) ((ObjectNode) m.get("from")).put("first_name", pick(r, ODD_STRINGS));
      }
      case 5 -> {
        name = "bogus entities";
        String text = r.nextBoolean() ? pick(r, COMMANDS) + " " + pick(r, ODD_STRINGS) : "hi " + pick(r, ODD_STRINGS);
        m.put("text", text);
        ArrayNode entities = MAPPER.createArrayNode();
        for (int i = 0; i < 1 + r.nextInt(4); i++) {
          ObjectNode e = entities.addObject();
          e.put("type", pick(r, List.of("bot_command", "mention", "text_mention", "url", "bold", "no_such_type", "")));
          e.set("offset", r.nextInt(3) == 0 ? randomNonNumber(r) : NODES.numberNode(r.nextInt(200) - 100));
          e.set("length", r.nextInt(3) == 0 ? randomNonNumber(r) : NODES.numberNode(r.nextInt(100_000) - 10));
          if (r.nextBoolean()) e.set("user", r.nextBoolean() ? NODES.textNode("x") : MAPPER.createObjectNode());
        }
        m.set("entities", r.nextInt(5) == 0 ? MAPPER.createObjectNode().put("type", "bot_command") : entities);
      }
      case 6 -> {
        name = "unknown or unhandled update kind";
        update.set(pick(r, List.of("edited_message", "channel_post", "edited_channel_post", "my_chat_member",
            "chat_member", "chat_join_request", "poll", "poll_answer", "message_reaction", "inline_query",
            "shipping_query", "business_message", "zz_future_kind")), m);
        return new FuzzUpdate(name, update);
      }
      case 7 -> {
        name = "malformed callback query";
        ObjectNode q = update.putObject("callback_query");
        q.set("id", r.nextBoolean() ? NODES.textNode("cb" + r.nextInt(1000)) : randomNonString(r));
        q.set("from", m.get("from"));
        if (r.nextBoolean()) q.set("message", r.nextBoolean() ? m : NODES.textNode("not a message"));
        q.set("data", r.nextBoolean() ? randomNonString(r) : NODES.textNode(pick(r, ODD_STRINGS)));
        return new FuzzUpdate(name, update);
      }
      case 8 -> {
        name = "bogus media";
        switch (r.nextInt(5)) {
          case 0 -> m.putArray("photo");
          case 1 -> m.putArray("photo").addObject().put("file_id", "no-such-file-" + r.nextInt(1000)).put("width", -1);
          case 2 -> m.putObject("document").put("file_name", pick(r, ODD_STRINGS)).put("file_size", Long.MAX_VALUE);
          case 3 -> m.set("voice", NODES.textNode("voice?"));
          default -> m.set("media_group_id", randomNonString(r));
        }
        if (r.nextBoolean()) m.set("caption", r.nextBoolean() ? randomNonString(r) : NODES.textNode(pick(r, ODD_STRINGS)));
      }
      case 9 -> {
        name = "bogus reply";
        m.put("text", "reply " + pick(r, ODD_STRINGS));
        m.set("reply_to_message", switch (r.nextInt(3)) {
          case 0 -> NODES.textNode("x");
          case 1 -> MAPPER.createObjectNode().put("message_id", -5);
          default -> MAPPER.createObjectNode().put("message_id", 1).set("from",
              MAPPER.createObjectNode().put("id", FakeTelegramServer.DEFAULT_BOT_ID).put("is_bot", true));
        });
      }
      case 10 -> {
        name = "odd chat type";
        ObjectNode chat = (ObjectNode) m.get("chat");
        chat.set("type", r.nextBoolean() ? NODES.textNode(pick(r, List.of("channel", "secret", "", "GROUP")))
            : randomNonString(r));
        chat.remove("first_name");
        m.put("text", "@" + FakeTelegramServer.DEFAULT_BOT_USERNAME + " " + pick(r, ODD_STRINGS));
      }
      default -> {
        name = "command with garbage arguments";
        m.put("text", pick(r, COMMANDS) + (r.nextBoolean() ? "@" + FakeTelegramServer.DEFAULT_BOT_USERNAME : "") + " "
            + pick(r, ODD_STRINGS) + " " + huge(r, r.nextInt(300)));
      }
    }
    if (r.nextInt(8) == 0) m.set("message_id", randomNonNumber(r));
    if (r.nextInt(8) == 0) m.set("date", randomNonNumber(r));
    update.set("message", m);
    return new FuzzUpdate(name, update);
  }

  private static ObjectNode baseMessage(Random r, long chatId) {
    ObjectNode m = MAPPER.createObjectNode();
    m.put("message_id", 1 + r.nextInt(1_000_000));
    m.put("date", System.currentTimeMillis() / 1000);
    m.putObject("chat").put("id", chatId).put("type", "private").put("first_name", "Fuzz" + chatId);
    m.putObject("from").put("id", chatId).put("is_bot", false).put("first_name", "Fuzz" + chatId);
    m.put("text", "fuzz " + r.nextInt(1000));
    return m;
  }

  // ---- model streams ----

  /** A malformed streamed model answer: its bytes, content type, whether the connection is cut after it, and its kinds. */
  public record FuzzStream(String kinds, byte[] body, String contentType, boolean abort) {
    public Step step() {
      return Step.rawStream(body, contentType, abort);
    }
  }

  /** Tool names a fuzzed stream may call: harmless ones (a read, an echo) and ones that do not exist. */
  private static final List<String> TOOL_NAMES = List.of("file_read", "exec_start", "no_such_tool", "", "FILE_READ",
      "file_read\u0000", "exec_start; rm -rf /");

  public static FuzzStream modelStream(Random r) {
    List<String> kinds = new ArrayList<>();
    List<String> events = new ArrayList<>();
    String id = "chatcmpl-fuzz-" + r.nextInt(1_000_000);
    events.add(chunk(id, MAPPER.createObjectNode().put("role", "assistant").put("content", ""), null));
    if (r.nextBoolean()) {
      for (int i = 0; i < 1 + r.nextInt(4); i++) {
        events.add(chunk(id, MAPPER.createObjectNode().put("content", "part " + i + " " + pick(r, ODD_STRINGS)), null));
      }
    }
    int calls = r.nextInt(4);
    List<String> callEvents = new ArrayList<>();
    for (int c = 0; c < calls; c++) {
      String tool = pick(r, TOOL_NAMES);
      String args = tool.startsWith("exec_start") ? "{\"command\":\"echo fuzz " + c + "\"}" : "{\"file_path\":\"fuzz-" + c + ".txt\"}";
      ObjectNode head = MAPPER.createObjectNode();
      ArrayNode tc = head.putArray("tool_calls");
      ObjectNode entry = tc.addObject().put("index", c).put("id", "call_fuzz_" + r.nextInt(1_000_000)).put("type", "function");
      entry.putObject("function").put("name", tool).put("arguments", "");
      callEvents.add(chunk(id, head, null));
      int cut = args.length() / 2;
      for (String piece : List.of(args.substring(0, cut), args.substring(cut))) {
        ObjectNode d = MAPPER.createObjectNode();
        d.putArray("tool_calls").addObject().put("index", c).putObject("function").put("arguments", piece);
        callEvents.add(chunk(id, d, null));
      }
    }
    events.addAll(callEvents);
    boolean finish = true;
    boolean done = true;
    boolean abort = false;
    String contentType = "text/event-stream";
    int mutations = 1 + r.nextInt(3);
    for (int i = 0; i < mutations; i++) {
      switch (r.nextInt(14)) {
        case 0 -> {
          kinds.add("cut mid-event");
          finish = false;
          done = false;
          abort = r.nextBoolean();
          String last = events.isEmpty() ? "" : events.remove(events.size() - 1);
          events.add(last.substring(0, last.length() / 2));
        }
        case 1 -> {
          kinds.add("invalid JSON chunk");
          events.add(r.nextInt(events.size() + 1),
              pick(r, List.of("{\"choices\":[{\"delta\":{\"content\":\"x\"", "{]", "not json at all", "{\"choices\":",
                  "nul", "\"just a string\"", "[1,2,3]", "{\"choices\":[{\"delta\":null}]}")));
        }
        case 2 -> {
          kinds.add("tool-call fragments out of order");
          if (events.size() > 1) {
            List<String> shuffled = new ArrayList<>(events.subList(1, events.size()));
            java.util.Collections.shuffle(shuffled, r);
            events.subList(1, events.size()).clear();
            events.addAll(shuffled);
          }
        }
        case 3 -> {
          kinds.add("wrong tool-call indexes");
          ObjectNode d = MAPPER.createObjectNode();
          ObjectNode e = d.putArray("tool_calls").addObject();
          e.set("index", pick(r, List.<JsonNode>of(NODES.numberNode(-1), NODES.numberNode(Integer.MAX_VALUE),
              NODES.textNode("zero"), NODES.numberNode(1.5), NODES.numberNode(1L << 40), NODES.nullNode())));
          if (r.nextBoolean()) e.put("id", "call_wrong_index_" + r.nextInt(1000));
          e.putObject("function").put("name", pick(r, TOOL_NAMES)).put("arguments", "{\"file_path\":\"x\"}");
          events.add(r.nextInt(events.size() + 1), chunk(id, d, null));
        }
        case 4 -> {
          kinds.add("tool call without id");
          ObjectNode d = MAPPER.createObjectNode();
          ObjectNode e = d.putArray("tool_calls").addObject().put("index", 7 + r.nextInt(3));
          e.putObject("function").put("name", "file_read").put("arguments", "{\"file_path\":\"noid.txt\"}");
          events.add(chunk(id, d, null));
        }
        case 5 -> {
          kinds.add("huge arguments");
          ObjectNode d = MAPPER.createObjectNode();
          ObjectNode e = d.putArray("tool_calls").addObject().put("index", 9).put("id", "call_huge_" + r.nextInt(1000));
          e.putObject("function").put("name", pick(r, TOOL_NAMES))
              .put("arguments", "{\"file_path\":\"huge.txt\",\"pad\":\"" + huge(r, 100_000 + r.nextInt(400_000)) + "\"}");
          events.add(chunk(id, d, null));
        }
        case 6 -> kinds.add("invalid UTF-8");
        case 7 -> {
          kinds.add("choices of a wrong type");
          events.add(pick(r, List.of("{\"choices\":{}}", "{\"choices\":\"x\"}", "{\"choices\":null}",
              "{\"choices\":[{\"delta\":\"text\"}]}", "{\"choices\":[{\"delta\":{\"tool_calls\":{\"index\":0}}}]}",
              "{\"choices\":[{\"delta\":{\"tool_calls\":[\"x\",1,null]}}]}",
              "{\"choices\":[{\"delta\":{\"content\":[1,2]}}]}")));
        }
        case 8 -> {
          kinds.add("odd finish reason");
          finish = false;
          events.add(chunk(id, MAPPER.createObjectNode(), pick(r, List.<JsonNode>of(NODES.textNode("length"),
              NODES.numberNode(42), NODES.textNode("tool_calls"), NODES.textNode("content_filter"), NODES.textNode("")))));
        }
        case 9 -> {
          kinds.add("no [DONE] and no finish reason");
          finish = false;
          done = false;
        }
        case 10 -> {
          kinds.add("duplicate tool-call ids");
          ObjectNode d = MAPPER.createObjectNode();
          ArrayNode tc = d.putArray("tool_calls");
          for (int k = 0; k < 2; k++) {
            tc.addObject().put("index", 20 + k).put("id", "call_dup").putObject("function").put("name", "file_read")
                .put("arguments", "{\"file_path\":\"dup.txt\"}");
          }
          events.add(chunk(id, d, null));
        }
        case 11 -> {
          kinds.add("error object in a chunk");
          events.add(pick(r, List.of("{\"error\":{\"message\":\"overloaded\",\"code\":529}}",
              "{\"error\":\"plain string error\"}", "{\"error\":{\"code\":\"bad\",\"message\":null}}",
              "{\"error\":{}}")));
        }
        case 12 -> {
          kinds.add("empty or comment-only stream");
          events.clear();
          if (r.nextBoolean()) events.add(": keep-alive");
          finish = false;
          done = r.nextBoolean();
        }
        default -> {
          kinds.add("wrong content type");
          contentType = pick(r, List.of("application/json", "text/plain", "application/octet-stream"));
        }
      }
    }
    if (finish) events.add(chunk(id, MAPPER.createObjectNode(), NODES.textNode(calls > 0 ? "tool_calls" : "stop")));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String eol = pick(r, List.of("\n", "\n", "\r\n", "\r\n"));
    for (String e : events) {
      if (e.startsWith(":")) {
        write(out, e + eol + eol);
      } else {
        write(out, "data:" + (r.nextInt(4) == 0 ? "" : " ") + e + eol + eol);
      }
    }
    if (done) write(out, "data: [DONE]" + eol + eol);
    byte[] body = out.toByteArray();
    if (kinds.contains("invalid UTF-8") && body.length > 0) {
      body = withInvalidUtf8(r, body);
    }
    return new FuzzStream(String.join(", ", kinds), body, contentType, abort);
  }

  private static String chunk(String id, ObjectNode delta, JsonNode finishReason) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("id", id).put("object", "chat.completion.chunk").put("model", "fuzz-model");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    choice.set("delta", delta);
    choice.set("finish_reason", finishReason == null ? NODES.nullNode() : finishReason);
    return root.toString();
  }

  private static byte[] withInvalidUtf8(Random r, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = r.nextInt(body.length);
    out.write(body, 0, at);
    byte[][] bad = {{(byte) 0xff}, {(byte) 0xfe, (byte) 0xff}, {(byte) 0xc3}, {(byte) 0xe2, (byte) 0x82},
        {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xc0, (byte) 0xaf}, {0}};
    byte[] b = bad[r.nextInt(bad.length)];
    out.write(b, 0, b.length);
    out.write(body, at, body.length - at);
    return out.toByteArray();
  }

  // ---- configs ----

  /** A mutated config: its text and the mutations applied. */
  public record FuzzConfig(String mutations, String json) {}

  /** Applies one to four mutations to {@code base} (deleted keys, changed types, random values, broken syntax). */
  public static FuzzConfig mutateConfig(Random r, JsonNode base) {
    JsonNode tree = base.deepCopy();
    List<String> applied = new ArrayList<>();
    int n = 1 + r.nextInt(4);
    boolean textual = false;
    for (int i = 0; i < n; i++) {
      List<JsonNode> containers = new ArrayList<>();
      collectContainers(tree, containers);
      JsonNode target = containers.get(r.nextInt(containers.size()));
      int what = r.nextInt(10);
      if (what == 9) {
        textual = true;
        continue;
      }
      if (target instanceof ObjectNode o && o.size() > 0) {
        String key = nthKey(o, r.nextInt(o.size()));
        switch (what) {
          case 0, 1 -> {
            o.remove(key);
            applied.add("deleted " + key);
          }
          case 2, 3 -> {
            o.set(key, changeType(r, o.get(key)));
            applied.add("retyped " + key);
          }
          case 4, 5 -> {
            o.set(key, randomValue(r));
            applied.add("random value at " + key);
          }
          case 6 -> {
            o.set(pick(r, List.of("unknown_key", "models", "channels", "kind", "type", "version", "id", "\u0000", "")),
                randomValue(r));
            applied.add("added a key");
          }
          case 7 -> {
            o.set(key + pick(r, List.of("_", "s", "X")), o.get(key));
            o.remove(key);
            applied.add("renamed " + key);
          }
          default -> {
            o.set(key, NODES.nullNode());
            applied.add("nulled " + key);
          }
        }
      } else if (target instanceof ArrayNode a) {
        if (a.size() > 0 && r.nextBoolean()) {
          int idx = r.nextInt(a.size());
          a.set(idx, r.nextBoolean() ? changeType(r, a.get(idx)) : randomValue(r));
          applied.add("changed an array element");
        } else {
          a.add(a.size() > 0 && r.nextBoolean() ? a.get(0).deepCopy() : randomValue(r));
          applied.add("added an array element");
        }
      }
    }
    String json = tree.toPrettyString();
    if (textual && !json.isEmpty()) {
      int at = r.nextInt(json.length());
      json = switch (r.nextInt(4)) {
        case 0 -> json.substring(0, at);
        case 1 -> json.substring(0, at) + pick(r, List.of(",", "{", "\"", "]", "}", "\\", "\u0000", "\uFEFF")) + json.substring(at);
        case 2 -> json.substring(0, at) + json.substring(Math.min(json.length(), at + 1 + r.nextInt(20)));
        default -> json + pick(r, List.of("}", " trailing", ",{}", "\n\n{}"));
      };
      applied.add("broke the JSON text");
    }
    if (applied.isEmpty()) applied.add("none");
    return new FuzzConfig(String.join(", ", applied), json);
  }

  private static void collectContainers(JsonNode node, List<JsonNode> out) {
    if (!node.isContainerNode()) return;
    out.add(node);
    for (JsonNode child : node) collectContainers(child, out);
  }

  private static String nthKey(ObjectNode o, int n) {
    Iterator<Map.Entry<String, JsonNode>> it = o.fields();
    for (int i = 0; i < n; i++) it.next();
    return it.next().getKey();
  }

  private static JsonNode changeType(Random r, JsonNode v) {
    if (v == null || v.isNull()) return randomValue(r);
    if (v.isTextual()) {
      return switch (r.nextInt(3)) {
        case 0 -> NODES.numberNode(r.nextInt());
        case 1 -> MAPPER.createArrayNode().add(v.asText());
        default -> MAPPER.createObjectNode().put("value", v.asText());
      };
    }
    if (v.isNumber()) return r.nextBoolean() ? NODES.textNode(v.asText()) : NODES.booleanNode(true);
    if (v.isBoolean()) return NODES.textNode(v.asText());
    if (v.isArray()) return v.size() > 0 && r.nextBoolean() ? v.get(0) : MAPPER.createObjectNode();
    return MAPPER.createArrayNode().add(v);
  }

  private static JsonNode randomValue(Random r) {
    return switch (r.nextInt(12)) {
      case 0 -> NODES.numberNode(-1);
      case 1 -> NODES.numberNode(Long.MAX_VALUE);
      case 2 -> NODES.numberNode(1e308);
      case 3 -> NODES.numberNode(0.5);
      case 4 -> NODES.textNode("");
      case 5 -> NODES.textNode(pick(r, ODD_STRINGS));
      case 6 -> NODES.textNode(huge(r, 10_000));
      case 7 -> NODES.booleanNode(r.nextBoolean());
      case 8 -> MAPPER.createArrayNode();
      case 9 -> MAPPER.createObjectNode();
      case 10 -> NODES.textNode("${" + pick(r, List.of("UNSET_FUZZ_VAR", "", "A:-", "A:-${B}", "}")) + "}");
      default -> NODES.nullNode();
    };
  }

  // ---- shared ----

  private static JsonNode randomNonString(Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> NODES.numberNode(r.nextInt());
      case 1 -> NODES.booleanNode(true);
      case 2 -> NODES.nullNode();
      case 3 -> MAPPER.createArrayNode().add("x");
      default -> MAPPER.createObjectNode().put("text", "nested");
    };
  }

  private static JsonNode randomNonNumber(Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> NODES.textNode("12abc");
      case 1 -> NODES.booleanNode(false);
      case 2 -> NODES.nullNode();
      case 3 -> NODES.textNode("99999999999999999999999999");
      default -> MAPPER.createObjectNode();
    };
  }

  static String huge(Random r, int length) {
    StringBuilder sb = new StringBuilder(length + 2);
    int[] alphabet = "abcdefghij klmnopqrstuvwxyz\n日本語🙂é".codePoints().toArray();
    while (sb.length() < length) sb.appendCodePoint(alphabet[r.nextInt(alphabet.length)]);
    return sb.toString();
  }

  private static <T> T pick(Random r, List<T> list) {
    return list.get(r.nextInt(list.size()));
  }

  private static void write(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(b, 0, b.length);
  }
}
