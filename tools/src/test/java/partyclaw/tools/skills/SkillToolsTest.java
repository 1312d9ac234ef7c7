package partyclaw.tools.skills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static partyclaw.tools.testing.TestToolContext.args;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import partyclaw.core.tool.ToolResult;
import partyclaw.tools.testing.TestToolContext;

class SkillToolsTest {
  @TempDir Path tmp;
  Path workdir;
  Path store;
  TestToolContext ctx;
  final SkillLoadTool load = new SkillLoadTool();
  final SkillCreateTool create = new SkillCreateTool();
  final SkillUpdateTool update = new SkillUpdateTool();

  @BeforeEach
  void setUp() throws Exception {
    workdir = tmp.resolve("workdir");
    store = workdir.resolve("rundir/.skills");
    ctx = context("ws1");
  }

  @AfterEach
  void tearDown() {
    ctx.close();
  }

  private TestToolContext context(String workspace) throws Exception {
    Path ws = Files.createDirectories(tmp.resolve(workspace));
    return TestToolContext.on(ws).withWorkdir(workdir);
  }

  private static String manifest(String name, String description) {
    return "---\nname: " + name + "\ndescription: " + description + "\n---\n# " + name + "\n";
  }

  /** Writes {@code <workspace>/.skills/<dir>/<relative>}. */
  private static Path stage(TestToolContext c, String dir, String relative, String content) throws Exception {
    Path file = c.workspaceRoot().resolve(".skills").resolve(dir).resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }

  private String error(TestToolContext c, SkillCreateTool tool, String json) throws Exception {
    return errorOf(c.invoke(tool, json));
  }

  private static String errorOf(ToolResult r) throws Exception {
    assertTrue(r.errored(), r.content());
    return partyclaw.core.json.Json.parse(r.content()).get("error").asText();
  }

