package partyclaw.core.skills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkillManifestTest {
  @TempDir Path tmp;

  private Path write(String dir, String content) throws Exception {
    Path file = tmp.resolve(dir).resolve("SKILL.md");
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }

  private String error(String dir, String content) throws Exception {
    Path file = write(dir, content);
    return assertThrows(SkillException.class, () -> SkillManifest.parse(file)).getMessage();
  }

  @Test
  void parsesQuotedValuesSkippingCommentsBlanksAndOtherKeys() throws Exception {
    String text = "---\n# a comment\n\nname: \"pdf-tools\"\nlicense: MIT\ndescription: 'Fill PDF forms: use when a "
        + "PDF arrives'\nnot a key line\n---\n# Body\nsteps\n";
    Path file = write("whatever", text);
    SkillManifest m = SkillManifest.parse(file);
    assertEquals(new SkillManifest("pdf-tools", "Fill PDF forms: use when a PDF arrives", file.getParent(), file, text), m);
  }

  @Test
  void toleratesCrlfLineEndingsAndAByteOrderMark() throws Exception {
    Path file = write("crlf", "\uFEFF---\r\nname: crlf\r\ndescription: d\r\n---\r\nbody\r\n");
    SkillManifest m = SkillManifest.parse(file);
    assertEquals("crlf", m.name());
    assertEquals("d", m.description());
  }

  @Test
  void nameFallsBackToTheDirectoryName() throws Exception {
    Path file = write("my-skill", "---\ndescription: does things\n---\n");
    assertEquals("my-skill", SkillManifest.parse(file).name());
    Path quotedEmpty = write("other-skill", "---\nname: \"\"\ndescription: does things\n---\n");
    assertEquals("other-skill", SkillManifest.parse(quotedEmpty).name());
  }

  @Test
  void parseOfGivenTextUsesThePathOnlyForTheDirectoryAndMessages() {
    Path file = tmp.resolve("given/SKILL.md");
    SkillManifest m = SkillManifest.parse(file, "---\ndescription: x\n---\nbody");
    assertEquals(new SkillManifest("given", "x", file.getParent(), file, "---\ndescription: x\n---\nbody"), m);
  }

  @Test
  void invalidNameNamesFileAndField() throws Exception {
    Path file = tmp.resolve("foo/SKILL.md");
    assertEquals(file + ": name \"Foo_Bar\" must be 1-64 characters of a-z, 0-9 and '-'",
        error("foo", "---\nname: Foo_Bar\ndescription: d\n---\n"));
    String longName = "a".repeat(65);
    assertEquals(file + ": name \"" + longName + "\" must be 1-64 characters of a-z, 0-9 and '-'",
        error("foo", "---\nname: " + longName + "\ndescription: d\n---\n"));
    assertEquals("a".repeat(64), SkillManifest.parse(write("foo", "---\nname: " + "a".repeat(64)
        + "\ndescription: d\n---\n")).name());
  }

  @Test
  void invalidDirectoryNameAsFallbackSaysToAddAName() throws Exception {
    Path file = tmp.resolve("My Skill/SKILL.md");
    assertEquals(file + ": name is missing and the directory name \"My Skill\" must be 1-64 characters of a-z, "
        + "0-9 and '-'; add a name field", error("My Skill", "---\ndescription: d\n---\n"));
  }

  @Test
  void descriptionMustBePresentOneLineAndAtMost1024Characters() throws Exception {
    Path file = tmp.resolve("s/SKILL.md");
    assertEquals(file + ": description is missing or empty", error("s", "---\nname: s\n---\n"));
    assertEquals(file + ": description is missing or empty", error("s", "---\nname: s\ndescription: ''\n---\n"));
    assertEquals(file + ": description is 1025 characters; at most 1024 are allowed",
        error("s", "---\nname: s\ndescription: " + "é".repeat(1025) + "\n---\n"));
    assertEquals(1024, SkillManifest.parse(write("s", "---\nname: s\ndescription: " + "é".repeat(1024)
        + "\n---\n")).description().length());
    assertEquals(file + ": description uses a multi-line YAML block (>-), which is not supported; write it on the "
        + "description line itself", error("s", "---\nname: s\ndescription: >-\n  folded text\n---\n"));
  }

  @Test
  void frontMatterMustOpenOnTheFirstLineAndClose() throws Exception {
    Path file = tmp.resolve("s/SKILL.md");
    assertEquals(file + ": front matter missing: the first line must be ---",
        error("s", "# Title\n---\nname: s\ndescription: d\n---\n"));
    assertEquals(file + ": front matter missing: the first line must be ---", error("s", ""));
    assertEquals(file + ": front matter is not closed: no --- line after the first",
        error("s", "---\nname: s\ndescription: d\n# body without a closing fence\n"));
  }

  @Test
  void unreadableFileIsASkillException() {
    Path missing = tmp.resolve("nope/SKILL.md");
    assertEquals(missing + ": cannot be read (NoSuchFileException)",
        assertThrows(SkillException.class, () -> SkillManifest.parse(missing)).getMessage());
  }

  @Test
  void nameRule() {
    assertTrue(SkillManifest.isValidName("a-1"));
    assertFalse(SkillManifest.isValidName(""));
    assertFalse(SkillManifest.isValidName(".."));
    assertFalse(SkillManifest.isValidName("a/b"));
    assertFalse(SkillManifest.isValidName("A"));
    assertFalse(SkillManifest.isValidName(null));
  }
}
