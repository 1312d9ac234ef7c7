package partyclaw.core.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import partyclaw.core.memory.LayeredSummary;
import partyclaw.core.memory.LayeredSummary.ImportantRefs;
import partyclaw.core.memory.LayeredSummary.MemoryHint;

class SummaryParserTest {
  private static final String FULL = """
      {
        "old_summary": "- earlier",
        "new_summary": "- fixed the build",
        "keywords": ["build", "maven"],
        "important_refs": {"paths": ["/w/pom.xml"], "commands": ["mvn -o test"], "errors": [],
                           "urls": ["https://example.org"], "ids": ["exec-7"]},
        "memory_hints": [{"group": "build", "conclusions": ["use -o offline"]}],
        "next_step": "- push"
      }""";
  private static final LayeredSummary FULL_PARSED = new LayeredSummary("- earlier", "- fixed the build",
      List.of("build", "maven"), new ImportantRefs(List.of("/w/pom.xml"), List.of("mvn -o test"), List.of(),
      List.of("https://example.org"), List.of("exec-7")),
      List.of(new MemoryHint("build", List.of("use -o offline"))), "- push");

  private static String failure(String text) {
    return assertThrows(CompactionException.class, () -> SummaryParser.parseLayered(text)).getMessage();
  }

  @Test
  void plainFencedAndProseWrappedJsonAllParse() {
    assertEquals(FULL_PARSED, SummaryParser.parseLayered(FULL));
    assertEquals(FULL_PARSED, SummaryParser.parseLayered("```json\n" + FULL + "\n```\n"));
    assertEquals(FULL_PARSED, SummaryParser.parseLayered(
        "Here is the summary {as asked}:\n\n" + FULL + "\n\nLet me know if {anything} is missing."));
  }

  @Test
  void aStringWhereAListWasAskedForBecomesOneElement() {
    LayeredSummary s = SummaryParser.parseLayered("""
        {"new_summary": "- n", "keywords": "deploy",
         "important_refs": {"ids": "exec-1"},
         "memory_hints": [{"group": "ops", "conclusions": "restart nginx after edits"},
                          {"group": "empty", "conclusions": []},
                          {"conclusions": ["no group"]}]}""");
    assertEquals(new LayeredSummary("", "- n", List.of("deploy"),
        new ImportantRefs(List.of(), List.of(), List.of(), List.of(), List.of("exec-1")),
        List.of(new MemoryHint("ops", List.of("restart nginx after edits")),
            new MemoryHint(SummaryParser.DEFAULT_GROUP, List.of("no group"))), ""), s);
  }

  @Test
  void missingOptionalKeysAreEmpty() {
    assertEquals(new LayeredSummary("", "- n", List.of(), ImportantRefs.EMPTY, List.of(), ""),
        SummaryParser.parseLayered("{\"new_summary\": \"- n\"}"));
  }

  @Test
  void unusableAnswersFailWithOneLine() {
    assertEquals("the summary is empty", failure(""));
    assertEquals("the summary is empty", failure(null));
    assertEquals("the summary is empty", failure(" \n\t"));
    assertEquals("the summary is not JSON: no object in \"I cannot summarise this.\"",
        failure("I cannot summarise this."));
    String truncated = failure("{\"old_summary\": \"x\",\n \"new_summary\": \"- cut off in the mid");
    assertTrue(truncated.startsWith("the summary is not JSON: "), truncated);
    assertFalse(truncated.contains("\n"), truncated);
    assertEquals("the summary JSON has no new_summary", failure("{\"old_summary\": \"x\"}"));
    assertEquals("the summary JSON has no new_summary", failure("{\"new_summary\": \"  \"}"));
  }

  @Test
  void claudeCodeTextIsTrimmedAndMustNotBeEmpty() {
    assertEquals("The user wants X.", SummaryParser.parseClaudeCode("\n  The user wants X.  \n"));
    assertEquals("the summary is empty",
        assertThrows(CompactionException.class, () -> SummaryParser.parseClaudeCode("  ")).getMessage());
    assertEquals("the summary is empty",
        assertThrows(CompactionException.class, () -> SummaryParser.parseClaudeCode(null)).getMessage());
  }
}