  private List<String> storeEntries() throws Exception {
    try (Stream<Path> s = Files.list(store)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void createThenLoad() throws Exception {
    String text = manifest("pdf-forms", "Fill PDF forms. Use when a PDF arrives.");
    stage(ctx, "pdf-forms", "SKILL.md", text);
    stage(ctx, "pdf-forms", "references/fields.md", "field list");
    stage(ctx, "pdf-forms", "scripts/fill.py", "print('fill')");

    ToolResult created = ctx.invoke(create, args("skill_name", "pdf-forms"));
    assertEquals("{\n  \"name\" : \"pdf-forms\",\n  \"description\" : \"Fill PDF forms. Use when a PDF arrives.\",\n"
        + "  \"persisted\" : true,\n  \"created\" : true,\n  \"updated\" : false\n}", created.content());
    assertFalse(created.errored());
    assertEquals(text, Files.readString(store.resolve("pdf-forms/SKILL.md")));
    assertEquals("field list", Files.readString(store.resolve("pdf-forms/references/fields.md")));
    assertEquals("print('fill')", Files.readString(store.resolve("pdf-forms/scripts/fill.py")));
    assertEquals(List.of(".lock", "pdf-forms"), storeEntries());

    JsonNode loaded = ctx.call(load, args("skill_name", "pdf-forms"));
    assertEquals("pdf-forms", loaded.get("name").asText());
    assertEquals("Fill PDF forms. Use when a PDF arrives.", loaded.get("description").asText());
    assertEquals(text, loaded.get("content").asText());
    assertEquals(3, loaded.size());
  }

  @Test
  void aSkillCreatedInOneConversationLoadsInAnotherWithTheSameWorkdir() throws Exception {
    stage(ctx, "shared", "SKILL.md", manifest("shared", "d"));
    assertTrue(ctx.call(create, args("skill_name", "shared")).get("persisted").asBoolean());
    try (TestToolContext other = context("ws2")) {
      assertFalse(Files.exists(other.workspaceRoot().resolve(".skills")));
      assertEquals(manifest("shared", "d"), other.call(load, args("skill_name", "shared")).get("content").asText());
    }
  }

  @Test
  void createTwiceFails() throws Exception {
    stage(ctx, "twice", "SKILL.md", manifest("twice", "d"));
    assertFalse(ctx.invoke(create, args("skill_name", "twice")).errored());
    assertEquals("skill 'twice' already exists; use skill_update instead",
        error(ctx, create, args("skill_name", "twice")));
  }

  @Test
  void updateReplacesTheWholeDirectory() throws Exception {
    stage(ctx, "notes", "SKILL.md", manifest("notes", "old"));
    stage(ctx, "notes", "references/old.md", "old reference");
    ctx.call(create, args("skill_name", "notes"));

    try (TestToolContext other = context("ws2")) {
      stage(other, "notes", "SKILL.md", manifest("notes", "new"));
      stage(other, "notes", "assets/new.txt", "new asset");
      JsonNode r = other.call(update, args("skill_name", "notes"));
      assertEquals("{\"name\":\"notes\",\"description\":\"new\",\"persisted\":true,\"created\":false,\"updated\":true}",
          r.toString());
    }
    assertEquals(manifest("notes", "new"), Files.readString(store.resolve("notes/SKILL.md")));
    assertEquals("new asset", Files.readString(store.resolve("notes/assets/new.txt")));
    assertFalse(Files.exists(store.resolve("notes/references")));
    assertEquals(List.of(".lock", "notes"), storeEntries());
    assertEquals("new", ctx.call(load, args("skill_name", "notes")).get("description").asText());
  }

  @Test
  void updateOfAnUnknownSkillFails() throws Exception {
    stage(ctx, "ghost", "SKILL.md", manifest("ghost", "d"));
    assertEquals("cannot update unknown skill 'ghost'; create it first",
        errorOf(ctx.invoke(update, args("skill_name", "ghost"))));
    assertFalse(Files.exists(store.resolve("ghost")));
  }

  @Test
  void invalidNamesAreRefusedBeforeTouchingAnything() throws Exception {
    assertEquals("skill_name \"..\" must be a single directory name, not . or ..",
        error(ctx, create, args("skill_name", "..")));
    assertEquals("skill_name \".\" must be a single directory name, not . or ..",
        errorOf(ctx.invoke(update, args("skill_name", "."))));
    assertEquals("skill_name \"a/b\" must be a single directory name, without / or \\",
        error(ctx, create, args("skill_name", "a/b")));
    assertEquals("skill_name \"Foo\" must be 1-64 characters of a-z, 0-9 and '-'",
        error(ctx, create, args("skill_name", "Foo")));
    assertEquals("missing required argument: skill_name", error(ctx, create, "{}"));
    assertFalse(Files.exists(store));
  }

  @Test
  void theStagedManifestMustExistParseAndMatchTheName() throws Exception {
    Path staged = ctx.workspaceRoot().resolve(".skills/absent");
    assertEquals("no staged skill at " + staged + "; write " + staged.resolve("SKILL.md")
        + " (and any references/, scripts/, assets/) first", error(ctx, create, args("skill_name", "absent")));

    Path file = stage(ctx, "mismatch", "SKILL.md", manifest("other-name", "d"));
    assertEquals(file + ": name \"other-name\" does not match skill_name \"mismatch\"",
        error(ctx, create, args("skill_name", "mismatch")));

    Path bad = stage(ctx, "nodesc", "SKILL.md", "---\nname: nodesc\n---\n");
    assertEquals(bad + ": description is missing or empty", error(ctx, create, args("skill_name", "nodesc")));

    Files.createDirectories(ctx.workspaceRoot().resolve(".skills/nofile/references"));
    assertEquals(ctx.workspaceRoot().resolve(".skills/nofile/SKILL.md")
            + " is missing; a skill needs a SKILL.md with name and description front matter",
        error(ctx, create, args("skill_name", "nofile")));
    assertFalse(Files.exists(store.resolve("mismatch")));
  }

  @Test
  void stagedSymlinksAreRefusedAndLeaveNothingBehind() throws Exception {
    Path secret = Files.writeString(tmp.resolve("secret.txt"), "outside");
    stage(ctx, "linky", "SKILL.md", manifest("linky", "d"));
    Path link = ctx.workspaceRoot().resolve(".skills/linky/references/secret.txt");
    Files.createDirectories(link.getParent());
    Files.createSymbolicLink(link, secret);
    assertEquals("the staged skill contains a symlink: " + link + "; replace it with a real file or directory",
        error(ctx, create, args("skill_name", "linky")));
    assertEquals(List.of(".lock"), storeEntries());

    Path realDir = tmp.resolve("elsewhere");
    Files.createDirectories(realDir);
    Files.writeString(realDir.resolve("SKILL.md"), manifest("dirlink", "d"));
    Path dirLink = ctx.workspaceRoot().resolve(".skills/dirlink");
    Files.createSymbolicLink(dirLink, realDir);
    assertEquals("the staged skill " + dirLink + " is a symlink; stage it as a real directory",
        error(ctx, create, args("skill_name", "dirlink")));
  }

  @Test
  void aStagedTreeOverTenMegabytesIsRefused() throws Exception {
    stage(ctx, "big", "SKILL.md", manifest("big", "d"));
    Path blob = ctx.workspaceRoot().resolve(".skills/big/assets/blob.bin");
    Files.createDirectories(blob.getParent());
    try (RandomAccessFile f = new RandomAccessFile(blob.toFile(), "rw")) {
      f.setLength(10L * 1024 * 1024 + 1); // sparse: cheap to make, counted at its full size
    }
    assertEquals("the staged skill " + ctx.workspaceRoot().resolve(".skills/big")
            + " is larger than 10 MB; keep large data out of the skill directory",
        error(ctx, create, args("skill_name", "big")));
    assertEquals(List.of(".lock"), storeEntries());
  }

  @Test
  void loadOfAnUnknownSkillListsTheInstalledOnes() throws Exception {
    assertEquals("unknown skill: nope; no skills are installed", errorOf(ctx.invoke(load, args("skill_name", "nope"))));
    stage(ctx, "beta", "SKILL.md", manifest("beta", "b"));
    stage(ctx, "alpha", "SKILL.md", manifest("alpha", "a"));
    ctx.call(create, args("skill_name", "beta"));
    ctx.call(create, args("skill_name", "alpha"));
    assertEquals("unknown skill: nope; available: alpha, beta", errorOf(ctx.invoke(load, args("skill_name", "nope"))));
  }

  @Test
  void loadOfAnInstalledButBrokenSkillSaysWhy() throws Exception {
    Path file = store.resolve("broken/SKILL.md");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "no front matter");
    assertEquals("skill 'broken' is installed but invalid: " + file + ": front matter missing: the first line must be ---",
        errorOf(ctx.invoke(load, args("skill_name", "broken"))));
  }

  @Test
  void anInterruptedUpdateIsRepairedByTheNextPersist() throws Exception {
    // A crash after the old version was moved aside and before the new one was renamed in.
    Path aside = store.resolve(".old.0b7e1f4e-0000-4000-8000-000000000000.kept");
    Files.createDirectories(aside);
    Files.writeString(aside.resolve("SKILL.md"), manifest("kept", "survived"));
    Path partial = store.resolve(".new.0b7e1f4e-0000-4000-8000-000000000001.kept");
    Files.createDirectories(partial);
    Files.writeString(partial.resolve("SKILL.md"), "half");

    stage(ctx, "other", "SKILL.md", manifest("other", "d"));
    ctx.call(create, args("skill_name", "other"));
    assertEquals(List.of(".lock", "kept", "other"), storeEntries());
    assertEquals("survived", ctx.call(load, args("skill_name", "kept")).get("description").asText());
  }

  @Test
  void concurrentUpdatesOfOneSkillDoNotInterleave() throws Exception {
    stage(ctx, "race", "SKILL.md", manifest("race", "v0"));
    ctx.call(create, args("skill_name", "race"));
    int writers = 6;
    List<TestToolContext> contexts = new ArrayList<>();
    List<Callable<ToolResult>> calls = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      TestToolContext c = context("writer" + i);
      contexts.add(c);
      stage(c, "race", "SKILL.md", manifest("race", "v" + (i + 1)));
      stage(c, "race", "references/version.txt", "v" + (i + 1));
      calls.add(() -> c.invoke(update, args("skill_name", "race")));
    }
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      for (Future<ToolResult> f : pool.invokeAll(calls)) assertFalse(f.get().errored(), f.get().content());
    } finally {
      pool.shutdownNow();
      contexts.forEach(TestToolContext::close);
    }
    String description = ctx.call(load, args("skill_name", "race")).get("description").asText();
    assertEquals(description, Files.readString(store.resolve("race/references/version.txt")));
    assertEquals(List.of(".lock", "race"), storeEntries());
  }
}
