package partyclaw.core.cron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InMemoryCronTasksTest {
  static final Instant NOW = Instant.parse("2024-01-01T00:00:00Z");
  final InMemoryCronTasks tasks = new InMemoryCronTasks(Clock.fixed(NOW, ZoneOffset.UTC));

  static CronTask.Draft draft(String name) {
    return new CronTask.Draft(name, "d", new CronFields("0", "0", "9", "*", "*", "*", null), null, "p", "main", null,
        null, null);
  }

  @Test
  void tasksBelongToTheConversationThatCreatedThem() {
    CronTask a1 = tasks.create("chat:a", draft("a1"));
    CronTask a2 = tasks.create("chat:a", draft("a2"));
    CronTask b1 = tasks.create("chat:b", draft("b1"));
    assertEquals(List.of(a1, a2), tasks.list("chat:a"));
    assertEquals(List.of(b1), tasks.list("chat:b"));
    assertEquals(Optional.empty(), tasks.get("chat:b", a1.id()));
    String notFound = "cron task " + a1.id() + " not found";
    assertEquals(notFound, assertThrows(IllegalArgumentException.class,
        () -> tasks.update("chat:b", a1.id(), CronTask.Patch.builder().name("x").build())).getMessage());
    assertEquals(notFound, assertThrows(IllegalArgumentException.class,
        () -> tasks.remove("chat:b", a1.id())).getMessage());
    assertEquals(Optional.of(a1), tasks.get("chat:a", a1.id()));
  }

  @Test
  void updateAndRemove() {
    CronTask t = tasks.create("chat:a", draft("a"));
    assertEquals(NOW, t.createdAt());
    CronTask updated = tasks.update("chat:a", t.id(), CronTask.Patch.builder().description("new").build());
    assertEquals("new", updated.description());
    assertEquals(Optional.of(updated), tasks.get("chat:a", t.id()));
    assertEquals(updated, tasks.remove("chat:a", t.id()));
    assertEquals(List.of(), tasks.list("chat:a"));
    assertEquals("cron task " + t.id() + " not found",
        assertThrows(IllegalArgumentException.class, () -> tasks.remove("chat:a", t.id())).getMessage());
  }

  @Test
  void aFailedUpdateChangesNothing() {
    CronTask t = tasks.create("chat:a", draft("a"));
    assertThrows(IllegalArgumentException.class,
        () -> tasks.update("chat:a", t.id(), CronTask.Patch.builder().name("ok").hour("1").build()));
    assertEquals(Optional.of(t), tasks.get("chat:a", t.id()));
  }
}
