package partyclaw.actors.tool;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolInvoker;
import partyclaw.core.tool.ToolResult;
import partyclaw.core.tool.TurnSignal;
import partyclaw.core.transcript.ToolCall;

/**
 * Runs one tool call of a round on the blocking dispatcher and reports its result to the conversation, then
 * stops. {@link Interrupt} asks an interruptible tool to yield (its work goes on in the background);
 * {@link Cancel} stops it for real. An immediate tool ignores both and runs to completion.
 */
public final class ToolActor {

  public sealed interface Command {}

  public record Start() implements Command {}

  public record Interrupt() implements Command {}

  public record Cancel() implements Command {}

  private record Finished(ToolResult result) implements Command {}

  /** What the conversation receives when the call is done, whatever happened. */
  public record Report(String turnId, ToolCall call, ToolResult result) {}

  public static <R> Behavior<Command> create(
      String turnId,
      ToolCall call,
      Tool tool,
      Function<TurnSignal, ToolContext> contextFactory,
      Executor blocking,
      ActorRef<R> reportTo,
      Function<Report, R> adapt) {
    return Behaviors.setup(ctx -> {
      TurnSignal signal = new TurnSignal();
      return Behaviors.receive(Command.class)
          .onMessage(Start.class, s -> {
            run(ctx, call, tool, contextFactory, signal, blocking);
            return Behaviors.same();
          })
          .onMessage(Interrupt.class, i -> {
            signal.interrupt();
            return Behaviors.same();
          })
          .onMessage(Cancel.class, c -> {
            signal.cancel();
            return Behaviors.same();
          })
          .onMessage(Finished.class, f -> {
            reportTo.tell(adapt.apply(new Report(turnId, call, f.result())));
            return Behaviors.stopped();
          })
          .build();
    });
  }

  private static void run(ActorContext<Command> ctx, ToolCall call, Tool tool,
      Function<TurnSignal, ToolContext> contextFactory, TurnSignal signal, Executor blocking) {
    CompletableFuture<ToolResult> future = CompletableFuture.supplyAsync(() -> {
      try {
        return ToolInvoker.invoke(tool, call.name(), call.arguments(), contextFactory.apply(signal));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CompletionException(e);
      }
    }, blocking);
    ctx.pipeToSelf(future, (result, error) -> new Finished(result != null ? result
        : ToolInvoker.error(call.name(), "tool " + call.name() + " failed: " + partyclaw.core.util.Failures.rootMessage(error))));
  }

}
