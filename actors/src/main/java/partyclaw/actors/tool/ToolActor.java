package partyclaw.actors.tool;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import partyclaw.actors.metrics.RuntimeMetrics;
import partyclaw.actors.metrics.RuntimeMetricsExtension;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolInvoker;
import partyclaw.core.tool.ToolMode;
import partyclaw.core.tool.ToolResult;
import partyclaw.core.tool.TurnSignal;
import partyclaw.core.transcript.ToolCall;
import partyclaw.core.util.Failures;

/**
 * Runs one tool call of a round on the tool pool and reports its result to the conversation, then stops.
 * {@link Interrupt} asks an interruptible tool to yield (its work goes on in the background); {@link Cancel} stops
 * it for real. An immediate tool ignores Interrupt, and one that hangs past {@code immediateTimeout} is abandoned:
 * its thread is interrupted, its cancel hooks run, and the model gets an error instead of a turn that never ends.
 */
public final class ToolActor {

  public sealed interface Command {}

  public record Start() implements Command {}

  public record Interrupt() implements Command {}

  public record Cancel() implements Command {}

  private record Finished(ToolResult result) implements Command {}

  private record TimedOut() implements Command {}

  /** What the conversation receives when the call is done, whatever happened. */
  public record Report(String turnId, ToolCall call, ToolResult result) {}

  /**
   * Where the work runs: {@code tools} holds a thread for as long as the tool runs; {@code control} runs cancel
   * hooks (killing processes blocks for seconds), so a full tool pool can never keep /stop from stopping.
   */
  public record Pools(Executor tools, Executor control, Duration immediateTimeout) {}

  public static <R> Behavior<Command> create(
      String turnId,
      ToolCall call,
      Tool tool,
      Function<TurnSignal, ToolContext> contextFactory,
      Pools pools,
      ActorRef<R> reportTo,
      Function<Report, R> adapt) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      TurnSignal signal = new TurnSignal();
      RuntimeMetrics metrics = RuntimeMetricsExtension.of(ctx.getSystem());
      // The model may name a tool that does not exist: such names must not each become a metric series.
      String toolLabel = tool == null ? "unknown" : tool.name();
      AtomicReference<Thread> worker = new AtomicReference<>();
      return Behaviors.receive(Command.class)
          .onMessage(Start.class, s -> {
            run(ctx, call, tool, contextFactory, signal, worker, pools.tools());
            if (tool != null && tool.mode() == ToolMode.IMMEDIATE) {
              timers.startSingleTimer(new TimedOut(), pools.immediateTimeout());
            }
            return Behaviors.same();
          })
          .onMessage(Interrupt.class, i -> {
            signal.interrupt();
            return Behaviors.same();
          })
          .onMessage(Cancel.class, c -> {
            pools.control().execute(signal::cancel);
            return Behaviors.same();
          })
          .onMessage(TimedOut.class, t -> {
            pools.control().execute(() -> {
              signal.cancel();
              synchronized (worker) {
                Thread running = worker.get();
                if (running != null) running.interrupt();
              }
            });
            metrics.toolCall(toolLabel, "timeout");
            reportTo.tell(adapt.apply(new Report(turnId, call, ToolInvoker.error(call.name(), "tool " + call.name()
                + " did not finish within " + human(pools.immediateTimeout()) + " and was abandoned"))));
            return Behaviors.stopped();
          })
          .onMessage(Finished.class, f -> {
            metrics.toolCall(toolLabel, f.result().errored() ? "error" : "ok");
            reportTo.tell(adapt.apply(new Report(turnId, call, f.result())));
            return Behaviors.stopped();
          })
          .build();
    }));
  }

  private static String human(Duration d) {
    return d.toMillis() < 1000 ? d.toMillis() + " ms" : d.toSeconds() + " s";
  }

  private static void run(ActorContext<Command> ctx, ToolCall call, Tool tool,
      Function<TurnSignal, ToolContext> contextFactory, TurnSignal signal, AtomicReference<Thread> worker,
      Executor pool) {
    CompletableFuture<ToolResult> future = CompletableFuture.supplyAsync(() -> {
      worker.set(Thread.currentThread());
      try {
        return ToolInvoker.invoke(tool, call.name(), call.arguments(), contextFactory.apply(signal));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CompletionException(e);
      } finally {
        // Under the lock the abandon-interrupt either hits this call or never comes: a pool thread must not carry
        // it into its next task.
        synchronized (worker) {
          worker.set(null);
          Thread.interrupted();
        }
      }
    }, pool);
    ctx.pipeToSelf(future, (result, error) -> new Finished(result != null ? result
        : ToolInvoker.error(call.name(), "tool " + call.name() + " failed: " + Failures.rootMessage(error))));
  }
}
