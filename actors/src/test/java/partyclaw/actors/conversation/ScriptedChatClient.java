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
    requests.add(request);
    Object next = script.poll();
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

  List<ChatMessage> lastMessages() {
    return new ArrayList<>(requests.get(requests.size() - 1).messages());
  }
}
