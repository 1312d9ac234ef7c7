package partyclaw.core.workdir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceSeederTest {
  @TempDir Path tmp;
  Workdir w;
  Path ws;

  @BeforeEach
  void seedWorkdir() throws Exception {
    w = new Workdir(tmp.resolve("workdir"));
    WorkdirSeeder.seed(w);
    Files.writeString(w.rundir().resolve("AGENTS.md"), "global notes");
    Files.writeString(w.rundir().resolve("tmp/keep.txt"), "template file");
    Files.createDirectories(w.skillsStore().resolve("mine"));
    Files.writeString(w.skillsStore().resolve("mine/SKILL.md"), "---\nname: mine\n---\n");
    Files.writeString(w.skillMemory().resolve("note.txt"), "memory");
    Files.writeString(w.sharedUserProfile(), "---\nname: Ada\n---\n");
    Files.writeString(w.sharedIdentity(), "I am Claw.");
    ws = w.workspaceFiles("ws1");
  }

  @Test
  void copiesTheTemplateAndProfilesAndLinksSkillMemory() throws Exception {
    WorkspaceSeeder.seed(w, ws);

    assertEquals(List.of(".skill_memory", "AGENTS.md", "IDENTITY.md", "PARTCLAW.md", "USER.md", "tmp",
        "tmp/keep.txt"), WorkdirSeederTest.listing(ws).stream().filter(p -> !p.isEmpty()).toList());
    assertEquals("global notes", Files.readString(ws.resolve("AGENTS.md")));
    assertEquals(Files.readString(w.rundir().resolve("PARTCLAW.md")), Files.readString(ws.resolve("PARTCLAW.md")));
    assertEquals("template file", Files.readString(ws.resolve("tmp/keep.txt")));
    assertEquals("---\nname: Ada\n---\n", Files.readString(ws.resolve("USER.md")));
    assertEquals("I am Claw.", Files.readString(ws.resolve("IDENTITY.md")));
    Path link = ws.resolve(".skill_memory");
    assertTrue(Files.isSymbolicLink(link));
    assertEquals(w.skillMemory(), Files.readSymbolicLink(link));
    assertEquals("memory", Files.readString(link.resolve("note.txt")));
    assertFalse(Files.exists(ws.resolve(".skills")));
    assertFalse(Files.exists(ws.resolve("skill_memory")));
  }

  @Test
  void whatTheTemplateGainsReachesTheNextSeedingThoughItsListingIsKept() throws Exception {
    java.nio.file.attribute.FileTime anHourAgo =
        java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(3600));
    Files.setLastModifiedTime(w.rundir(), anHourAgo);
    Files.setLastModifiedTime(w.rundir().resolve("tmp"), anHourAgo);
    WorkspaceSeeder.seed(w, ws); // a settled template: its listing is kept from now on
    WorkspaceSeeder.TemplateListing kept = WorkspaceSeeder.TemplateListing.of(w.rundir());
    assertTrue(kept.settled());
    assertTrue(kept == WorkspaceSeeder.TemplateListing.of(w.rundir()), "unchanged: listed once");

    Files.writeString(w.rundir().resolve("tmp/added.txt"), "new in the template"); // only a nested directory
    WorkspaceSeeder.seed(w, ws);
    assertEquals("new in the template", Files.readString(ws.resolve("tmp/added.txt")));

    Files.createDirectories(w.rundir().resolve("docs"));
    Files.writeString(w.rundir().resolve("docs/guide.md"), "a new directory");
    WorkspaceSeeder.seed(w, ws);
    assertEquals("a new directory", Files.readString(ws.resolve("docs/guide.md")));
  }

  @Test
  void keepsWhatTheWorkspaceAlreadyHasAndAddsOnlyWhatIsMissing() throws Exception {
    WorkspaceSeeder.seed(w, ws);
    Files.writeString(ws.resolve("AGENTS.md"), "workspace rules");
    Files.writeString(ws.resolve("USER.md"), "edited here");
    Files.writeString(ws.resolve("tmp/keep.txt"), "changed");
    Files.delete(ws.resolve("PARTCLAW.md"));
    Files.delete(ws.resolve("IDENTITY.md"));

    WorkspaceSeeder.seed(w, ws);
    WorkspaceSeeder.seed(w, ws);

    assertEquals("workspace rules", Files.readString(ws.resolve("AGENTS.md")));
    assertEquals("edited here", Files.readString(ws.resolve("USER.md")));
    assertEquals("changed", Files.readString(ws.resolve("tmp/keep.txt")));
    assertEquals(Files.readString(w.rundir().resolve("PARTCLAW.md")), Files.readString(ws.resolve("PARTCLAW.md")));
    assertEquals("I am Claw.", Files.readString(ws.resolve("IDENTITY.md")));
  }

  @Test
  void anExistingSkillMemoryEntryIsLeftAlone() throws Exception {
    Files.createDirectories(ws.resolve(".skill_memory"));
    Files.writeString(ws.resolve(".skill_memory/own.txt"), "x");
    WorkspaceSeeder.seed(w, ws);
    assertFalse(Files.isSymbolicLink(ws.resolve(".skill_memory")));
    assertEquals("x", Files.readString(ws.resolve(".skill_memory/own.txt")));
  }

  @Test
  void neverWritesThroughALinkTheAgentPutInPlaceOfATemplateDirectory() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.createDirectories(ws);
    Files.createSymbolicLink(ws.resolve("tmp"), outside);
    WorkspaceSeeder.seed(w, ws);
    assertEquals(List.of(), WorkdirSeederTest.listing(outside).stream().filter(p -> !p.isEmpty()).toList());
  }

  @Test
  void withoutASeededWorkdirOnlyTheDirectoryAndLinkAppear() throws Exception {
    Workdir bare = new Workdir(tmp.resolve("bare"));
    Path files = bare.workspaceFiles("ws2");
    WorkspaceSeeder.seed(bare, files);
    assertEquals(List.of(".skill_memory"), WorkdirSeederTest.listing(files).stream().filter(p -> !p.isEmpty()).toList());
    assertTrue(Files.isDirectory(bare.skillMemory()));
  }
}
