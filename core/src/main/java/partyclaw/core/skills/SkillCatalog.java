package partyclaw.core.skills;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The skills found under one root (runtime.md §5), with what could not be used. Unlike the reference, a broken
 * or duplicate skill does not break every step: it is left out and described in {@link #problems()}.
 */
public record SkillCatalog(List<SkillManifest> skills, List<String> problems) {
  /** Classpath location of the built-in skill that teaches the agent to write skills; seeded into the store. */
  public static final String BUILTIN_SKILL_CREATOR_RESOURCE = "/partyclaw/templates/skill-creator/SKILL.md";

  static final String SKILL_FILE = "SKILL.md";
  private static final Map<Path, Parsed> PARSED = new ConcurrentHashMap<>();
  static final List<String> INSTRUCTIONS = List.of(
      "Skills are instructions for specific tasks; load one with skill_load before using it (only its name and "
          + "description are listed here).",
      "Only load the skills the current task needs.",
      ".skill_memory/<skill-name>/ is for a loaded skill's own notes; use it only when that skill asks for it.",
      "To create or update a skill, stage <workspace>/.skills/<name>/SKILL.md (and its other files), then call "
          + "skill_create or skill_update.");

  public SkillCatalog {
    skills = List.copyOf(skills);
    problems = List.copyOf(problems);
  }

  /**
   * A root with its own SKILL.md is one skill; otherwise each direct subdirectory with a SKILL.md is one, in
   * directory-name order. Hidden directories are skipped (the store keeps its in-progress copies there). A
   * missing root is an empty catalog.
   */
  public static SkillCatalog discover(Path root) {
    List<SkillManifest> skills = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    if (!Files.isDirectory(root)) return new SkillCatalog(skills, problems);
    Path own = root.resolve(SKILL_FILE);
    if (Files.isRegularFile(own)) {
      add(own, skills, problems, new HashMap<>());
      return new SkillCatalog(skills, problems);
    }
    List<Path> dirs = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
      for (Path p : ds) {
        if (!p.getFileName().toString().startsWith(".") && Files.isDirectory(p)) dirs.add(p);
      }
    } catch (IOException e) {
      problems.add(root + ": cannot list the skills directory (" + e.getClass().getSimpleName() + ")");
      return new SkillCatalog(skills, problems);
    }
    dirs.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    Map<String, Path> seen = new HashMap<>();
    for (Path dir : dirs) {
      Path file = dir.resolve(SKILL_FILE);
      if (Files.isRegularFile(file)) add(file, skills, problems, seen);
    }
    return new SkillCatalog(skills, problems);
  }

  private static void add(Path file, List<SkillManifest> skills, List<String> problems, Map<String, Path> seen) {
    SkillManifest m;
    try {
      m = parseUnlessUnchanged(file);
    } catch (SkillException e) {
      problems.add(e.getMessage());
      return;
    }
    Path first = seen.putIfAbsent(m.name(), file);
    if (first != null) {
      problems.add(file + ": name \"" + m.name() + "\" is already used by " + first + "; this skill is skipped");
      return;
    }
    skills.add(m);
  }

  /**
   * The store is read before every turn of every conversation; a manifest whose file is unchanged (same inode, size
   * and modification time) is not read and parsed again. Only parsed manifests are kept, so a broken one is
   * reported at every turn until fixed. Entries of deleted skills stay until the file reappears: a few per store.
   */
  private static SkillManifest parseUnlessUnchanged(Path file) {
    FileStamp stamp = FileStamp.of(file);
    Parsed known = PARSED.get(file);
    if (stamp != null && known != null && known.stamp().equals(stamp)) return known.manifest();
    SkillManifest m = SkillManifest.parse(file);
    if (stamp != null) PARSED.put(file, new Parsed(stamp, m));
    return m;
  }

  private record Parsed(FileStamp stamp, SkillManifest manifest) {}

  private record FileStamp(Object fileKey, FileTime modified, long size) {
    static FileStamp of(Path file) {
      try {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return new FileStamp(a.fileKey(), a.lastModifiedTime(), a.size());
      } catch (IOException e) {
        return null;
      }
    }
  }

  public Optional<SkillManifest> find(String name) {
    return skills.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  public List<String> names() {
    return skills.stream().map(SkillManifest::name).toList();
  }

  /** The system prompt's skills section: header, how to use skills, one line per skill; empty with no skills. */
  public String metadataBlock() {
    if (skills.isEmpty()) return "";
    List<String> lines = new ArrayList<>();
    lines.add("[AgentFrame Skills]");
    lines.addAll(INSTRUCTIONS);
    for (SkillManifest s : skills) lines.add("- " + s.name() + ": " + s.description());
    return String.join("\n", lines);
  }
}
