package partyclaw.core.context;

import java.util.ArrayList;
import java.util.List;
import partyclaw.core.tokens.TokenEstimator;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.ToolCall;

/**
 * Shrinks one message that alone exceeds a summary chunk: every text field (content, tool-call arguments) longer
 * than a common length keeps its head and tail around a {@code …[N chars omitted for the summary]…} marker. The
 * summariser still sees how the text starts and ends, and the request stays inside the window.
 */
final class MessageCutter {
  private static final double SAFETY = 0.95;
  private static final int MARKER_ROOM = 48;

  private final TokenEstimator est;
  private final long maxTokens;

  MessageCutter(TokenEstimator est, long maxTokens) {
    this.est = est;
    this.maxTokens = maxTokens;
  }

  static String marker(int omittedChars) {
    return "…[" + omittedChars + " chars omitted for the summary]…";
  }

  static String callsMarker(int omittedCalls) {
    return "…[" + omittedCalls + " tool calls omitted for the summary]…";
  }

  ChatMessage fit(ChatMessage m) {
    ChatMessage fitted = shrink(m);
    if (fitted != null) return fitted;
    // a model that made hundreds of calls in one message: keep the first ones that fit, say how many went
    List<ToolCall> calls = m.toolCalls();
    if (calls.isEmpty()) throw tooBig(m);
    for (int kept = calls.size() / 2; ; kept /= 2) {
      String content = (m.content() == null ? "" : m.content()) + callsMarker(calls.size() - kept);
      fitted = shrink(new ChatMessage(m.role(), content, calls.subList(0, kept), m.toolCallId(), m.name()));
      if (fitted != null) return fitted;
      if (kept == 0) throw tooBig(m);
    }
  }

  /** The message with its long fields cut just enough to fit; null when even cutting everything is not enough. */
  private ChatMessage shrink(ChatMessage m) {
    int tokens = tokens(m);
    if (tokens <= maxTokens) return m;
    int keep = longestField(m);
    while (keep > 0) {
      // tokens scale about linearly with the kept text: jump near the answer, then creep down
      keep = (int) Math.min(keep * 0.9, keep * (maxTokens / (double) tokens) * SAFETY);
      ChatMessage candidate = cut(m, keep);
      tokens = tokens(candidate);
      if (tokens <= maxTokens) return candidate;
    }
    return null;
  }

  private CompactionException tooBig(ChatMessage m) {
    return new CompactionException("a " + m.role().wire() + " message cannot be cut to fit a summary chunk of "
        + maxTokens + " tokens");
  }

  private int tokens(ChatMessage m) {
    return est.textTokens(SummaryPrompts.renderMessage(m));
  }

  private static int longestField(ChatMessage m) {
    int longest = m.content() == null ? 0 : m.content().length();
    for (ToolCall call : m.toolCalls()) {
      if (call.arguments() != null) longest = Math.max(longest, call.arguments().length());
    }
    return longest;
  }

  static ChatMessage cut(ChatMessage m, int keep) {
    List<ToolCall> calls = new ArrayList<>(m.toolCalls().size());
    for (ToolCall call : m.toolCalls()) {
      calls.add(new ToolCall(call.id(), call.name(), cut(call.arguments(), keep)));
    }
    return new ChatMessage(m.role(), cut(m.content(), keep), calls, m.toolCallId(), m.name());
  }

  static String cut(String text, int keep) {
    // cutting must save more than the marker costs
    if (text == null || text.length() <= keep + MARKER_ROOM) return text;
    String head = TextCuts.head(text, keep - keep / 2);
    String tail = TextCuts.tail(text, keep / 2);
    return head + marker(text.length() - head.length() - tail.length()) + tail;
  }
}
