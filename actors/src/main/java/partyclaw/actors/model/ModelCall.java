package partyclaw.actors.model;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.util.function.Function;
import partyclaw.core.llm.ChatClient;
import partyclaw.core.llm.ChatRequest;
import partyclaw.core.llm.ChatResponse;
import partyclaw.core.llm.LlmCall;
import partyclaw.core.llm.LlmEndpoint;
import partyclaw.core.util.Failures;

/**
 * One model call of a turn, as a child of its conversation: it starts the streamed request, reports exactly one
 * {@link Outcome} unless it is cancelled, then stops. Cancel is a message, so the conversation never touches the
 * call's internals from its own thread; stopping the conversation stops (and so aborts) the call.
 */
public final class ModelCall {
  private ModelCall() {}

  public sealed interface Command {}

  /** Abort the request; no outcome is reported. */
  public record Cancel() implements Command {}

  private record Finished(ChatResponse response, Throwable error) implements Command {}

  /** What the call produced: a response, or the reason it failed (never null together). */
  public record Outcome(ChatResponse response, String error) {}

  public static <R> Behavior<Command> create(ChatClient chat, LlmEndpoint endpoint, ChatRequest request,
      ActorRef<R> reportTo, Function<Outcome, R> adapt, Function<Throwable, String> describe) {
    return Behaviors.setup(ctx -> {
      LlmCall call = chat.start(endpoint, request, delta -> {});
      ctx.pipeToSelf(call.result(), Finished::new);
      return Behaviors.receive(Command.class)
          .onMessage(Cancel.class, c -> {
            call.cancel();
            return Behaviors.stopped();
          })
          .onMessage(Finished.class, f -> {
            reportTo.tell(adapt.apply(f.response() != null ? new Outcome(f.response(), null)
                : new Outcome(null, describe.apply(Failures.unwrap(f.error())))));
            return Behaviors.stopped();
          })
          .onSignal(akka.actor.typed.PostStop.class, s -> {
            call.cancel(); // a no-op once the result is in; aborts the stream when the conversation stops
            return Behaviors.same();
          })
          .build();
    });
  }
}
