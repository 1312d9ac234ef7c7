package partyclaw.channels.common;

import akka.actor.typed.ActorSystem;
import akka.pattern.Patterns;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Asynchronous retry loops on the actor system's scheduler (no thread sleeps), for every channel. */
public final class Retries {
  private Retries() {}

  /**
   * Runs {@code attempt} up to {@code attempts} times (0 = until it succeeds) while {@code retryable} says so,
   * waiting {@code delay(failureNumber, error)} between tries.
   */
  public static <T> CompletionStage<T> retry(ActorSystem<?> system, int attempts, Supplier<CompletionStage<T>> attempt,
      Predicate<Throwable> retryable, BiFunction<Integer, Throwable, Duration> delay) {
    return loop(system, 1, attempts, attempt, retryable, delay);
  }

  private static <T> CompletionStage<T> loop(ActorSystem<?> system, int n, int attempts,
      Supplier<CompletionStage<T>> attempt, Predicate<Throwable> retryable, BiFunction<Integer, Throwable, Duration> delay) {
    CompletionStage<T> tried;
    try {
      tried = attempt.get();
    } catch (RuntimeException e) {
      tried = CompletableFuture.failedFuture(e);
    }
    return tried.handle((value, error) -> {
      if (error == null) return CompletableFuture.completedFuture(value);
      Throwable cause = unwrap(error);
      if ((attempts > 0 && n >= attempts) || !retryable.test(cause)) return CompletableFuture.<T>failedFuture(cause);
      return after(system, delay.apply(n, cause), () -> loop(system, n + 1, attempts, attempt, retryable, delay));
    }).thenCompose(s -> s);
  }

  public static <T> CompletionStage<T> after(ActorSystem<?> system, Duration delay, Supplier<CompletionStage<T>> next) {
    if (delay.isZero() || delay.isNegative()) return next.get();
    return Patterns.after(delay, system.classicSystem().scheduler(), system.executionContext(), next::get);
  }

  public static Throwable unwrap(Throwable error) {
    return partyclaw.core.util.Failures.unwrap(error);
  }
}
