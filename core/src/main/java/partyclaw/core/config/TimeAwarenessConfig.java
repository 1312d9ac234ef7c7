package partyclaw.core.config;

/** {@code main_agent.time_awareness}: which time hints are added to what the model sees. */
public record TimeAwarenessConfig(boolean emitSystemDateOnUserMessage, boolean emitIdleTimeGapHint) {
  public static final TimeAwarenessConfig DEFAULT = new TimeAwarenessConfig(false, true);
}
