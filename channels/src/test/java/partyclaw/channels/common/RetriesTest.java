package partyclaw.channels.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class RetriesTest {
  static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void retriesWhileRetryableUpToTheAttempts() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    String value = Retries.retry(kit.system(), 3, () -> calls.incrementAndGet() < 3
            ? CompletableFuture.<String>failedFuture(new IllegalStateException("again"))
            : CompletableFuture.completedFuture("done"),
        e -> e instanceof IllegalStateException, (n, e) -> Duration.ofMillis(10))
        .toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertEquals("done", value);
    assertEquals(3, calls.get());
  }

  @Test
  void stopsAtTheFirstFailureThatIsNotRetryableAndFailsWithItsCause() {
    AtomicInteger calls = new AtomicInteger();
    ExecutionException e = assertThrows(ExecutionException.class, () -> Retries.retry(kit.system(), 0,
            () -> calls.incrementAndGet() < 2
                ? CompletableFuture.<String>failedFuture(new IllegalStateException("again"))
                : CompletableFuture.<String>failedFuture(new IllegalArgumentException("final")),
            x -> x instanceof IllegalStateException, (n, x) -> Duration.ofMillis(10))
        .toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertEquals("final", e.getCause().getMessage());
    assertEquals(2, calls.get());
  }
}
