package partyclaw.core.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A function tool offered to the model. Implementations are stateless singletons; per-conversation
 * state lives in {@link ToolContext#resources()}. {@link #run} blocks and is always called on the
 * blocking-tools dispatcher, never on the default one.
 */
public interface Tool {
  String name();

  /** Description without the execution-mode prefix. */
  String description();

  /** JSON Schema of the arguments object. */
  ObjectNode parameters();

  ToolMode mode();

  /**
   * Whether the model {@code modelAlias} is offered this tool (tools.md §2: image, PDF, audio and web-search tools
   * depend on the model's capabilities and the config's routing). {@code null}: no model is known; offered.
   */
  default boolean offeredTo(String modelAlias) {
    return true;
  }

  /**
   * The argument schema offered to model {@code modelAlias} when it differs from {@link #parameters()} (web_search's
   * {@code images} exists only where the search model takes images); null when it does not.
   */
  default ObjectNode parametersFor(String modelAlias) {
    return null;
  }

  /**
   * Runs the call. Returns the result value: a JSON object (rendered pretty-printed) or a text node
   * (rendered raw, as {@code ls} does). Throws {@link ToolException} for an error the model should see.
   * Interruptible tools watch {@link ToolContext#signal()} and return a partial result when it fires.
   */
  JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException;
}
