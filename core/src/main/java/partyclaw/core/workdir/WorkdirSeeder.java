package partyclaw.core.workdir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import partyclaw.core.util.AtomicFiles;

/**
 * Bootstraps a workdir at daemon start (config-and-channels.md §4.4 and its closing paragraph): the shared
 * profile templates in {@code agent/} and the {@code rundir/} template every workspace is seeded from.
 * Only what is missing is created; a file that exists (even an empty one, even a dangling link) is the
 * operator's and is never overwritten.
 */
public final class WorkdirSeeder {
  /** Provided by the skills part of the build; the workdir still starts without it. */
  public static final String SKILL_CREATOR_RESOURCE = "/partyclaw/templates/skill-creator/SKILL.md";

  private static final Logger log = LoggerFactory.getLogger(WorkdirSeeder.class);

  private WorkdirSeeder() {}

  public static void seed(Workdir w) throws IOException {
    Files.createDirectories(w.agentDir());
    Files.createDirectories(w.rundir().resolve("tmp"));
    Files.createDirectories(w.skillMemory());
    Files.createDirectories(w.skillsStore());
    writeIfMissing(w.sharedUserProfile(), Templates.required("USER.md"));
    writeIfMissing(w.sharedIdentity(), Templates.required("IDENTITY.md"));
    writeIfMissing(w.rundir().resolve("AGENTS.md"), new byte[0]);
    writeIfMissing(w.rundir().resolve("PARTCLAW.md"), Templates.required("PARTCLAW.md"));
    seedSkillCreator(w);
  }

  private static void seedSkillCreator(Workdir w) throws IOException {
    Path target = w.skillsStore().resolve("skill-creator").resolve("SKILL.md");
    if (exists(target)) return;
    Optional<byte[]> skill = Templates.optional(SKILL_CREATOR_RESOURCE);
    if (skill.isEmpty()) {
      log.warn("built-in skill {} is missing from the classpath; {} is not seeded", SKILL_CREATOR_RESOURCE, target);
      return;
    }
    Files.createDirectories(target.getParent());
    AtomicFiles.write(target, skill.get());
  }

  private static void writeIfMissing(Path target, byte[] content) throws IOException {
    if (!exists(target)) AtomicFiles.write(target, content);
  }

  static boolean exists(Path p) {
    return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
  }
}
