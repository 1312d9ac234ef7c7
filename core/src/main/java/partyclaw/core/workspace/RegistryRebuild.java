package partyclaw.core.workspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import partyclaw.core.workdir.Workdir;

/**
 * Recreates registry records from what is on disk, when {@code workspaces.json} is missing or unreadable: one
 * record per {@code workspaces/<id>/files/}, times from the directory, the summary from
 * {@code workspace_meta/<id>/summary.md}. Owners cannot be recovered, so the records start unowned (hidden from
 * every conversation until one uses the workspace again).
 */
final class RegistryRebuild {
  private static final Logger log = LoggerFactory.getLogger(RegistryRebuild.class);

  private RegistryRebuild() {}

  static RegistryEntries fromDirectories(Workdir w) {
    RegistryEntries entries = new RegistryEntries();
    Path dir = w.workspacesDir();
    if (!Files.isDirectory(dir)) return entries;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String id = p.getFileName().toString();
        Path files = w.workspaceFiles(id);
        if (!WorkspaceIds.valid(id) || !Files.isDirectory(files, LinkOption.NOFOLLOW_LINKS)) continue;
        BasicFileAttributes a = Files.readAttributes(files, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Instant created = a.creationTime().toInstant().truncatedTo(ChronoUnit.MILLIS);
        Instant modified = a.lastModifiedTime().toInstant().truncatedTo(ChronoUnit.MILLIS);
        entries.records.put(id, new WorkspaceRecord(id, "", summary(w, id), WorkspaceRecord.ACTIVE, null, created,
            modified, modified));
      }
    } catch (IOException e) {
      log.warn("cannot list {} to rebuild the workspace registry ({}); starting with what was found", dir,
          e.toString());
    }
    return entries;
  }

  private static String summary(Workdir w, String id) {
    Path file = w.workspaceMeta(id).resolve(WorkspaceRegistry.SUMMARY_FILE);
    try {
      return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : "";
    } catch (IOException e) {
      return "";
    }
  }
}
