package partyclaw.core.cron;

import java.util.List;
import java.util.Optional;

/**
 * The cron tasks of the runtime as the tools see them (implemented by the conversation runtime, which journals
 * them and fires them). Every call is scoped to one conversation: a task of another conversation does not exist
 * for it. Errors are {@link IllegalArgumentException}s with one line the model may see, e.g.
 * {@code cron task <id> not found}.
 */
public interface CronTasks {
  /** The conversation's tasks, oldest first. */
  List<CronTask> list(String conversationId);

  Optional<CronTask> get(String conversationId, String id);

  /** Validates and stores a new task with a fresh UUID. */
  CronTask create(String conversationId, CronTask.Draft draft);

  /** Applies {@link CronTask#apply} and stores the result. */
  CronTask update(String conversationId, String id, CronTask.Patch patch);

  /** Removes the task and returns it as it was. */
  CronTask remove(String conversationId, String id);

  static IllegalArgumentException notFound(String id) {
    return new IllegalArgumentException("cron task " + id + " not found");
  }
}
