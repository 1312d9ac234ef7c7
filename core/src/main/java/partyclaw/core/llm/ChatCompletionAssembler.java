package partyclaw.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import partyclaw.core.json.Json;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.ToolCall;
import partyclaw.core.transcript.Usage;

/**
 * Collects one Chat Completions reply: streamed chunks via {@link #acceptData} or a whole JSON body via
 * {@link #acceptCompletion}. Problems are thrown as {@link AttemptFailure}s saying whether a retry may help.
 * Not thread-safe: one instance per attempt.
 */
final class ChatCompletionAssembler implements ReplyAssembler {

  private final StringBuilder text = new StringBuilder();
  private final TreeMap<Integer, PendingCall> calls = new TreeMap<>();
  private final Consumer<String> onTextDelta;
  private String finishReason;
  private Usage usage;
  private boolean done;
  private int lastCallIndex = -1;
  private int dataEvents;

  ChatCompletionAssembler(Consumer<String> onTextDelta) {
    this.onTextDelta = onTextDelta;
  }

  /** One SSE data payload: a chunk, or {@code [DONE]}. */
  @Override
  public void acceptData(String data) {
    dataEvents++;
    String trimmed = data.trim();
    if (trimmed.isEmpty()) return;
    if (trimmed.equals("[DONE]")) {
      done = true;
      return;
    }
    JsonNode chunk;
    try {
      chunk = Json.parse(trimmed);
    } catch (Exception e) {
      throw AttemptFailure.retryable("the stream contained an unparsable data line: " + Excerpts.of(trimmed, 120));
    }
    checkError(chunk);
    JsonNode choice = firstChoice(chunk);
    if (choice != null) {
      JsonNode delta = choice.path("delta");
      JsonNode content = delta.path("content");
      if (content.isTextual() && !content.asText().isEmpty()) appendText(content.asText());
      for (JsonNode call : delta.path("tool_calls")) acceptCallPiece(call);
      readFinishReason(choice);
    }
    readUsage(chunk);
  }

  /** A whole non-streamed {@code chat.completion} body. */
  @Override
  public void acceptCompletion(JsonNode body) {
    checkError(body);
    JsonNode choice = firstChoice(body);
    if (choice == null) throw AttemptFailure.retryable("the response had no choices: " + Excerpts.of(body.toString(), 120));
    JsonNode message = choice.path("message");
    JsonNode content = message.path("content");
    if (content.isTextual()) {
      text.append(content.asText());
    } else if (content.isArray()) {
      for (JsonNode part : content) {
        if (part.path("text").isTextual()) text.append(part.path("text").asText());
      }
    }
    for (JsonNode call : message.path("tool_calls")) acceptCallPiece(call);
    readFinishReason(choice);
    if (finishReason == null) finishReason = calls.isEmpty() ? "stop" : "tool_calls";
    readUsage(body);
    done = true;
  }

  /** True once {@code [DONE]} or a finish reason arrived: a cut after this point loses nothing. */
  @Override
  public boolean complete() {
    return done || finishReason != null;
  }

  @Override
  public int dataEvents() {
    return dataEvents;
  }

  @Override
  public boolean sawDone() {
    return done;
  }

  @Override
  public ChatResponse response() {
    List<ToolCall> toolCalls = new ArrayList<>();
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (Map.Entry<Integer, PendingCall> entry : calls.entrySet()) {
      ToolCall call = entry.getValue().build(entry.getKey());
      // results are paired by id: a server that repeats one gets the later calls renamed
      String id = call.id();
      for (int n = 2; !ids.add(id); n++) id = call.id() + "_" + n;
      toolCalls.add(id.equals(call.id()) ? call : new ToolCall(id, call.name(), call.arguments()));
    }
    String reply = text.length() > 0 ? text.toString() : (toolCalls.isEmpty() ? "" : null);
    Usage figures = usage == null ? new Usage(0, 0, 0, 1) : usage;
    return new ChatResponse(ChatMessage.assistant(reply, toolCalls), figures, finishReason);
  }

