package partyclaw.core.workspace;

import java.time.Instant;

/**
 * A read-only copy of another workspace that {@code workspace_mount} put at {@code mounts/<mountName>} of the
 * workspace that records it. The record is what lets a later mount under the same name replace the copy: a
 * directory of that name without a record is the user's, and is never deleted.
 */
public record WorkspaceMount(String mountName, String sourceWorkspaceId, Instant mountedAt) {}
