package partyclaw.core.llm;

import java.util.Map;
import java.util.Set;

/**
 * What a request encoder must know of a model beyond its endpoint: which API it speaks, which media it takes
 * natively (runtime.md §3.7 capabilities), which helper tool answers for the media it cannot take (shown in the
 * pointer that replaces such media), and its prompt-cache TTL.
 *
 * @param api {@link #CHAT_COMPLETIONS}, {@link #RESPONSES} or {@link #CODEX}
 * @param helperTools media kind (image, pdf, audio) → the tool that asks a helper model about such a file
 */
public record ModelTraits(String api, Set<String> capabilities, Map<String, String> helperTools, String cacheTtl,
    com.fasterxml.jackson.databind.JsonNode nativeTools, com.fasterxml.jackson.databind.JsonNode extraPayload,
    String codexHome, String authStoreMode) {

  public static final String CHAT_COMPLETIONS = "chat_completions";
  public static final String RESPONSES = "responses";
  public static final String CODEX = "codex";

  /** A Chat Completions model that takes text only: what a model without traits is treated as. */
  public static final ModelTraits TEXT_ONLY = new ModelTraits(CHAT_COMPLETIONS, Set.of(), Map.of(), null);

  /**
   * Without provider-side tools: {@code nativeTools} are the Responses API's own tools sent with the function tools
   * ({@code web_search} with its payload, {@code image_generation}); {@code extraPayload} is merged into every Chat
   * Completions body ({@code native_web_search.payload} of such a model).
   */
  public ModelTraits(String api, Set<String> capabilities, Map<String, String> helperTools, String cacheTtl) {
    this(api, capabilities, helperTools, cacheTtl, null, null);
  }

  /** {@code codexHome}, {@code authStoreMode}: where a codex-subscription model's auth.json is, and how it is kept. */
  public ModelTraits(String api, Set<String> capabilities, Map<String, String> helperTools, String cacheTtl,
      com.fasterxml.jackson.databind.JsonNode nativeTools, com.fasterxml.jackson.databind.JsonNode extraPayload) {
    this(api, capabilities, helperTools, cacheTtl, nativeTools, extraPayload, null, null);
  }

  public ModelTraits {
    api = api == null ? CHAT_COMPLETIONS : api;
    capabilities = capabilities == null ? Set.of() : Set.copyOf(capabilities);
    helperTools = helperTools == null ? Map.of() : Map.copyOf(helperTools);
  }

  public boolean can(String capability) {
    return capabilities.contains(capability);
  }

  public boolean responses() {
    return RESPONSES.equals(api);
  }
}
