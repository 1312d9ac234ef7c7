package partyclaw.tools.media;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * A model the media tools ask (tooling.image / pdf / audio_input / image_gen): where and how to call it. The key
 * is the resolved secret; it only ever goes into the Authorization header.
 *
 * @param responses whether it speaks the Responses API (openrouter-resp) rather than Chat Completions
 */
public record HelperModel(String alias, String url, String model, String apiKey, Map<String, String> headers,
    Duration timeout, Set<String> capabilities, boolean responses, boolean codex) {

  public HelperModel {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    capabilities = capabilities == null ? Set.of() : Set.copyOf(capabilities);
  }

  public boolean can(String capability) {
    return capabilities.contains(capability);
  }

  @Override
  public String toString() {
    return "HelperModel[" + alias + " " + model + " @ " + url + "]";
  }
}
