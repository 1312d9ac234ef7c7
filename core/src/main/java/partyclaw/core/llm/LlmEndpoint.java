package partyclaw.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;

/**
 * Everything needed to call one OpenAI-compatible chat-completions model. {@code apiKey} is the resolved
 * secret (may be null for local servers); it is only ever put in the Authorization header, never logged.
 * {@code reasoning} is the model's configured reasoning object (may be null).
 */
public record LlmEndpoint(
    String alias,
    String url,
    String model,
    String apiKey,
    Map<String, String> headers,
    Duration timeout,
    RetryPolicy retry,
    JsonNode reasoning) {

  public LlmEndpoint {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  @Override
  public String toString() {
    // never print the key
    return "LlmEndpoint[" + alias + " " + model + " @ " + url + "]";
  }
}
