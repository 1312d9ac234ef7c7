package partyclaw.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One scripted answer of {@link FakeLlmServer}, consumed by exactly one request. Immutable: the
 * {@code with...} modifiers return a copy.
 */
public final class Step {

  enum Kind { REPLY, HTTP_ERROR, TRUNCATED, RAW, RAW_STREAM, DYNAMIC }

  /** Token figures reported in the reply's {@code usage}. */
  public record Usage(long promptTokens, long completionTokens, long cachedTokens) {}

  final Kind kind;
  final String text;
  final List<ToolCallSpec> toolCalls;
  final String finishReason;
  final int status;
  final String body;
  final String contentType;
  final String retryAfter;
  final Duration delay;
  final Duration chunkDelay;
  final Usage usage;
  final Function<RecordedRequest, Step> dynamic;
  /** {@link Kind#RAW_STREAM}: the exact bytes, and whether the connection is aborted after them. */
  final byte[] rawBytes;
  final boolean abortAfterBytes;

  private Step(Kind kind, String text, List<ToolCallSpec> toolCalls, String finishReason, int status, String body,
      String contentType, String retryAfter, Duration delay, Duration chunkDelay, Usage usage,
      Function<RecordedRequest, Step> dynamic) {
    this(kind, text, toolCalls, finishReason, status, body, contentType, retryAfter, delay, chunkDelay, usage, dynamic,
        null, false);
  }

  private Step(Kind kind, String text, List<ToolCallSpec> toolCalls, String finishReason, int status, String body,
      String contentType, String retryAfter, Duration delay, Duration chunkDelay, Usage usage,
      Function<RecordedRequest, Step> dynamic, byte[] rawBytes, boolean abortAfterBytes) {
    this.kind = kind;
    this.text = text;
    this.toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    this.finishReason = finishReason;
    this.status = status;
    this.body = body;
    this.contentType = contentType;
    this.retryAfter = retryAfter;
    this.delay = delay == null ? Duration.ZERO : delay;
    this.chunkDelay = chunkDelay == null ? Duration.ZERO : chunkDelay;
    this.usage = usage;
    this.dynamic = dynamic;
    this.rawBytes = rawBytes;
    this.abortAfterBytes = abortAfterBytes;
  }

  private static Step of(Kind kind) {
    return new Step(kind, null, null, null, 200, null, null, null, null, null, null, null);
  }

  /** Assistant text, streamed in several chunks; finish reason {@code stop}. */
  public static Step text(String text) {
    return textAndToolCalls(Objects.requireNonNull(text, "text"));
  }

  /** Tool calls only (content null), arguments streamed in at least two pieces; finish reason {@code tool_calls}. */
  public static Step toolCalls(ToolCallSpec... calls) {
    return textAndToolCalls(null, calls);
  }

  /** Text first, then the tool calls. {@code text} may be null or empty. */
  public static Step textAndToolCalls(String text, ToolCallSpec... calls) {
    return of(Kind.REPLY).copy(text, List.of(calls), null, 200, null, null, null);
  }

  /**
   * A Responses API reply carrying one {@code image_generation_call} item with this base64 image (and {@code text}
   * as output text, may be empty); on Chat Completions it is a plain text reply.
   */
  public static Step generatedImage(String base64, String text) {
    return of(Kind.REPLY).copy(text == null ? "" : text, List.of(), null, 200, Objects.requireNonNull(base64), null,
        null);
  }

  /** An HTTP error status with this body (JSON content type when the body looks like JSON, else text/plain). */
  public static Step httpError(int status, String body) {
    return of(Kind.HTTP_ERROR).copy(null, null, null, status, body == null ? "" : body, null, null);
  }

  /** An HTTP error status carrying a {@code Retry-After} header (seconds or an HTTP date). */
  public static Step httpError(int status, String body, String retryAfter) {
    return httpError(status, body).copy(null, null, null, status, body == null ? "" : body, null, retryAfter);
  }

