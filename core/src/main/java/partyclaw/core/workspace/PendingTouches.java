package partyclaw.core.workspace;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The touches of one registry file not yet saved, the latest per workspace and conversation, in the order they first
 * came (the first conversation to touch a new workspace owns it). Guarded by the file's lock.
 */
final class PendingTouches {
  private final Map<String, Touch> touches = new LinkedHashMap<>();
  private boolean flushScheduled;

  record Touch(String id, String conversationId, Instant at) {
    /**
     * Applies this touch to {@code e}; idempotent, so that it can be re-applied over a re-read file. A record changed
     * later than the touch keeps its later {@code updatedAt}.
     */
    WorkspaceRecord applyTo(RegistryEntries e) {
      WorkspaceRecord old = e.records.get(id);
      WorkspaceRecord r = old == null
          ? new WorkspaceRecord(id, "", "", WorkspaceRecord.ACTIVE, conversationId, at, at, at)
          : old.usedBy(conversationId, old.updatedAt().isAfter(at) ? old.updatedAt() : at);
      e.records.put(id, r);
      return r;
    }
  }

  void add(Touch t) {
    touches.put(t.id() + '\n' + t.conversationId(), t);
  }

  void applyTo(RegistryEntries e) {
    for (Touch t : touches.values()) t.applyTo(e);
  }

  boolean isEmpty() {
    return touches.isEmpty();
  }

  void clear() {
    touches.clear();
  }

  /** True if the caller must schedule a flush: none is scheduled yet. */
  boolean scheduleFlush() {
    if (flushScheduled) return false;
    flushScheduled = true;
    return true;
  }

  void flushStarted() {
    flushScheduled = false;
  }
}
