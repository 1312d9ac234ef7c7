package partyclaw.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import partyclaw.core.json.Json;

/** A model's provider-side web search: when enabled, {@code payload} is merged into every request. */
public record NativeWebSearch(boolean enabled, JsonNode payload) {
  public NativeWebSearch {
    payload = payload == null ? Json.object() : payload.deepCopy();
  }
}
