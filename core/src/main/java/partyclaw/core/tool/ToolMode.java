package partyclaw.core.tool;

/** Whether a tool may be yielded when a newer user message arrives (spec tools.md §1.6). */
public enum ToolMode {
  IMMEDIATE("Execution mode: immediate. This tool returns promptly and does not use a top-level timeout parameter."),
  INTERRUPTIBLE("Execution mode: interruptible. This tool may wait, but the runtime can interrupt it when a newer user message arrives or the turn hits its timeout observation boundary.");

  private final String prefix;

  ToolMode(String prefix) {
    this.prefix = prefix;
  }

  /** The sentence put before every tool description sent upstream. */
  public String prefix() {
    return prefix;
  }
}
