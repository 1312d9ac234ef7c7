package partyclaw.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A model's context window for {@link FakeLlmServer}: a request whose messages and tool schemas count more than
 * {@code limitTokens} (o200k_base, like an OpenAI model) is refused with the provider's 400
 * {@code context_length_exceeded}, as a real model would, and counted; everything else goes to the wrapped reply.
 */
public final class FakeContextWindow {
  private static final Encoding O200K = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

  private final long limitTokens;
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong largest = new AtomicLong();

  public FakeContextWindow(long limitTokens) {
    this.limitTokens = limitTokens;
  }

  public Function<RecordedRequest, Step> wrap(Function<RecordedRequest, Step> reply) {
    return r -> {
      long tokens = tokens(r);
      largest.accumulateAndGet(tokens, Math::max);
      if (tokens <= limitTokens) return reply.apply(r);
      refused.incrementAndGet();
      return Step.httpError(400, "{\"error\":{\"message\":\"This model's maximum context length is " + limitTokens
          + " tokens. However, your messages resulted in " + tokens + " tokens.\",\"type\":\"invalid_request_error\","
          + "\"code\":\"context_length_exceeded\"}}");
    };
  }

  /** Requests refused for size so far. */
  public long refused() {
    return refused.get();
  }

  /** The largest request seen, in tokens. */
  public long largest() {
    return largest.get();
  }

  /** Message texts, tool-call names and arguments, and the tool schemas, as the provider would count them. */
  public static long tokens(RecordedRequest r) {
    long total = 0;
    for (JsonNode m : r.messages()) {
      total += 4 + O200K.countTokensOrdinary(RecordedRequest.contentText(m.path("content")));
      for (JsonNode call : m.path("tool_calls")) {
        total += 4 + O200K.countTokensOrdinary(call.path("function").path("name").asText()
            + call.path("function").path("arguments").asText());
      }
    }
    JsonNode tools = r.body().path("tools");
    if (!tools.isMissingNode()) total += O200K.countTokensOrdinary(tools.toString());
    return total;
  }
}
