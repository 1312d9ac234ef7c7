package partyclaw.core.llm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import partyclaw.core.transcript.ChatMessage;

/**
 * The {@code previous_response_id} bookkeeping of runtime.md §3.5: after a Responses call that returned an id, a
 * later request whose messages (system ones aside) strictly extend that request's messages plus its reply sends
 * only the new messages. Remembered per endpoint (URL, model, key), so a change of any of them starts afresh; an
 * empty reply is not remembered. Holds references to transcript messages the conversations hold anyway.
 */
final class ResponsesContinuations {

  /** The continued response and the index of the first message to send. */
  record Continuation(String previousId, int from) {}

  private record Entry(String endpointKey, List<ChatMessage> messages, String responseId) {}

  private static final int MAX_ENTRIES = 512;

  /** Newest last; keyed by response id. */
  private final Map<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);

  static String endpointKey(LlmEndpoint endpoint) {
    return endpoint.url() + "|" + endpoint.model() + "|"
        + (endpoint.apiKey() == null ? 0 : endpoint.apiKey().hashCode());
  }

  /** The longest remembered prefix of {@code conversation}, or null: send everything. */
  synchronized Continuation find(String endpointKey, List<ChatMessage> conversation) {
    Entry best = null;
    for (Entry e : entries.values()) {
      int n = e.messages().size();
      if (!e.endpointKey().equals(endpointKey) || n >= conversation.size()) continue;
      if (best != null && n <= best.messages().size()) continue;
      if (conversation.subList(0, n).equals(e.messages())) best = e;
    }
    if (best == null) return null;
    entries.get(best.responseId()); // touch: a continued chain stays
    return new Continuation(best.responseId(), best.messages().size());
  }

  synchronized void remember(String endpointKey, List<ChatMessage> conversation, ChatResponse response) {
    if (response.responseId() == null || response.responseId().isBlank()) return;
    ChatMessage reply = response.message();
    boolean empty = (reply.content() == null || reply.content().isEmpty()) && !reply.hasToolCalls();
    if (empty) return;
    List<ChatMessage> messages = new ArrayList<>(conversation.size() + 1);
    messages.addAll(conversation);
    messages.add(reply);
    entries.put(response.responseId(), new Entry(endpointKey, List.copyOf(messages), response.responseId()));
    var it = entries.entrySet().iterator();
    while (entries.size() > MAX_ENTRIES && it.hasNext()) {
      it.next();
      it.remove();
    }
  }

  synchronized void forget(String responseId) {
    entries.remove(responseId);
  }
}
