package partyclaw.tools.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import partyclaw.core.tool.ToolException;

class GlobPatternTest {
  private static boolean m(String glob, String path) throws ToolException {
    return GlobPattern.compile(glob).matches(path);
  }

  @Test
  void starCrossesSeparatorsLikeGlobset() throws Exception {
    assertTrue(m("*.java", "A.java"));
    assertTrue(m("*.java", "src/main/A.java"));
    assertFalse(m("*.java", "A.javax"));
  }

  @Test
  void doubleStarMatchesZeroOrMoreDirectories() throws Exception {
    assertTrue(m("**/*.md", "README.md"));
    assertTrue(m("**/*.md", "docs/a/b.md"));
    assertTrue(m("src/**/x.txt", "src/x.txt"));
    assertTrue(m("src/**/x.txt", "src/a/b/x.txt"));
    assertTrue(m("src/**", "src/a/b"));
    assertFalse(m("src/**", "other/a"));
  }

  @Test
  void classesAlternativesAndEscapes() throws Exception {
    assertTrue(m("file[0-9].txt", "file7.txt"));
    assertFalse(m("file[!0-9].txt", "file7.txt"));
    assertTrue(m("file[!0-9].txt", "filex.txt"));
    assertTrue(m("[ad]*", "d.txt"));
    assertFalse(m("[ad]*", "x.txt"), "a class letter must not turn into a regex escape like \\d");
    assertTrue(m("*.{js,ts}", "a/b.ts"));
    assertFalse(m("*.{js,ts}", "a/b.rs"));
    assertTrue(m("a\\*b", "a*b"));
    assertFalse(m("a\\*b", "axb"));
    assertTrue(m("a+b(c).txt", "a+b(c).txt"));
    assertTrue(m("?.txt", "x.txt"));
  }

  @Test
  void invalidPatternsAreReported() {
    for (String bad : new String[] {"[abc", "{a,b", "a}", "x\\", "{a,{b}}"}) {
      ToolException e = assertThrows(ToolException.class, () -> GlobPattern.compile(bad), bad);
      assertEquals("invalid glob pattern: " + bad, e.getMessage());
    }
  }
}
