package partyclaw.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import partyclaw.core.json.Json;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.ToolCall;
import partyclaw.core.transcript.Usage;

/**
 * Collects one Responses API reply (runtime.md §3.3): {@code output_text} joined, {@code function_call} items as
 * tool calls; every other item type (reasoning, web_search_call, image_generation_call) is ignored. Streams give
 * {@code response.output_text.delta}, {@code response.output_item.done} and {@code response.completed}; a plain
 * body is the response object itself. Not thread-safe: one instance per attempt.
 */
final class ResponsesAssembler implements ReplyAssembler {

  private final Consumer<String> onTextDelta;
  private final StringBuilder text = new StringBuilder();
  private final List<ToolCall> calls = new ArrayList<>();
  private final Set<String> callIds = new LinkedHashSet<>();
  private final List<String> images = new ArrayList<>();
  private final Set<String> imageItems = new LinkedHashSet<>();
  private String responseId;
  private Usage usage;
  private boolean done;
  private boolean incomplete;
  private int dataEvents;

  ResponsesAssembler(Consumer<String> onTextDelta) {
    this.onTextDelta = onTextDelta;
  }

  @Override
  public void acceptData(String data) {
    dataEvents++;
    String trimmed = data.trim();
    if (trimmed.isEmpty() || trimmed.equals("[DONE]")) return;
    JsonNode event;
    try {
      event = Json.parse(trimmed);
    } catch (Exception e) {
      throw AttemptFailure.retryable("the stream contained an unparsable data line: " + Excerpts.of(trimmed, 120));
    }
    String type = event.path("type").asText("");
    switch (type) {
      case "response.created", "response.in_progress" -> readId(event.path("response"));
      case "response.output_text.delta" -> appendText(event.path("delta").asText(""));
      case "response.output_item.done" -> acceptItem(event.path("item"), true);
      case "response.completed" -> finish(event.path("response"), false);
      case "response.incomplete" -> finish(event.path("response"), true);
      case "response.failed" -> failWith(event.path("response").path("error"), event);
      case "error" -> failWith(event.has("error") ? event.path("error") : event, event);
      default -> {
        // reasoning summaries, web search progress, content part boundaries: nothing the reply keeps
      }
    }
  }

  @Override
  public void acceptCompletion(JsonNode body) {
    JsonNode error = body.path("error");
    if (error.isObject() || error.isTextual()) failWith(error, body);
    if (!body.path("output").isArray()) {
      throw AttemptFailure.retryable("the response had no output: " + Excerpts.of(body.toString(), 120));
    }
    finish(body, "incomplete".equals(body.path("status").asText()));
  }

  private void finish(JsonNode response, boolean cut) {
    readId(response);
    // the final response object lists every item; a stream that already delivered them must not double them
    if (text.length() == 0 && calls.isEmpty()) {
      for (JsonNode item : response.path("output")) acceptItem(item, false);
    } else {
      for (JsonNode item : response.path("output")) {
        if ("image_generation_call".equals(item.path("type").asText())) acceptItem(item, false);
      }
    }
    JsonNode u = response.path("usage");
    if (u.isObject()) {
      usage = new Usage(u.path("input_tokens").asLong(0), u.path("output_tokens").asLong(0),
          u.path("input_tokens_details").path("cached_tokens").asLong(0), 1);
    }
    incomplete = cut;
    done = true;
  }

  private void acceptItem(JsonNode item, boolean streamed) {
    switch (item.path("type").asText("")) {
      case "function_call" -> {
        String id = item.path("call_id").asText(item.path("id").asText(""));
        if (id.isEmpty()) id = "call_" + calls.size() + "_" + Long.toHexString(System.nanoTime());
        if (!callIds.add(id)) return;
        String args = item.path("arguments").isTextual() ? item.path("arguments").asText()
            : item.path("arguments").isObject() ? item.path("arguments").toString() : "{}";
        calls.add(new ToolCall(id, item.path("name").asText(""), args.isBlank() ? "{}" : args));
      }
      case "message" -> {
        // streamed text already arrived as deltas; a whole body (or a stream without deltas) has it only here
        if (streamed && text.length() > 0) return;
        for (JsonNode part : item.path("content")) {
          if ("output_text".equals(part.path("type").asText()) && part.path("text").isTextual()) {
            appendText(part.path("text").asText());
          }
        }
      }
      case "image_generation_call" -> {
        // the reference drops natively generated images; they are kept so the user gets them
        String result = item.path("result").asText("");
        String id = item.path("id").asText(Integer.toString(images.size()));
        if (!result.isBlank() && imageItems.add(id)) images.add(result);
      }
      default -> {
        // ignored item types (runtime.md §3.3)
      }
    }
  }

  private void readId(JsonNode response) {
    String id = response.path("id").asText("");
    if (!id.isEmpty()) responseId = id;
  }

  private void appendText(String piece) {
    if (piece.isEmpty()) return;
    text.append(piece);
    if (onTextDelta == null) return;
    try {
      onTextDelta.accept(piece);
    } catch (RuntimeException listenerBug) {
      // a failing progress listener must not fail the model call
    }
  }

  private static void failWith(JsonNode error, JsonNode whole) {
    String message = error.isTextual() ? error.asText()
        : error.path("message").isTextual() ? error.path("message").asText() : whole.toString();
    String reason = "upstream error: " + Excerpts.of(message, 300);
    String kind = (error.path("type").asText("") + " " + error.path("code").asText("")).toLowerCase(Locale.ROOT);
    if (kind.contains("server_error") || kind.contains("rate_limit") || kind.contains("overloaded")
        || kind.contains("timeout") || kind.contains("unavailable")) {
      throw AttemptFailure.retryable(reason);
    }
    throw AttemptFailure.fatal(reason);
  }

  @Override
  public boolean complete() {
    return done;
  }

  @Override
  public boolean sawDone() {
    return done;
  }

  @Override
  public int dataEvents() {
    return dataEvents;
  }

  /** The id the provider gave the response, for {@code previous_response_id}; null when it sent none. */
  String responseId() {
    return responseId;
  }

  @Override
  public ChatResponse response() {
    String reply = text.length() > 0 ? text.toString() : (calls.isEmpty() ? "" : null);
    Usage figures = usage == null ? new Usage(0, 0, 0, 1) : usage;
    String finish = incomplete ? "length" : calls.isEmpty() ? "stop" : "tool_calls";
    return new ChatResponse(ChatMessage.assistant(reply, calls), figures, finish, responseId, images);
  }
}