  private void appendText(String piece) {
    text.append(piece);
    if (onTextDelta == null) return;
    try {
      onTextDelta.accept(piece);
    } catch (RuntimeException listenerBug) {
      // a failing progress listener must not fail the model call
    }
  }

  private void acceptCallPiece(JsonNode piece) {
    String id = textOrNull(piece.path("id"));
    int index;
    if (piece.path("index").canConvertToInt()) {
      index = piece.path("index").asInt();
    } else if (id != null && calls.values().stream().noneMatch(c -> id.equals(c.id))) {
      // some OpenAI-compatible servers omit the index: a new id starts a new call
      index = calls.isEmpty() ? 0 : calls.lastKey() + 1;
    } else {
      index = Math.max(lastCallIndex, 0);
    }
    lastCallIndex = index;
    PendingCall call = calls.computeIfAbsent(index, i -> new PendingCall());
    if (call.id == null && id != null) call.id = id;
    JsonNode function = piece.path("function");
    String name = textOrNull(function.path("name"));
    if (call.name == null && name != null) call.name = name;
    JsonNode arguments = function.path("arguments");
    if (arguments.isTextual()) {
      call.arguments.append(arguments.asText());
    } else if (arguments.isObject()) {
      // a few servers send parsed arguments; keep the wire contract of a JSON string
      call.arguments.append(arguments);
    }
  }

  private void readFinishReason(JsonNode choice) {
    String reason = textOrNull(choice.path("finish_reason"));
    if (reason != null) finishReason = reason;
  }

  private void readUsage(JsonNode root) {
    JsonNode u = root.path("usage");
    if (!u.isObject()) return;
    usage = new Usage(u.path("prompt_tokens").asLong(0), u.path("completion_tokens").asLong(0),
        u.path("prompt_tokens_details").path("cached_tokens").asLong(0), 1);
  }

  private static JsonNode firstChoice(JsonNode root) {
    JsonNode choices = root.path("choices");
    if (!choices.isArray() || choices.isEmpty()) return null;
    for (JsonNode choice : choices) {
      if (choice.path("index").asInt(0) == 0) return choice;
    }
    return choices.get(0);
  }

  /** An {@code error} object in a 200 body or chunk: transient-looking ones are retried. */
  private static void checkError(JsonNode root) {
    JsonNode error = root.path("error");
    if (error.isMissingNode() || error.isNull()) return;
    String message = error.isTextual() ? error.asText() : textOrNull(error.path("message"));
    String reason = "upstream error: " + Excerpts.of(message != null ? message : error.toString(), 300);
    if (isTransient(error)) throw AttemptFailure.retryable(reason);
    throw AttemptFailure.fatal(reason);
  }

  private static boolean isTransient(JsonNode error) {
    int code = error.path("code").canConvertToInt() ? error.path("code").asInt()
        : error.path("status").canConvertToInt() ? error.path("status").asInt() : 0;
    if (code == 429 || code >= 500) return true;
    String kind = (error.path("type").asText("") + " " + error.path("code").asText("")).toLowerCase(java.util.Locale.ROOT);
    return kind.contains("server_error") || kind.contains("rate_limit") || kind.contains("overloaded")
        || kind.contains("timeout") || kind.contains("unavailable");
  }

  private static String textOrNull(JsonNode node) {
    return node.isTextual() && !node.asText().isEmpty() ? node.asText() : null;
  }

  private static final class PendingCall {
    String id;
    String name;
    final StringBuilder arguments = new StringBuilder();

    ToolCall build(int index) {
      // tool results are paired by id, so a call must have one even if the server forgot it
      String callId = id != null ? id : "call_" + index + "_" + Long.toHexString(System.nanoTime());
      String args = arguments.toString().isBlank() ? "{}" : arguments.toString();
      return new ToolCall(callId, name == null ? "" : name, args);
    }
  }
}
