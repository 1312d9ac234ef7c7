package partyclaw.core.tool;

/** The rendered content the model sees for one call, and whether it counts as an error. */
public record ToolResult(String content, boolean errored) {}
