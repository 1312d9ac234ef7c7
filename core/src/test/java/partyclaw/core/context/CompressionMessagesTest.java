package partyclaw.core.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import partyclaw.core.memory.LayeredSummary;
import partyclaw.core.memory.LayeredSummary.ImportantRefs;
import partyclaw.core.transcript.ChatMessage;
import partyclaw.core.transcript.Role;

class CompressionMessagesTest {

  @Test
  void aFullLayeredSummaryHasEverySectionAndTheShortLines() {
    LayeredSummary s = new LayeredSummary("- set up the repo", "- fixed the build\n- ran tests",
        List.of("build", "maven"), new ImportantRefs(List.of("/w/pom.xml"), List.of("mvn -o test"), List.of(),
        List.of(), List.of("exec-7")), List.of(), "- push the branch");
    ChatMessage m = CompressionMessages.layered(s);
    assertEquals(Role.ASSISTANT, m.role());
    assertEquals(List.of(), m.toolCalls());
    assertEquals("""
        [AgentFrame Context Compression]

        ## Old Summary
        - set up the repo

        ## New Summary
        - fixed the build
        - ran tests

        ## Next Step
        - push the branch

        Keywords: build, maven

        Important refs: /w/pom.xml, exec-7, mvn -o test""", m.content());
    assertTrue(CompressionMessages.isCompression(m));
  }

  @Test
  void emptySectionsAndLinesAreOmitted() {
    LayeredSummary s = new LayeredSummary("", "- only this", List.of(" "), null, null, "  ");
    assertEquals("[AgentFrame Context Compression]\n\n## New Summary\n- only this",
        CompressionMessages.layered(s).content());
  }

  @Test
  void longKeywordListsAreShortened() {
    List<String> keywords = new ArrayList<>();
    for (int i = 0; i < 20; i++) keywords.add("k" + i);
    String content = CompressionMessages.layered(new LayeredSummary("", "x", keywords, null, null, "")).content();
    assertTrue(content.endsWith("\n\nKeywords: k0, k1, k2, k3, k4, k5, k6, k7, k8, k9, k10, k11, …"), content);
  }

  @Test
  void claudeCodeHasTheMarkerAPrefaceAndTheText() {
    ChatMessage m = CompressionMessages.claudeCode("  The user wants X.\n\nexec e1 still runs.\n");
    assertEquals(Role.ASSISTANT, m.role());
    assertEquals("[AgentFrame Context Compression]\n" + CompressionMessages.CLAUDE_CODE_PREFACE
        + "\n\nThe user wants X.\n\nexec e1 still runs.", m.content());
    assertTrue(CompressionMessages.isCompression(m));
  }

  @Test
  void activeTasksAreOneSystemMessageOrNothing() {
    assertEquals(Optional.empty(), CompressionMessages.activeRuntimeTasks(List.of()));
    ChatMessage m = CompressionMessages.activeRuntimeTasks(
        List.of("exec e1: npm run dev (cwd /w/app)", "download d2: https://example.org/a.zip")).orElseThrow();
    assertEquals(Role.SYSTEM, m.role());
    assertEquals("""
        [Active Runtime Tasks]
        - exec e1: npm run dev (cwd /w/app)
        - download d2: https://example.org/a.zip
        """ + CompressionMessages.ACTIVE_TASKS_INSTRUCTION, m.content());
    assertTrue(CompressionMessages.isActiveTasks(m));
    assertFalse(CompressionMessages.isCompression(m));
  }

  @Test
  void onlyTheRuntimesOwnRolesCount() {
    assertFalse(CompressionMessages.isCompression(ChatMessage.user(CompressionMessages.MARKER + " hi")));
    assertFalse(CompressionMessages.isActiveTasks(ChatMessage.user(CompressionMessages.ACTIVE_TASKS_MARKER)));
    assertFalse(CompressionMessages.isCompression(ChatMessage.assistant(null, List.of())));
    assertFalse(CompressionMessages.isCompression(ChatMessage.assistant("not " + CompressionMessages.MARKER,
        List.of())));
  }
}
