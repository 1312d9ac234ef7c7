package partyclaw.actors.agents;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import partyclaw.core.llm.AttemptFailure;
import partyclaw.core.llm.ChatClient;
import partyclaw.core.llm.ChatRequest;
import partyclaw.core.llm.ChatResponse;
import partyclaw.core.llm.LlmAttempt;
import partyclaw.core.llm.LlmEndpoint;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Role;
import partyclaw.core.transcript.ToolCall;
import partyclaw.core.transcript.Usage;

/**
 * A ChatClient answering each agent from its own script, recording every request; no HTTP. An agent is told
 * apart by its key, which its first user message (the task) contains.
 */
final class ScriptedAgentChat implements ChatClient {
  static final Usage USAGE = new Usage(10, 5, 0, 1);

  /** One agent's answers, in order. */
  final class Script {
    private final ConcurrentLinkedQueue<Object> answers = new ConcurrentLinkedQueue<>();
    final List<ChatRequest> requests = new CopyOnWriteArrayList<>();

    Script text(String text) {
      answers.add(new ChatResponse(ChatMessage.assistant(text, List.of()), USAGE, "stop"));
      return this;
    }

    Script calls(ToolCall... calls) {
      return calls(USAGE, calls);
    }

    Script calls(Usage usage, ToolCall... calls) {
      answers.add(new ChatResponse(ChatMessage.assistant(null, List.of(calls)), usage, "tool_calls"));
      return this;
    }

    /** A reply with neither text nor tool calls. */
    Script empty() {
      answers.add(new ChatResponse(ChatMessage.assistant("  ", List.of()), USAGE, "stop"));
      return this;
    }

    /** A fatal attempt failure, so the model call reports it without retrying. */
    Script failure(String message) {
      answers.add(AttemptFailure.fatal(message));
      return this;
    }

    /** A call answered when the test completes the returned future. */
    CompletableFuture<ChatResponse> later() {
      CompletableFuture<ChatResponse> answer = new CompletableFuture<>();
      answers.add(answer);
      return answer;
    }

    List<ChatMessage> lastMessages() {
      return requests.get(requests.size() - 1).messages();
    }
  }

  private final Map<String, Script> scripts = new ConcurrentHashMap<>();
  /** Every request of any agent, in arrival order. */
  final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
  /** A permit per request received: a test waits for N requests without sleeping. */
  final Semaphore arrived = new Semaphore(0);

  Script script(String key) {
    return scripts.computeIfAbsent(key, k -> new Script());
  }

  static ChatResponse answer(String text) {
    return new ChatResponse(ChatMessage.assistant(text, List.of()), USAGE, "stop");
  }

  @Override
  @SuppressWarnings("unchecked")
  public LlmAttempt attempt(LlmEndpoint endpoint, ChatRequest request, Consumer<String> onTextDelta) {
    requests.add(request);
    Script script = scriptOf(request);
    Object next = null;
    if (script != null) {
      script.requests.add(request);
      next = script.answers.poll();
    }
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
    arrived.release();
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

  private Script scriptOf(ChatRequest request) {
    ChatMessage task = request.messages().stream().filter(m -> m.role() == Role.USER).findFirst().orElse(null);
    if (task == null || task.content() == null) return null;
    return scripts.entrySet().stream().filter(e -> task.content().contains(e.getKey())).map(Map.Entry::getValue)
        .findFirst().orElse(null);
  }
}
