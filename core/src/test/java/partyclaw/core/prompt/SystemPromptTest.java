package partyclaw.core.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import partyclaw.core.prompt.SystemPrompt.BuiltPrompt;
import partyclaw.core.prompt.SystemPrompt.Inputs;
import partyclaw.core.prompt.SystemPrompt.ModelLine;

class SystemPromptTest {
  static final List<ModelLine> CATALOG = List.of(new ModelLine("gpt", "fast general model"), new ModelLine("mini", null));

  static Inputs full(AgentKind kind) {
    return new Inputs(kind, "/w/workspaces/ws1/files", "zh-CN", "gpt", "fast general model", CATALOG, "I am Claw.",
        "name: Ada", "A Java port of a chat daemon.", "Deploy only on Fridays.", "layered", null,
        "[partyclaw Skills]\n- pdf: read PDFs", "/opt/partyclaw", List.of("/srv/docs (read-only)"),
        "Remote workpaths:\n- box: /srv/app — the app\n  AGENTS.md: not found");
  }

  static Inputs bare(AgentKind kind) {
    return new Inputs(kind, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  @Test
  void everySectionAppearsInOrderWhenItsInputIsGiven() {
    BuiltPrompt p = SystemPrompt.build(full(AgentKind.MAIN_FOREGROUND));
    String t = p.text();
    List<String> markers = List.of(
        "[partyclaw Main Foreground Agent]\n",
        "Workspace root: /w/workspaces/ws1/files\n",
        "- Install software under /opt/partyclaw (",
        "- Reply in zh-CN unless the user asks for another language.",
        "\n\nCurrent model profile: gpt - fast general model\n\n",
        "Available models:\n- gpt: fast general model\n- mini\n\n",
        "Delegation:\n",
        "\n\nIdentity:\nI am Claw.\n\n",
        "User meta:\nname: Ada\n\n",
        "Current workspace summary:\nA Java port of a chat daemon.\n\n",
        "Runtime notes:\nDeploy only on Fridays.\n\n",
        "Remote workpaths:\n- box: /srv/app — the app\n  AGENTS.md: not found\n\n",
        "Local mounts (host folders visible to your tools at the same path):\n- /srv/docs (read-only)\n\n",
        "Memory mode: layered.\nOlder parts of this conversation are compacted into summaries; find details with"
            + " memory_search and rollout_search, and read a past exchange in full with rollout_read.\n\n");
    int at = -1;
    for (String m : markers) {
      int next = t.indexOf(m);
      assertTrue(next > at, "missing or out of order: " + m);
      at = next;
    }
    assertTrue(t.startsWith("[partyclaw Main Foreground Agent]\n"));
    assertTrue(t.endsWith("\n\n[partyclaw Skills]\n- pdf: read PDFs"));
    assertEquals(SystemPrompt.PART_NAMES, new ArrayList<>(p.partSizes().keySet()));
    p.partSizes().forEach((name, size) -> assertTrue(size > 0, name));
    assertEquals(t.length(), sum(p.partSizes()) + 2 * (SystemPrompt.PART_NAMES.size() - 1),
        "parts plus their blank-line separators make up the whole text");
  }

  @Test
  void aRemoteWorkpathChangesTheStaticHashAndNoneLeavesItAsBefore() {
    Inputs f = full(AgentKind.MAIN_FOREGROUND);
    Inputs without = new Inputs(f.kind(), f.workspaceRoot(), f.language(), f.modelAlias(), f.modelDescription(),
        f.availableModels(), f.identity(), f.userMeta(), f.workspaceSummary(), f.runtimeNotes(), f.memoryMode(),
        f.partclawMd(), f.skillsBlock(), f.globalInstallRoot(), f.localMounts());
    Inputs other = new Inputs(f.kind(), f.workspaceRoot(), f.language(), f.modelAlias(), f.modelDescription(),
        f.availableModels(), f.identity(), f.userMeta(), f.workspaceSummary(), f.runtimeNotes(), f.memoryMode(),
        f.partclawMd(), f.skillsBlock(), f.globalInstallRoot(), f.localMounts(), "Remote workpaths:\n- box: /srv/b");
    assertEquals(3, java.util.Set.of(SystemPrompt.build(f).staticHash(), SystemPrompt.build(without).staticHash(),
        SystemPrompt.build(other).staticHash()).size());
    Inputs blank = new Inputs(f.kind(), f.workspaceRoot(), f.language(), f.modelAlias(), f.modelDescription(),
        f.availableModels(), f.identity(), f.userMeta(), f.workspaceSummary(), f.runtimeNotes(), f.memoryMode(),
        f.partclawMd(), f.skillsBlock(), f.globalInstallRoot(), f.localMounts(), "");
    assertEquals(SystemPrompt.build(without).staticHash(), SystemPrompt.build(blank).staticHash());
  }

  @Test
  void sectionsWithoutInputAreLeftOut() {
    BuiltPrompt p = SystemPrompt.build(bare(AgentKind.MAIN_FOREGROUND));
    String t = p.text();
    for (String absent : List.of("Workspace root:", "Current model profile:", "Available models:", "Identity:",
        "User meta:", "Current workspace summary:", "Runtime notes:", "Memory mode:", "PARTCLAW.md:",
        "Install software under", "[partyclaw Skills]")) {
      assertFalse(t.contains(absent), absent);
    }
    assertTrue(t.contains("\n- Reply in the language the user writes in."));
    assertEquals(SystemPrompt.PART_NAMES, new ArrayList<>(p.partSizes().keySet()));
    assertEquals(List.of("intro", "kind_rules"),
        p.partSizes().entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).toList());
    assertEquals(t.length(), sum(p.partSizes()) + 2);
  }

  @Test
  void blankInputsCountAsMissing() {
    Inputs blank = new Inputs(AgentKind.SUB_AGENT, " ", "", "  ", "x", List.of(), "\n", " ", "", " ", "", "", " ", "");
    assertEquals(SystemPrompt.build(bare(AgentKind.SUB_AGENT)).text(), SystemPrompt.build(blank).text());
  }

  @Test
  void claudeCodeMemoryShowsItsGuidanceAndPartclawMd() {
    Inputs in = withMemory(full(AgentKind.MAIN_FOREGROUND), "claude_code", "# PARTCLAW.md\n- build: mvn test\n");
    BuiltPrompt p = SystemPrompt.build(in);
    String memory = p.text().substring(p.text().indexOf("Memory mode: claude_code.\n"), p.text().indexOf("\n\n[partyclaw Skills]"));
    assertEquals(3, memory.substring(0, memory.indexOf("PARTCLAW.md:\n")).strip().lines().count(),
        "three guidance lines, then the file");
    assertTrue(memory.endsWith("\nPARTCLAW.md:\n# PARTCLAW.md\n- build: mvn test"));
    assertEquals(memory.length(), p.partSizes().get("memory"));
    assertFalse(p.text().contains("memory_search"));

    String withoutFile = SystemPrompt.build(withMemory(in, "claude_code", "  ")).text();
    assertTrue(withoutFile.contains("Memory mode: claude_code.\n"));
    assertFalse(withoutFile.contains("PARTCLAW.md:"));
    assertFalse(SystemPrompt.build(withMemory(in, "layered", "# ignored in layered mode")).text().contains("PARTCLAW.md:"));
  }

  @Test
  void anUnknownMemoryModeIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> withMemory(full(AgentKind.MAIN_FOREGROUND), "vector", null));
    assertEquals("memory mode must be layered or claude_code, not vector", e.getMessage());
  }

  @Test
  void eachKindHasItsHeaderAndRules() {
    String fg = SystemPrompt.build(full(AgentKind.MAIN_FOREGROUND)).text();
    String bg = SystemPrompt.build(full(AgentKind.MAIN_BACKGROUND)).text();
    String sub = SystemPrompt.build(full(AgentKind.SUB_AGENT)).text();
    assertTrue(fg.startsWith("[partyclaw Main Foreground Agent]\n"));
    assertTrue(bg.startsWith("[partyclaw Main Background Agent]\n"));
    assertTrue(sub.startsWith("[partyclaw Sub-Agent]\n"));

    String interrupted = "\n- A message starting with [Interrupted Follow-up] arrived while you were working:"
        + " acknowledge it with user_tell before doing more tool work, then adapt your plan.\n";
    assertTrue(fg.contains(interrupted));
    assertTrue(fg.contains("[Runtime Prompt Updates], [Runtime Skill Updates] and [System Tip: ...]"));
    assertTrue(fg.contains("\n\nDelegation:\n- Do small or tightly coupled work yourself."));
    assertTrue(fg.contains("shared_profile_upload"));

    assertFalse(bg.contains("[Interrupted Follow-up]"));
    assertTrue(bg.contains("user_tell") && bg.contains("shared_profile_upload"));
    assertTrue(bg.contains("\n\nBackground work:\n"));
    assertTrue(bg.contains("call terminate to end silently"));

    assertFalse(sub.contains("user_tell"));
    assertFalse(sub.contains("shared_profile_upload"));
    assertTrue(sub.contains("\n\nSub-agent work:\n"));
    for (String common : List.of("- Never invent results", "- Use file_read, grep, glob and ls instead of cat",
        "- Run independent tool calls in one batch", "<attachment>relative/path</attachment>",
        ".skill_memory/<skill-name>/", "AGENTS.md file holds instructions for its directory")) {
      assertTrue(fg.contains(common) && bg.contains(common) && sub.contains(common), common);
    }
  }

  @Test
  void theForegroundPromptStaysCompact() {
    BuiltPrompt p = SystemPrompt.build(full(AgentKind.MAIN_FOREGROUND));
    int staticChars = p.partSizes().get("intro") + p.partSizes().get("kind_rules") + p.partSizes().get("memory");
    assertTrue(staticChars >= 2500 && staticChars <= 5000, "static text is " + staticChars + " chars");
  }

  @Test
  void staticHashIsStableAndCoversOnlyTheStaticParts() {
    Inputs base = full(AgentKind.MAIN_FOREGROUND);
    String hash = SystemPrompt.build(base).staticHash();
    assertEquals(hash, SystemPrompt.build(full(AgentKind.MAIN_FOREGROUND)).staticHash());
    assertTrue(hash.matches("[0-9a-f]{64}"), hash);

    List<Inputs> sameStatic = List.of(
        new Inputs(base.kind(), base.workspaceRoot(), base.language(), base.modelAlias(), base.modelDescription(),
            base.availableModels(), "Someone else.", "name: Bob", "other summary", "other notes", base.memoryMode(),
            "ignored", "[partyclaw Skills]\n- other: skill", base.globalInstallRoot(), base.localMounts(),
            base.remoteWorkpaths()),
        new Inputs(base.kind(), base.workspaceRoot(), base.language(), base.modelAlias(), base.modelDescription(),
            base.availableModels(), null, null, null, null, base.memoryMode(), null, null, base.globalInstallRoot(), base.localMounts(),
            base.remoteWorkpaths()));
    for (Inputs in : sameStatic) assertEquals(hash, SystemPrompt.build(in).staticHash(), in.toString());

    List<Inputs> otherStatic = List.of(
        new Inputs(base.kind(), base.workspaceRoot(), base.language(), "mini", null,
            base.availableModels(), base.identity(), base.userMeta(), base.workspaceSummary(), base.runtimeNotes(),
            base.memoryMode(), null, base.skillsBlock(), base.globalInstallRoot()),
        new Inputs(base.kind(), base.workspaceRoot(), base.language(), base.modelAlias(), "now slow",
            base.availableModels(), base.identity(), base.userMeta(), base.workspaceSummary(), base.runtimeNotes(),
            base.memoryMode(), null, base.skillsBlock(), base.globalInstallRoot()),
        new Inputs(base.kind(), base.workspaceRoot(), base.language(), base.modelAlias(), base.modelDescription(),
            List.of(new ModelLine("gpt", "fast general model")), base.identity(), base.userMeta(),
            base.workspaceSummary(), base.runtimeNotes(), base.memoryMode(), null, base.skillsBlock(),
            base.globalInstallRoot()),
        withMemory(base, "claude_code", null),
        new Inputs(base.kind(), base.workspaceRoot(), base.language(), base.modelAlias(), base.modelDescription(),
            base.availableModels(), base.identity(), base.userMeta(), base.workspaceSummary(), base.runtimeNotes(),
            base.memoryMode(), null, base.skillsBlock(), base.globalInstallRoot(), List.of("/srv/other (read-write)")),
        full(AgentKind.MAIN_BACKGROUND));
    for (Inputs in : otherStatic) assertNotEquals(hash, SystemPrompt.build(in).staticHash(), in.toString());
  }

  @Test
  void theFiveArgumentInputsMakeAForegroundPromptWithAnAliasCatalog() {
    String t = SystemPrompt.build(new Inputs("/ws", "en", "other", "", List.of("main", "other"))).text();
    assertTrue(t.startsWith("[partyclaw Main Foreground Agent]\n"));
    assertTrue(t.contains("\nWorkspace root: /ws\n"));
    assertTrue(t.contains("\n\nCurrent model profile: other\n\nAvailable models:\n- main\n- other\n\nDelegation:\n"));
    assertFalse(t.contains("Memory mode:"));
  }

  private static Inputs withMemory(Inputs b, String mode, String partclawMd) {
    return new Inputs(b.kind(), b.workspaceRoot(), b.language(), b.modelAlias(), b.modelDescription(),
        b.availableModels(), b.identity(), b.userMeta(), b.workspaceSummary(), b.runtimeNotes(), mode, partclawMd,
        b.skillsBlock(), b.globalInstallRoot());
  }

  private static int sum(Map<String, Integer> sizes) {
    return sizes.values().stream().mapToInt(Integer::intValue).sum();
  }
}
