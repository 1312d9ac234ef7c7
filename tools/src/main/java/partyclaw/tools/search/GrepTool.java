package partyclaw.tools.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import partyclaw.core.json.Json;
import partyclaw.core.tool.Tool;
import partyclaw.core.tool.ToolContext;
import partyclaw.core.tool.ToolException;
import partyclaw.core.tool.ToolMode;
import partyclaw.tools.support.Args;
import partyclaw.tools.support.Schema;

/**
 * {@code grep}: names of files whose whole content matches a regex, newest first, at most 100
 * (tools.md §3.1). Java's backtracking engine can take exponential time where Rust's regex cannot, so a
 * search has a time budget instead of running unbounded.
 */
public final class GrepTool implements Tool {
  static final long BUDGET_MILLIS = 30_000;
  /** Larger files are skipped like unreadable ones: a whole-file match would need them in memory. */
  static final long MAX_FILE_BYTES = 64L * 1024 * 1024;

  @Override
  public String name() {
    return "grep";
  }

  @Override
  public String description() {
    return "List files whose content matches a regular expression (no line numbers or snippets; use "
        + "file_read on the results). include filters by a glob on the relative path. Files that are not "
        + "UTF-8 text are skipped. Most recently modified first, at most 100.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("pattern", "Regular expression searched in each file's whole content.")
        .string("path", "Base directory (default: the workspace).")
        .string("include", "Glob on the relative path, e.g. **/*.py.")
        .remote()
        .required("pattern")
        .build();
  }

  @Override
  public ToolMode mode() {
    return ToolMode.IMMEDIATE;
  }

  @Override
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException {
    String pattern = Args.requireString(args, "pattern");
    String rawBase = Args.optString(args, "path").orElse(".");
    Optional<String> include = Args.optString(args, "include");
    Args.requireLocal(args);
    Pattern regex = compile(pattern);
    GlobPattern includeGlob = include.isPresent() ? GlobPattern.compile(include.get()) : null;
    Path base = SearchResults.base(ctx, rawBase);

    long deadline = System.currentTimeMillis() + BUDGET_MILLIS;
    List<FileWalk.Found> matches = new ArrayList<>();
    try {
      for (FileWalk.Found f : FileWalk.regularFiles(base)) {
        if (includeGlob != null && !includeGlob.matches(f.relative())) continue;
        String text = readText(f.path());
        if (text == null) continue;
        if (regex.matcher(new DeadlineText(text, deadline)).find()) matches.add(f);
      }
    } catch (IOException e) {
      throw new ToolException("failed to walk " + base);
    } catch (DeadlineText.Expired e) {
      throw new ToolException("grep stopped after " + BUDGET_MILLIS / 1000 + " s; use a simpler pattern, an "
          + "include glob or a narrower path");
    }
    ObjectNode out = Json.object();
    out.put("pattern", pattern);
    out.put("path", base.toString());
    include.ifPresent(i -> out.put("include", i));
    SearchResults.fill(out, matches);
    return out;
  }

  /** Rust regex syntax mostly is Java syntax; the named-group spelling {@code (?P<n>...)} is the common gap. */
  static Pattern compile(String pattern) throws ToolException {
    try {
      return Pattern.compile(pattern.replace("(?P<", "(?<"));
    } catch (PatternSyntaxException e) {
      throw new ToolException("invalid regex pattern: " + pattern);
    }
  }

  private static String readText(Path file) {
    try {
      if (Files.size(file) > MAX_FILE_BYTES) return null;
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
    } catch (IOException e) {
      // not UTF-8 (CharacterCodingException) or unreadable: skipped, as in the reference
      return null;
    }
  }

  /** Text that aborts a regex search once the deadline passes (checked every 64k character reads). */
  static final class DeadlineText implements CharSequence {
    static final class Expired extends RuntimeException {
      Expired() {
        super(null, null, false, false);
      }
    }

    private final String text;
    private final long deadline;
    private int reads;

    DeadlineText(String text, long deadline) {
      this.text = text;
      this.deadline = deadline;
    }

    @Override
    public char charAt(int index) {
      if ((++reads & 0xFFFF) == 0 && System.currentTimeMillis() > deadline) throw new Expired();
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new DeadlineText(text.substring(start, end), deadline);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
