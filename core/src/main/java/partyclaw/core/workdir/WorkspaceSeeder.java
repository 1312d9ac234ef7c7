package partyclaw.core.workdir;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import partyclaw.core.util.AtomicFiles;
import partyclaw.core.util.FileTexts;

/**
 * Fills a workspace's files directory with what it should hold (runtime.md §7.4): the {@code rundir/}
 * template, the shared profile files and the {@code .skill_memory} link. Runs before every turn, so it only
 * adds what is missing and costs a few stat calls when nothing is.
 *
 * <p>Unlike the reference, {@code .skills} is not copied: skills are read from the global store, so a
 * workspace copy would only go stale. {@code skill_memory} is reached through the link instead.
 */
public final class WorkspaceSeeder {
  static final String SKILL_MEMORY_LINK = ".skill_memory";
  private static final Set<String> NOT_COPIED = Set.of(".skills", "skill_memory");
  private static final Logger log = LoggerFactory.getLogger(WorkspaceSeeder.class);
  private static final AtomicBoolean symlinkRefusalLogged = new AtomicBoolean();

  private WorkspaceSeeder() {}

  public static void seed(Workdir w, Path workspaceFiles) throws IOException {
    // checked first: createDirectories on an existing directory costs a failing mkdir and a stat, every turn
    if (!Files.isDirectory(workspaceFiles)) Files.createDirectories(workspaceFiles);
    copyTemplate(w.rundir(), workspaceFiles);
    copyIfMissing(w.sharedUserProfile(), workspaceFiles.resolve(w.sharedUserProfile().getFileName().toString()));
    copyIfMissing(w.sharedIdentity(), workspaceFiles.resolve(w.sharedIdentity().getFileName().toString()));
    linkSkillMemory(w, workspaceFiles);
  }

  private static void copyTemplate(Path rundir, Path workspace) throws IOException {
    TemplateListing template = TemplateListing.of(rundir);
    if (template == null) return;
    List<Path> blocked = new ArrayList<>();
    for (TemplateListing.Entry e : template.entries()) {
      if (blocked.stream().anyMatch(e.relative()::startsWith)) continue;
      Path target = workspace.resolve(e.relative().toString());
      if (!e.directory()) {
        copyIfMissing(rundir.resolve(e.relative()), target);
        continue;
      }
      // Never write through something the agent put in the way (a file, or a link that may lead outside).
      BasicFileAttributes existing = attributesOrNull(target);
      // without following links: a link to a directory is not a directory here
      if (existing == null) Files.createDirectories(target);
      else if (!existing.isDirectory()) blocked.add(e.relative());
    }
  }

  /**
   * The template's directories and regular files, a directory before what it holds (links are neither followed nor
   * copied), listed again only when one of its directories changed: seeding runs before every turn, and the
   * template hardly ever changes. A listing taken less than {@link FileTexts#SETTLED_MILLIS} after a directory
   * changed is not trusted later, as FileTexts does for files.
   */
  record TemplateListing(Path rundir, List<Entry> entries, Map<Path, FileTime> directories, boolean settled) {
    record Entry(Path relative, boolean directory) {}

    private static volatile TemplateListing last;

    /** The listing of {@code rundir}; null when it is not a directory. */
    static TemplateListing of(Path rundir) throws IOException {
      TemplateListing l = last;
      if (l != null && l.rundir().equals(rundir) && l.settled() && l.unchanged()) return l;
      l = list(rundir);
      last = l;
      return l;
    }

    private boolean unchanged() {
      for (Map.Entry<Path, FileTime> d : directories.entrySet()) {
        BasicFileAttributes now = attributesOrNull(d.getKey());
        if (now == null || !now.isDirectory() || !now.lastModifiedTime().equals(d.getValue())) return false;
      }
      return true;
    }

    private static TemplateListing list(Path rundir) throws IOException {
      long now = System.currentTimeMillis();
      BasicFileAttributes root = attributesOrNull(rundir);
      if (root == null || !root.isDirectory()) return null;
      List<Entry> entries = new ArrayList<>();
      Map<Path, FileTime> directories = new HashMap<>();
      // walkFileTree without FOLLOW_LINKS: links in the template are neither followed nor copied.
      Files.walkFileTree(rundir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          if (rundir.equals(dir.getParent()) && NOT_COPIED.contains(dir.getFileName().toString())) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          directories.put(dir, attrs.lastModifiedTime());
          if (!dir.equals(rundir)) entries.add(new Entry(rundir.relativize(dir), true));
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.isRegularFile()) entries.add(new Entry(rundir.relativize(file), false));
          return FileVisitResult.CONTINUE;
        }
      });
      boolean settled = directories.values().stream()
          .allMatch(t -> now - t.toMillis() >= FileTexts.SETTLED_MILLIS);
      return new TemplateListing(rundir, List.copyOf(entries), Map.copyOf(directories), settled);
    }
  }

  private static BasicFileAttributes attributesOrNull(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException missing) {
      return null;
    }
  }

  private static void copyIfMissing(Path source, Path target) throws IOException {
    if (WorkdirSeeder.exists(target) || !Files.isRegularFile(source)) return;
    AtomicFiles.write(target, Files.readAllBytes(source));
  }

  private static void linkSkillMemory(Workdir w, Path workspace) throws IOException {
    Path link = workspace.resolve(SKILL_MEMORY_LINK);
    if (WorkdirSeeder.exists(link)) return;
    Files.createDirectories(w.skillMemory());
    try {
      Files.createSymbolicLink(link, w.skillMemory());
    } catch (FileAlreadyExistsException raced) {
      // another seeding of the same workspace created it first
    } catch (UnsupportedOperationException | IOException refused) {
      if (symlinkRefusalLogged.compareAndSet(false, true)) {
        log.warn("cannot create the {} symlink in {} ({}); workspaces get an empty {} directory instead, and "
            + "skill memory is not shared between them", SKILL_MEMORY_LINK, workspace, refused.toString(),
            SKILL_MEMORY_LINK);
      }
      Files.createDirectories(link);
    }
  }
}