  /**
   * Starts answering (role chunk, then {@code partialText} in pieces; the first bytes of a JSON body when the
   * request was not streamed) and then aborts the connection without {@code [DONE]} or a finish reason.
   */
  public static Step truncated(String partialText) {
    return of(Kind.TRUNCATED).copy(partialText == null ? "" : partialText, null, null, 200, null, null, null);
  }

  /** Exactly this body with status 200 and {@code application/json}, whatever the request asked for. */
  public static Step rawBody(String body) {
    return rawBody(body, "application/json");
  }

  /** Exactly this body with status 200 and the given content type (e.g. hand-written {@code text/event-stream}). */
  public static Step rawBody(String body, String contentType) {
    return of(Kind.RAW).copy(null, null, null, 200, Objects.requireNonNull(body, "body"),
        Objects.requireNonNull(contentType, "contentType"), null);
  }

  /**
   * Exactly these bytes (any bytes: invalid UTF-8, cut events) with status 200 and the given content type, sent in
   * a few TCP-level pieces split at random-looking places; {@code abortAfter} aborts the connection after them
   * instead of ending the response normally. For fuzzing stream parsers.
   */
  public static Step rawStream(byte[] bytes, String contentType, boolean abortAfter) {
    Step step = of(Kind.RAW_STREAM);
    return new Step(step.kind, null, null, null, 200, null, Objects.requireNonNull(contentType, "contentType"), null,
        null, null, null, null, Objects.requireNonNull(bytes, "bytes").clone(), abortAfter);
  }

  /** Computes the step from the request when it arrives (e.g. echoes an id out of the last tool message). */
  public static Step dynamic(Function<RecordedRequest, Step> compute) {
    Step step = of(Kind.DYNAMIC);
    return new Step(step.kind, null, null, null, 200, null, null, null, null, null, null,
        Objects.requireNonNull(compute, "compute"));
  }

  /** Waits this long before sending the response headers. */
  public Step withDelay(Duration delay) {
    return new Step(kind, text, toolCalls, finishReason, status, body, contentType, retryAfter, delay, chunkDelay,
        usage, dynamic, rawBytes, abortAfterBytes);
  }

  /** Waits this long between streamed chunks (to exercise stall timeouts). */
  public Step withChunkDelay(Duration chunkDelay) {
    return new Step(kind, text, toolCalls, finishReason, status, body, contentType, retryAfter, delay, chunkDelay,
        usage, dynamic, rawBytes, abortAfterBytes);
  }

  /** Reports these token figures instead of the defaults (estimated from the request and reply sizes). */
  public Step withUsage(long promptTokens, long completionTokens, long cachedTokens) {
    return new Step(kind, text, toolCalls, finishReason, status, body, contentType, retryAfter, delay, chunkDelay,
        new Usage(promptTokens, completionTokens, cachedTokens), dynamic, rawBytes, abortAfterBytes);
  }

  /** Overrides the finish reason ({@code stop} / {@code tool_calls} by default), e.g. {@code length}. */
  public Step withFinishReason(String finishReason) {
    return new Step(kind, text, toolCalls, finishReason, status, body, contentType, retryAfter, delay, chunkDelay,
        usage, dynamic, rawBytes, abortAfterBytes);
  }

  private Step copy(String text, List<ToolCallSpec> toolCalls, String finishReason, int status, String body,
      String contentType, String retryAfter) {
    return new Step(kind, text, toolCalls, finishReason, status, body, contentType, retryAfter, delay, chunkDelay,
        usage, dynamic, rawBytes, abortAfterBytes);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case REPLY -> "Step.reply(text=" + text + ", toolCalls=" + toolCalls + ")";
      case HTTP_ERROR -> "Step.httpError(" + status + ")";
      case TRUNCATED -> "Step.truncated(" + text + ")";
      case RAW -> "Step.rawBody(" + contentType + ")";
      case RAW_STREAM -> "Step.rawStream(" + contentType + ", " + rawBytes.length + " bytes" + (abortAfterBytes ? ", aborted" : "") + ")";
      case DYNAMIC -> "Step.dynamic";
    };
  }
}
