package partyclaw.core.workdir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.profile.ProfileText;

class WorkdirSeederTest {
  @TempDir Path tmp;

  @Test
  void createsEveryMissingFileAndDirectory() throws Exception {
    Workdir w = new Workdir(tmp);
    WorkdirSeeder.seed(w);

    assertArrayEquals(Templates.required("USER.md"), Files.readAllBytes(w.sharedUserProfile()));
    assertArrayEquals(Templates.required("IDENTITY.md"), Files.readAllBytes(w.sharedIdentity()));
    assertEquals(0, Files.size(w.rundir().resolve("AGENTS.md")));
    assertArrayEquals(Templates.required("PARTCLAW.md"), Files.readAllBytes(w.rundir().resolve("PARTCLAW.md")));
    assertTrue(Files.isDirectory(w.rundir().resolve("tmp")));
    assertTrue(Files.isDirectory(w.skillMemory()));
    assertTrue(Files.isDirectory(w.skillsStore()));
    Path skill = w.skillsStore().resolve("skill-creator/SKILL.md");
    Optional<byte[]> builtIn = Templates.optional(WorkdirSeeder.SKILL_CREATOR_RESOURCE);
    if (builtIn.isPresent()) {
      assertArrayEquals(builtIn.get(), Files.readAllBytes(skill));
    } else {
      assertFalse(Files.exists(skill), "without the resource the skill is skipped, not faked");
    }
    assertEquals(List.of(), leftoverTempFiles(tmp));
  }

  @Test
  void templatesGiveAnEmptyIdentityAndAUserMetaWithTheDocumentedFields() throws Exception {
    Workdir w = new Workdir(tmp);
    WorkdirSeeder.seed(w);
    assertEquals("", ProfileText.identity(Files.readString(w.sharedIdentity())));
    assertEquals("name:\npreferred_language:\ntimezone:\nrole:\nnotes:",
        ProfileText.userMeta(Files.readString(w.sharedUserProfile())));
  }

  @Test
  void neverOverwritesWhatIsThereAndIsIdempotent() throws Exception {
    Workdir w = new Workdir(tmp);
    Files.createDirectories(w.agentDir());
    Files.createDirectories(w.rundir());
    Files.writeString(w.sharedUserProfile(), "---\nname: Ada\n---\n");
    Files.writeString(w.sharedIdentity(), "");
    Files.writeString(w.rundir().resolve("AGENTS.md"), "operator notes");
    Files.writeString(w.rundir().resolve("PARTCLAW.md"), "mine");
    Path skill = w.skillsStore().resolve("skill-creator/SKILL.md");
    Files.createDirectories(skill.getParent());
    Files.writeString(skill, "edited skill");

    WorkdirSeeder.seed(w);
    WorkdirSeeder.seed(w);

    assertEquals("---\nname: Ada\n---\n", Files.readString(w.sharedUserProfile()));
    assertEquals("", Files.readString(w.sharedIdentity()));
    assertEquals("operator notes", Files.readString(w.rundir().resolve("AGENTS.md")));
    assertEquals("mine", Files.readString(w.rundir().resolve("PARTCLAW.md")));
    assertEquals("edited skill", Files.readString(skill));
    assertTrue(Files.isDirectory(w.rundir().resolve("tmp")));
    assertTrue(Files.isDirectory(w.skillMemory()));
  }

  @Test
  void aSecondSeedLeavesAFreshlySeededWorkdirAsItWas() throws Exception {
    Workdir w = new Workdir(tmp);
    WorkdirSeeder.seed(w);
    List<String> before = listing(tmp);
    Files.writeString(w.sharedIdentity(), "I am Claw.");
    WorkdirSeeder.seed(w);
    assertEquals(before, listing(tmp));
    assertEquals("I am Claw.", Files.readString(w.sharedIdentity()));
  }

  static List<String> listing(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }

  private static List<String> leftoverTempFiles(Path root) throws Exception {
    return listing(root).stream().filter(p -> p.endsWith(".tmp")).toList();
  }
}
