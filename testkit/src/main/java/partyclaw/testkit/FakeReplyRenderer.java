package partyclaw.testkit;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Turns a resolved {@link Step} into an OpenAI-shaped HTTP response: SSE when the request streamed, JSON otherwise. */
final class FakeReplyRenderer {

  private static final ContentType EVENT_STREAM = ContentTypes.create(MediaTypes.TEXT_EVENT_STREAM);

  private final ObjectMapper mapper;

  FakeReplyRenderer(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  HttpResponse render(Step step, RecordedRequest request, String completionId) {
    return switch (step.kind) {
      case REPLY -> request.stream() ? streamed(step, request, completionId, false) : json(step, request, completionId);
      case TRUNCATED -> request.stream()
          ? streamed(step, request, completionId, true)
          : truncatedJson(step, request, completionId);
      case HTTP_ERROR -> httpError(step);
      case RAW -> HttpResponse.create().withEntity(
          ContentTypes.parse(step.contentType), step.body.getBytes(StandardCharsets.UTF_8));
      case RAW_STREAM -> rawStream(step);
      case DYNAMIC -> throw new IllegalStateException("dynamic steps are resolved before rendering");
    };
  }

  /** The step's bytes in three pieces cut at fixed fractions (inside events and characters), maybe aborted after. */
  private static HttpResponse rawStream(Step step) {
    byte[] bytes = step.rawBytes;
    int a = bytes.length / 3;
    int b = (bytes.length * 2) / 3 + 1;
    List<ByteString> chunks = new ArrayList<>();
    if (a > 0) chunks.add(ByteString.fromArray(bytes, 0, a));
    if (b > a && b <= bytes.length) chunks.add(ByteString.fromArray(bytes, a, b - a));
    int from = Math.min(Math.max(a, b), bytes.length);
    if (from < bytes.length) chunks.add(ByteString.fromArray(bytes, from, bytes.length - from));
    Source<ByteString, ?> source = Source.from(chunks);
    if (step.abortAfterBytes) source = source.concat(abortSoon());
    return HttpResponse.create().withEntity(HttpEntities.createChunked(ContentTypes.parse(step.contentType), source));
  }

  private HttpResponse streamed(Step step, RecordedRequest request, String completionId, boolean truncated) {
    List<ObjectNode> events = new ArrayList<>();
    ObjectNode role = chunk(request, completionId);
    delta(role).put("role", "assistant").put("content", "");
    events.add(role);
    String text = step.text == null ? "" : step.text;
    for (String piece : split(text, 4, 24)) {
      ObjectNode event = chunk(request, completionId);
      delta(event).put("content", piece);
      events.add(event);
    }
    if (!truncated) {
      events.addAll(toolCallEvents(step, request, completionId));
      ObjectNode finish = chunk(request, completionId);
      delta(finish);
      ((ObjectNode) finish.withArray("choices").get(0)).put("finish_reason", finishReason(step));
      events.add(finish);
      if (request.body().path("stream_options").path("include_usage").asBoolean(false)) {
        ObjectNode usage = chunk(request, completionId);
        usage.putArray("choices");
        usage.set("usage", usage(step, request));
        events.add(usage);
      }
    }

    List<ByteString> chunks = new ArrayList<>();
    // a comment first, as OpenRouter sends while a model warms up; clients must skip it
    chunks.add(ByteString.fromString(": fake-llm processing\n\n"));
    for (ObjectNode event : events) {
      // each event is split in two TCP-level chunks so clients must reassemble lines (even mid UTF-8 character)
      byte[] bytes = ("data: " + write(event) + "\n\n").getBytes(StandardCharsets.UTF_8);
      int half = bytes.length / 2;
      chunks.add(ByteString.fromArray(bytes, 0, half));
      chunks.add(ByteString.fromArray(bytes, half, bytes.length - half));
    }
    if (!truncated) chunks.add(ByteString.fromString("data: [DONE]\n\n"));

    Source<ByteString, ?> source = Source.from(chunks);
    if (!step.chunkDelay.isZero()) source = source.throttle(1, step.chunkDelay);
    if (truncated) source = source.concat(abortSoon());
    return HttpResponse.create().withEntity(HttpEntities.createChunked(EVENT_STREAM, source));
  }

  private List<ObjectNode> toolCallEvents(Step step, RecordedRequest request, String completionId) {
    List<ObjectNode> events = new ArrayList<>();
    List<List<String>> pieces = new ArrayList<>();
    for (int i = 0; i < step.toolCalls.size(); i++) {
      ToolCallSpec call = step.toolCalls.get(i);
      ObjectNode event = chunk(request, completionId);
      ObjectNode entry = delta(event).putArray("tool_calls").addObject();
      entry.put("index", i).put("id", call.id()).put("type", "function");
      entry.putObject("function").put("name", call.name()).put("arguments", "");
      events.add(event);
      pieces.add(splitArguments(call.argumentsJson()));
    }
    // pieces of parallel calls are interleaved so clients have to assemble by index, not by arrival order
    int rounds = pieces.stream().mapToInt(List::size).max().orElse(0);
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < pieces.size(); i++) {
        if (round >= pieces.get(i).size()) continue;
        ObjectNode event = chunk(request, completionId);
        ObjectNode entry = delta(event).putArray("tool_calls").addObject();
        entry.put("index", i);
        entry.putObject("function").put("arguments", pieces.get(i).get(round));
        events.add(event);
      }
    }
    return events;
  }

  private HttpResponse json(Step step, RecordedRequest request, String completionId) {
    return HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON,
        write(completion(step, request, completionId)).getBytes(StandardCharsets.UTF_8));
  }

  private HttpResponse truncatedJson(Step step, RecordedRequest request, String completionId) {
    byte[] whole = write(completion(step, request, completionId)).getBytes(StandardCharsets.UTF_8);
    Source<ByteString, ?> source =
        Source.single(ByteString.fromArray(whole, 0, whole.length / 2)).concat(abortSoon());
    return HttpResponse.create().withEntity(HttpEntities.createChunked(ContentTypes.APPLICATION_JSON, source));
  }

  private ObjectNode completion(Step step, RecordedRequest request, String completionId) {
    ObjectNode root = mapper.createObjectNode();
    root.put("id", completionId).put("object", "chat.completion")
        .put("created", System.currentTimeMillis() / 1000).put("model", model(request));
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    if (step.text == null || (step.text.isEmpty() && !step.toolCalls.isEmpty())) {
      message.putNull("content");
    } else {
      message.put("content", step.text);
    }
    if (!step.toolCalls.isEmpty()) {
      ArrayNode calls = message.putArray("tool_calls");
      for (ToolCallSpec call : step.toolCalls) {
        ObjectNode entry = calls.addObject();
        entry.put("id", call.id()).put("type", "function");
        entry.putObject("function").put("name", call.name()).put("arguments", call.argumentsJson());
      }
    }
    choice.put("finish_reason", finishReason(step));
    root.set("usage", usage(step, request));
    return root;
  }

  private HttpResponse httpError(Step step) {
    String trimmed = step.body.trim();
    ContentType type = trimmed.startsWith("{") ? ContentTypes.APPLICATION_JSON : ContentTypes.TEXT_PLAIN_UTF8;
    HttpResponse response = HttpResponse.create().withStatus(step.status)
        .withEntity(type, step.body.getBytes(StandardCharsets.UTF_8));
    return step.retryAfter == null ? response : response.addHeader(RawHeader.create("Retry-After", step.retryAfter));
  }

  private ObjectNode chunk(RecordedRequest request, String completionId) {
    ObjectNode root = mapper.createObjectNode();
    root.put("id", completionId).put("object", "chat.completion.chunk")
        .put("created", System.currentTimeMillis() / 1000).put("model", model(request));
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putNull("finish_reason");
    return root;
  }

  private static ObjectNode delta(ObjectNode chunk) {
    return ((ObjectNode) chunk.withArray("choices").get(0)).putObject("delta");
  }

  private ObjectNode usage(Step step, RecordedRequest request) {
    long prompt;
    long completion;
    long cached;
    if (step.usage != null) {
      prompt = step.usage.promptTokens();
      completion = step.usage.completionTokens();
      cached = step.usage.cachedTokens();
    } else {
      // roughly four characters per token, like real tokenizers on English text
      prompt = Math.max(1, write(request.body().path("messages")).length() / 4);
      long replyChars = (step.text == null ? 0 : step.text.length())
          + step.toolCalls.stream().mapToLong(c -> c.name().length() + c.argumentsJson().length()).sum();
      completion = Math.max(1, replyChars / 4);
      cached = 0;
    }
    ObjectNode usage = mapper.createObjectNode();
    usage.put("prompt_tokens", prompt).put("completion_tokens", completion).put("total_tokens", prompt + completion);
    usage.putObject("prompt_tokens_details").put("cached_tokens", cached);
    return usage;
  }

  private static String finishReason(Step step) {
    if (step.finishReason != null) return step.finishReason;
    return step.toolCalls.isEmpty() ? "stop" : "tool_calls";
  }

  private static String model(RecordedRequest request) {
    String model = request.model();
    return model == null ? "fake-model" : model;
  }

  /** Fails shortly after the preceding chunks, so they reach the wire before the connection is aborted. */
  private static Source<ByteString, ?> abortSoon() {
    CompletableFuture<ByteString> failure = new CompletableFuture<>();
    CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS)
        .execute(() -> failure.completeExceptionally(new TruncatedOnPurpose()));
    return Source.completionStage(failure);
  }

  /** Stackless: the server logs it when aborting the connection, and a trace would only be noise. */
  private static final class TruncatedOnPurpose extends RuntimeException {
    TruncatedOnPurpose() {
      super("FakeLlmServer truncated this reply on purpose (Step.truncated)", null, false, false);
    }
  }

  /** Splits into about {@code pieces} pieces (more for long text: none is longer than {@code maxPieceLength} code points). */
  static List<String> split(String text, int pieces, int maxPieceLength) {
    List<String> out = new ArrayList<>();
    int codePoints = text.codePointCount(0, text.length());
    if (codePoints == 0) return out;
    int size = Math.max(1, Math.min(maxPieceLength, (codePoints + pieces - 1) / pieces));
    int start = 0;
    while (start < text.length()) {
      int end = text.offsetByCodePoints(start, Math.min(size, text.codePointCount(start, text.length())));
      out.add(text.substring(start, end));
      start = end;
    }
    return out;
  }

  private static List<String> splitArguments(String arguments) {
    List<String> pieces = split(arguments, 2, 20);
    while (pieces.size() < 2) pieces.add("");
    return pieces;
  }

  private String write(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot render fake reply", e);
    }
  }
}
