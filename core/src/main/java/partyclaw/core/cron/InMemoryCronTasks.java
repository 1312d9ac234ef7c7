package partyclaw.core.cron;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link CronTasks} in memory: for tests, and the reference behaviour of the port (ownership, ordering, the
 * validation and patch rules of {@link CronTask}). Thread-safe.
 */
public final class InMemoryCronTasks implements CronTasks {
  private final Clock clock;
  /** By id, in creation order. */
  private final Map<String, CronTask> tasks = new LinkedHashMap<>();

  public InMemoryCronTasks() {
    this(Clock.systemUTC());
  }

  public InMemoryCronTasks(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized List<CronTask> list(String conversationId) {
    List<CronTask> out = new ArrayList<>();
    for (CronTask t : tasks.values()) {
      if (t.conversationId().equals(conversationId)) out.add(t);
    }
    return out;
  }

  @Override
  public synchronized Optional<CronTask> get(String conversationId, String id) {
    CronTask t = tasks.get(id);
    return t != null && t.conversationId().equals(conversationId) ? Optional.of(t) : Optional.empty();
  }

  @Override
  public synchronized CronTask create(String conversationId, CronTask.Draft draft) {
    CronTask t = CronTask.create(UUID.randomUUID().toString(), conversationId, draft, clock.instant());
    tasks.put(t.id(), t);
    return t;
  }

  @Override
  public synchronized CronTask update(String conversationId, String id, CronTask.Patch patch) {
    CronTask t = get(conversationId, id).orElseThrow(() -> CronTasks.notFound(id)).apply(patch, clock.instant());
    tasks.put(id, t);
    return t;
  }

  @Override
  public synchronized CronTask remove(String conversationId, String id) {
    CronTask t = get(conversationId, id).orElseThrow(() -> CronTasks.notFound(id));
    tasks.remove(id);
    return t;
  }

  /** Replaces a stored task (as the runtime records a firing); for tests of what the tools show afterwards. */
  public synchronized void put(CronTask t) {
    tasks.put(t.id(), t);
  }
}
