package partyclaw.core.context;

import java.util.ArrayList;
import java.util.List;
import partyclaw.core.tokens.TokenEstimator;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.ToolCall;

/**
 * The summary calls of a compaction (runtime.md §4.1, §4.3): the head is cut into chunks that each fit one request,
 * and each chunk is summarised with the previous chunk's summary folded in. The reference sends the whole
 * transcript in one request and caps the answer at 1,200 tokens (runtime.md §9 item 24); both are fixed here.
 */
public final class SummaryPrompts {
  /** Room for a layered JSON answer; 1,200 truncates it. */
  public static final int MAX_COMPLETION_TOKENS = 4096;

  static final String PRIOR_SUMMARY_HEADING = "Summary of the earlier part:";
  static final String TRANSCRIPT_HEADING = "Transcript to summarise:";
  static final int MIN_CHUNK_TOKENS = 64;
  static final String BLOCK_SEPARATOR = "\n\n";

  private SummaryPrompts() {}

  /**
   * The head in consecutive chunks, each at most {@code maxChunkTokens} as {@link #renderTranscript} renders it. A
   * message too big for a chunk of its own is cut to fit (see {@link MessageCutter}).
   */
  public static List<List<ChatMessage>> chunks(List<ChatMessage> head, TokenEstimator est, long maxChunkTokens) {
    if (maxChunkTokens < MIN_CHUNK_TOKENS) {
      throw new IllegalArgumentException("maxChunkTokens must be at least " + MIN_CHUNK_TOKENS + ", got "
          + maxChunkTokens);
    }
    MessageCutter cutter = new MessageCutter(est, maxChunkTokens);
    List<ChatMessage> messages = new ArrayList<>(head.size());
    List<Integer> tokens = new ArrayList<>(head.size());
    for (ChatMessage m : head) {
      ChatMessage fitted = cutter.fit(m);
      messages.add(fitted);
      tokens.add(est.textTokens(renderMessage(fitted)));
    }
    int separator = est.textTokens(BLOCK_SEPARATOR);
    List<List<ChatMessage>> chunks = new ArrayList<>();
    int start = 0;
    while (start < messages.size()) {
      int end = start + 1;
      long sum = tokens.get(start);
      while (end < messages.size() && sum + separator + tokens.get(end) <= maxChunkTokens) {
        sum += separator + tokens.get(end);
        end++;
      }
      // per-block counts can differ from the joined text's by a token at a boundary: check the real thing
      while (end - start > 1 && est.textTokens(renderTranscript(messages.subList(start, end))) > maxChunkTokens) {
        end--;
      }
      chunks.add(List.copyOf(messages.subList(start, end)));
      start = end;
    }
    return chunks;
  }

  /** The messages as plain text for the summariser; earlier compression messages stay as text to fold. */
  public static String renderTranscript(List<ChatMessage> messages) {
    StringBuilder out = new StringBuilder();
    for (ChatMessage m : messages) {
      if (out.length() > 0) out.append(BLOCK_SEPARATOR);
      out.append(renderMessage(m));
    }
    return out.toString();
  }

  static String renderMessage(ChatMessage m) {
    String content = m.content() == null ? "" : m.content();
    return switch (m.role()) {
      case USER -> "[user]\n" + content;
      case SYSTEM -> "[system]\n" + content;
      case TOOL -> "[tool result: " + m.name() + " id=" + m.toolCallId() + "]\n" + content;
      case ASSISTANT -> {
        StringBuilder out = new StringBuilder("[assistant]");
        if (!content.isEmpty()) out.append('\n').append(content);
        for (ToolCall call : m.toolCalls()) {
          out.append("\n[tool call: ").append(call.name()).append(" id=").append(call.id()).append("] ")
              .append(call.arguments() == null ? "" : call.arguments());
        }
        yield out.toString();
      }
    };
  }

  /**
   * One summary call, no tools: the instruction, then the prior summary (if any) and the chunk. For the second and
   * later chunks, {@code priorSummary} is the previous chunk's answer as the model wrote it (layered: its JSON, so
   * keywords and refs carry over in full); the last chunk's answer is the compaction's summary.
   *
   * <p>Budget a chunk as: window − {@link #MAX_COMPLETION_TOKENS} − the estimate of {@code request(mode, prior,
   * List.of())} − a margin.
   */
  public static List<ChatMessage> request(MemoryMode mode, String priorSummary, List<ChatMessage> chunk) {
    StringBuilder user = new StringBuilder();
    if (priorSummary != null && !priorSummary.isBlank()) {
      user.append(PRIOR_SUMMARY_HEADING).append('\n').append(priorSummary.strip()).append("\n\n");
    }
    user.append(TRANSCRIPT_HEADING).append('\n').append(renderTranscript(chunk));
    return List.of(ChatMessage.system(instruction(mode)), ChatMessage.user(user.toString()));
  }

  static String instruction(MemoryMode mode) {
    return mode == MemoryMode.CLAUDE_CODE ? SummaryInstructions.CLAUDE_CODE : SummaryInstructions.LAYERED;
  }
}
