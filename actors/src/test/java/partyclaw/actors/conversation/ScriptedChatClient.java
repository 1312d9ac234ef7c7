package partyclaw.actors.conversation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import partyclaw.core.llm.AttemptFailure;
import partyclaw.core.llm.ChatClient;
import partyclaw.core.llm.ChatRequest;
import partyclaw.core.llm.ChatResponse;
import partyclaw.core.llm.LlmAttempt;
import partyclaw.core.llm.LlmEndpoint;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.ToolCall;
import partyclaw.core.transcript.Usage;

/** A ChatClient answering from a script, recording every request; for entity tests without HTTP. */
final class ScriptedChatClient implements ChatClient {
  private final ConcurrentLinkedQueue<Object> script = new ConcurrentLinkedQueue<>();
  final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
  /** Compaction requests (no tools, a completion cap): answered by {@link #summary}, never from the script. */
  final List<ChatRequest> summaryRequests = new CopyOnWriteArrayList<>();
  /** Answers a request when the script is empty (a ChatResponse or an AttemptFailure); null: "script exhausted". */
  volatile java.util.function.Function<ChatRequest, Object> fallback;
  private static final java.util.regex.Pattern FACT = java.util.regex.Pattern.compile("FACT:[A-Za-z0-9_-]+");

  ScriptedChatClient text(String text) {
    script.add(new ChatResponse(ChatMessage.assistant(text, List.of()), new Usage(10, 5, 0, 1), "stop"));
    return this;
  }

  ScriptedChatClient calls(ToolCall... calls) {
    script.add(new ChatResponse(ChatMessage.assistant(null, List.of(calls)), new Usage(10, 5, 0, 1), "tool_calls"));
    return this;
  }

  /** A fatal attempt failure, so the model call reports it without retrying. */
  ScriptedChatClient failure(String message) {
    script.add(AttemptFailure.fatal(message));
    return this;
  }

  /** A call answered when the test completes the returned future. */
  CompletableFuture<ChatResponse> later() {
    CompletableFuture<ChatResponse> answer = new CompletableFuture<>();
    script.add(answer);
    return answer;
  }

  static ChatResponse answer(String text) {
    return new ChatResponse(ChatMessage.assistant(text, List.of()), new Usage(10, 5, 0, 1), "stop");
  }

  /** A call that never answers (until aborted): the daemon "crashes" while waiting for the model. */
  ScriptedChatClient hang() {
    script.add(new CompletableFuture<ChatResponse>());
    return this;
  }

  @Override
  @SuppressWarnings("unchecked")
  public LlmAttempt attempt(LlmEndpoint endpoint, ChatRequest request, Consumer<String> onTextDelta) {
    if (request.tools().isEmpty() && request.maxCompletionTokens() != null) {
      summaryRequests.add(request);
      return completed(CompletableFuture.completedFuture(summary(request)));
    }
    requests.add(request);
    Object next = script.poll();
    if (next == null && fallback != null) next = fallback.apply(request);
    CompletableFuture<ChatResponse> result;
    if (next instanceof ChatResponse r) {
      result = CompletableFuture.completedFuture(r);
    } else if (next instanceof AttemptFailure e) {
      result = CompletableFuture.failedFuture(e);
    } else if (next instanceof CompletableFuture<?> f) {
      result = (CompletableFuture<ChatResponse>) f;
    } else {
      result = CompletableFuture.failedFuture(AttemptFailure.fatal("script exhausted"));
    }
    return completed(result);
  }

  private static LlmAttempt completed(CompletableFuture<ChatResponse> result) {
    return new LlmAttempt() {
      @Override
      public CompletionStage<ChatResponse> result() {
        return result;
      }

      @Override
      public void abort() {
        result.completeExceptionally(AttemptFailure.fatal("the attempt was aborted"));
      }
    };
  }

  /** A layered summary naming every {@code FACT:x} of the summarised text in a {@code facts} memory hint. */
  static ChatResponse summary(ChatRequest request) {
    java.util.Set<String> facts = new java.util.LinkedHashSet<>();
    for (ChatMessage m : request.messages()) {
      if (m.role() == partyclaw.core.transcript.Role.SYSTEM || m.content() == null) continue;
      java.util.regex.Matcher matcher = FACT.matcher(m.content());
      while (matcher.find()) facts.add(matcher.group());
    }
    String hints = facts.isEmpty() ? "[]" : "[{\"group\":\"facts\",\"conclusions\":["
        + String.join(",", facts.stream().map(x -> "\"" + x + "\"").toList()) + "]}]";
    String json = "{\"old_summary\":\"\",\"new_summary\":\"- the user sent long texts; facts: " + String.join(" ", facts)
        + "\",\"keywords\":[\"summary\"],\"important_refs\":{\"paths\":[],\"commands\":[],\"errors\":[],"
        + "\"urls\":[],\"ids\":[]},\"memory_hints\":" + hints + ",\"next_step\":\"- answer the latest message\"}";
    return new ChatResponse(ChatMessage.assistant(json, List.of()), new Usage(100, 50, 0, 1), "stop");
  }

  List<ChatMessage> lastMessages() {
    return new ArrayList<>(requests.get(requests.size() - 1).messages());
  }
}
