package partyclaw.core.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.workdir.Workdir;

class PromptSourcesTest {
  @TempDir Path tmp;

  @Test
  void readsSharedProfilesGlobalNotesAndTheWorkspacePartclawMd() throws Exception {
    Workdir w = new Workdir(tmp.resolve("workdir"));
    Path ws = Files.createDirectories(tmp.resolve("ws"));
    Files.createDirectories(w.agentDir());
    Files.createDirectories(w.rundir());
    Files.writeString(w.sharedIdentity(), "# questions\nI am Claw.\n");
    Files.writeString(w.sharedUserProfile(), "---\nname: Ada\n---\nbody\n");
    Files.writeString(w.rundir().resolve("AGENTS.md"), "\nDeploy on Fridays.\n");
    Files.writeString(ws.resolve("AGENTS.md"), "workspace rules are not runtime notes");
    Files.writeString(ws.resolve("IDENTITY.md"), "the workspace copy is not read");
    Files.writeString(ws.resolve("PARTCLAW.md"), "# memory\n- build: mvn\n");

    assertEquals(new PromptSources("I am Claw.", "name: Ada", "Deploy on Fridays.", "# memory\n- build: mvn"),
        PromptSources.read(w, ws, "claude_code"));
    assertEquals(new PromptSources("I am Claw.", "name: Ada", "Deploy on Fridays.", ""),
        PromptSources.read(w, ws, "layered"));
  }

  @Test
  void missingOrUnreadableFilesGiveEmptyParts() throws Exception {
    Workdir w = new Workdir(tmp.resolve("workdir"));
    Path ws = Files.createDirectories(tmp.resolve("ws"));
    Files.createDirectories(w.sharedIdentity()); // a directory cannot be read as a file
    assertEquals(new PromptSources("", "", "", ""), PromptSources.read(w, ws, "claude_code"));
  }
}
