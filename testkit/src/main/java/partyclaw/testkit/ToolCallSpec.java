package partyclaw.testkit;

/** One function call a scripted reply makes: the call id, the tool name and the raw JSON arguments. */
public record ToolCallSpec(String id, String name, String argumentsJson) {
  public ToolCallSpec {
    if (id == null || id.isEmpty()) throw new IllegalArgumentException("tool call id must be non-empty");
    if (name == null || name.isEmpty()) throw new IllegalArgumentException("tool call name must be non-empty");
    argumentsJson = argumentsJson == null ? "{}" : argumentsJson;
  }
}
