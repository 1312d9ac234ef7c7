package partyclaw.core.workspace;

import java.time.Instant;

/**
 * One workspace as the registry knows it (runtime.md §7.4).
 *
 * @param state {@link #ACTIVE} or {@link #ARCHIVED}
 * @param ownerConversation the first conversation that used the workspace; the only one the workspace tools show it
 *     to. Null when the owner is unknown (a record rebuilt from the directories after the registry file was lost);
 *     the next conversation that uses it as its current workspace claims it.
 * @param lastContentModifiedAt when the files were last changed through the daemon; archiving counts from here
 */
public record WorkspaceRecord(
    String id,
    String title,
    String summary,
    String state,
    String ownerConversation,
    Instant createdAt,
    Instant updatedAt,
    Instant lastContentModifiedAt) {

  public static final String ACTIVE = "active";
  public static final String ARCHIVED = "archived";

  public WorkspaceRecord {
    title = title == null ? "" : title;
    summary = summary == null ? "" : summary;
    state = ARCHIVED.equals(state) ? ARCHIVED : ACTIVE;
  }

  public boolean archived() {
    return ARCHIVED.equals(state);
  }

  public boolean ownedBy(String conversationId) {
    return ownerConversation != null && ownerConversation.equals(conversationId);
  }

  WorkspaceRecord withTitle(String t, Instant now) {
    return new WorkspaceRecord(id, t, summary, state, ownerConversation, createdAt, now, lastContentModifiedAt);
  }

  WorkspaceRecord withSummary(String s, Instant now) {
    return new WorkspaceRecord(id, title, s, state, ownerConversation, createdAt, now, lastContentModifiedAt);
  }

  WorkspaceRecord withState(String s) {
    return new WorkspaceRecord(id, title, summary, s, ownerConversation, createdAt, updatedAt, lastContentModifiedAt);
  }

  /** Used now: active again, and claimed by {@code conversationId} if nobody owned it. */
  WorkspaceRecord usedBy(String conversationId, Instant now) {
    String owner = ownerConversation == null ? conversationId : ownerConversation;
    return new WorkspaceRecord(id, title, summary, ACTIVE, owner, createdAt, now, lastContentModifiedAt);
  }

  WorkspaceRecord modified(Instant now) {
    return new WorkspaceRecord(id, title, summary, ACTIVE, ownerConversation, createdAt, now, now);
  }
}
