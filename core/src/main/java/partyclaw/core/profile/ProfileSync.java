package partyclaw.core.profile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import partyclaw.core.util.AtomicFiles;
import partyclaw.core.workdir.Workdir;

/**
 * Brings a workspace's USER.md / IDENTITY.md up to date with the shared copies in {@code agent/} before a
 * user turn. The reference copies the shared file over the workspace copy whenever they differ, which throws
 * away an edit the agent has not uploaded yet (runtime.md §9 item 31). Here the newer file wins: the shared
 * copy replaces the workspace copy only when it is missing or older than the shared one.
 */
public final class ProfileSync {
  private ProfileSync() {}

  public static void refresh(Workdir w, Path workspaceFiles) throws IOException {
    refresh(w.sharedUserProfile(), workspaceFiles);
    refresh(w.sharedIdentity(), workspaceFiles);
  }

  private static void refresh(Path shared, Path workspaceFiles) throws IOException {
    if (!Files.isRegularFile(shared)) return;
    Path local = workspaceFiles.resolve(shared.getFileName().toString());
    boolean present = Files.exists(local, LinkOption.NOFOLLOW_LINKS);
    if (present && Files.getLastModifiedTime(shared)
        .compareTo(Files.getLastModifiedTime(local, LinkOption.NOFOLLOW_LINKS)) <= 0) {
      return;
    }
    byte[] content = Files.readAllBytes(shared);
    // Same bytes (e.g. just uploaded from this workspace): nothing to copy.
    if (present && Files.isRegularFile(local, LinkOption.NOFOLLOW_LINKS)
        && Arrays.equals(content, Files.readAllBytes(local))) {
      return;
    }
    // A link in its place is replaced by a file, never written through.
    AtomicFiles.write(local, content);
  }
}
