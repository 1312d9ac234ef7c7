package partyclaw.core.skills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkillCatalogTest {
  @TempDir Path tmp;

  private Path skill(Path root, String dir, String name, String description) throws Exception {
    Path file = root.resolve(dir).resolve("SKILL.md");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "---\nname: " + name + "\ndescription: " + description + "\n---\nbody of " + dir + "\n");
    return file;
  }

  @Test
  void aRootWithItsOwnSkillMdIsOneSkill() throws Exception {
    Path root = tmp.resolve("solo");
    skill(tmp, "solo", "solo", "the root itself");
    skill(root, "nested", "nested", "not discovered");
    SkillCatalog c = SkillCatalog.discover(root);
    assertEquals(List.of("solo"), c.names());
    assertEquals(List.of(), c.problems());
  }

  @Test
  void subdirectoriesAreSortedByDirectoryNameWithoutDeeperRecursion() throws Exception {
    Path root = tmp.resolve("store");
    skill(root, "zeta", "zeta", "z");
    skill(root, "alpha", "renamed", "a");
    skill(root, "mid", "mid", "m");
    skill(root.resolve("empty"), "deeper", "deeper", "too deep");
    skill(root, ".new.1234.hidden", "hidden", "in-progress copy");
    Files.writeString(root.resolve("README.md"), "a file, not a skill");
    SkillCatalog c = SkillCatalog.discover(root);
    assertEquals(List.of("renamed", "mid", "zeta"), c.names());
    assertEquals(List.of(), c.problems());
    SkillManifest alpha = c.find("renamed").orElseThrow();
    assertEquals(root.resolve("alpha"), alpha.dir());
    assertEquals("---\nname: renamed\ndescription: a\n---\nbody of alpha\n", alpha.content());
    assertEquals(Optional.empty(), c.find("alpha"));
  }

  @Test
  void aManifestRewrittenInPlaceIsReadAgainAndABrokenOneReportedEachTime() throws Exception {
    Path root = tmp.resolve("store");
    Path file = skill(root, "notes", "notes", "first text");
    assertEquals("first text", SkillCatalog.discover(root).find("notes").orElseThrow().description());

    // Same size, same inode: only the modification time tells the versions apart.
    Files.writeString(file, Files.readString(file).replace("first text", "other text"));
    Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 2000));
    assertEquals("other text", SkillCatalog.discover(root).find("notes").orElseThrow().description());

    Files.writeString(file, "no front matter");
    assertEquals(1, SkillCatalog.discover(root).problems().size());
    assertEquals(1, SkillCatalog.discover(root).problems().size());
    assertEquals(0, SkillCatalog.discover(root).skills().size());
  }

  @Test
  void malformedSkillsAreSkippedIntoProblems() throws Exception {
    Path root = tmp.resolve("store");
    skill(root, "good", "good", "fine");
    Path bad = skill(root, "bad", "Bad_Name", "fine");
    Path open = root.resolve("open/SKILL.md");
    Files.createDirectories(open.getParent());
    Files.writeString(open, "---\nname: open\n");
    SkillCatalog c = SkillCatalog.discover(root);
    assertEquals(List.of("good"), c.names());
    assertEquals(List.of(
        bad + ": name \"Bad_Name\" must be 1-64 characters of a-z, 0-9 and '-'",
        open + ": front matter is not closed: no --- line after the first"), c.problems());
  }

  @Test
  void aDuplicateNameKeepsTheFirstAndIsAProblem() throws Exception {
    Path root = tmp.resolve("store");
    Path first = skill(root, "a-dir", "same", "first");
    Path second = skill(root, "b-dir", "same", "second");
    SkillCatalog c = SkillCatalog.discover(root);
    assertEquals(List.of("same"), c.names());
    assertEquals("first", c.find("same").orElseThrow().description());
    assertEquals(List.of(second + ": name \"same\" is already used by " + first + "; this skill is skipped"),
        c.problems());
  }

  @Test
  void aMissingRootIsAnEmptyCatalog() {
    SkillCatalog c = SkillCatalog.discover(tmp.resolve("absent"));
    assertEquals(new SkillCatalog(List.of(), List.of()), c);
    assertEquals("", c.metadataBlock());
    assertEquals(List.of(), c.names());
  }

  @Test
  void metadataBlockListsEachSkillAfterTheInstructions() throws Exception {
    Path root = tmp.resolve("store");
    skill(root, "pdf", "pdf", "Fill PDF forms. Use when a PDF arrives.");
    skill(root, "ascii", "ascii", "Draw diagrams");
    assertEquals(String.join("\n",
            "[AgentFrame Skills]",
            "Skills are instructions for specific tasks; load one with skill_load before using it (only its name "
                + "and description are listed here).",
            "Only load the skills the current task needs.",
            ".skill_memory/<skill-name>/ is for a loaded skill's own notes; use it only when that skill asks for it.",
            "To create or update a skill, stage <workspace>/.skills/<name>/SKILL.md (and its other files), then "
                + "call skill_create or skill_update.",
            "- ascii: Draw diagrams",
            "- pdf: Fill PDF forms. Use when a PDF arrives."),
        SkillCatalog.discover(root).metadataBlock());
  }

  @Test
  void theBuiltinSkillCreatorParsesAndIsDiscovered() throws Exception {
    String text;
    try (InputStream in = SkillCatalog.class.getResourceAsStream(SkillCatalog.BUILTIN_SKILL_CREATOR_RESOURCE)) {
      assertNotNull(in, SkillCatalog.BUILTIN_SKILL_CREATOR_RESOURCE + " is on the classpath");
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path file = tmp.resolve("store/skill-creator/SKILL.md");
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    SkillManifest m = SkillManifest.parse(file);
    assertEquals("skill-creator", m.name());
    assertTrue(m.description().length() <= SkillManifest.MAX_DESCRIPTION_LENGTH, m.description());
    assertTrue(m.description().contains("Use when"), m.description());
    for (String must : List.of("references/", "scripts/", "assets/", ".skills/<name>/", "skill_create",
        "skill_update", "1-64 characters", "1,024 characters")) {
      assertTrue(text.contains(must), "skill-creator mentions " + must);
    }
    assertEquals(List.of("skill-creator"), SkillCatalog.discover(tmp.resolve("store")).names());
  }
}
