package partyclaw.tools.search;

import partyclaw.tools.remote.RemoteHosts;
import partyclaw.tools.remote.RemoteFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharsetDecoder;
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
 * {@code grep}: names of files with a line that matches a regex, newest first, at most 100 (tools.md §3.1).
 * Files are streamed a line at a time, so a search holds at most one line (cut into pieces of
 * {@link #MAX_LINE_CHARS}) of each file in memory, never a whole file. Departure: the reference matches each
 * file's whole content at once, so there a match may span lines and {@code ^}/{@code $} without {@code (?m)}
 * anchor at the file's start and end; here, as in grep, each line is matched on its own. Java's backtracking
 * engine can take exponential time where Rust's regex cannot, so a search has a time budget instead of running
 * unbounded.
 */
public final class GrepTool implements Tool {
  static final long BUDGET_MILLIS = 30_000;
  /** Larger files are skipped like unreadable ones: reading one would take most of the time budget. */
  static final long MAX_FILE_BYTES = 1024L * 1024 * 1024;
  /**
   * Longer lines (minified code, logs without newlines) are matched in consecutive pieces of this many characters;
   * a match crossing from one piece into the next is not seen.
   */
  static final int MAX_LINE_CHARS = 1024 * 1024;

  @Override
  public String name() {
    return "grep";
  }

  @Override
  public String description() {
    return "List files with a line that matches a regular expression (each line is matched on its own; no line "
        + "numbers or snippets: use file_read on the results). include filters by a glob on the relative path. "
        + "Files that are not UTF-8 text are skipped. Most recently modified first, at most 100.";
  }

  @Override
  public ObjectNode parameters() {
    return Schema.object()
        .string("pattern", "Regular expression searched in each line of each file.")
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
  public JsonNode run(JsonNode args, ToolContext ctx) throws ToolException, InterruptedException {
    String pattern = Args.requireString(args, "pattern");
    String rawBase = Args.optString(args, "path").orElse(".");
    Optional<String> include = Args.optString(args, "include");
    Optional<String> remote = RemoteHosts.target(args);
    if (remote.isPresent()) {
      ObjectNode req = Json.object().put("pattern", pattern).put("path", rawBase);
      include.ifPresent(i -> req.put("include", i));
      return RemoteFiles.call(ctx, remote.get(), "grep", req);
    }
    Pattern regex = compile(pattern);
    GlobPattern includeGlob = include.isPresent() ? GlobPattern.compile(include.get()) : null;
    Path base = SearchResults.base(ctx, rawBase);

    long deadline = System.currentTimeMillis() + BUDGET_MILLIS;
    List<FileWalk.Found> matches = new ArrayList<>();
    try {
      for (FileWalk.Found f : FileWalk.regularFiles(base)) {
        if (includeGlob != null && !includeGlob.matches(f.relative())) continue;
        if (matches(f.path(), regex, deadline)) matches.add(f);
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

  /** False for a file too large, unreadable or not UTF-8, as the reference skips those. */
  private static boolean matches(Path file, Pattern regex, long deadline) {
    try {
      if (Files.size(file) > MAX_FILE_BYTES) return false;
      CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
      try (Reader in = new InputStreamReader(Files.newInputStream(file), utf8)) {
        return anyLineMatches(in, regex, deadline);
      }
    } catch (IOException e) {
      // not UTF-8 (CharacterCodingException) or unreadable: skipped, as in the reference
      return false;
    }
  }

  /**
   * True if a line of {@code in} (split like Rust's {@code str::lines}) matches. After a match the rest is still
   * read, though not matched: a file that turns out not to be UTF-8 is skipped whatever matched before, as in the
   * reference. An empty input is matched as one empty text, as the reference would.
   */
  static boolean anyLineMatches(Reader in, Pattern regex, long deadline) throws IOException {
    char[] buf = new char[8192];
    StringBuilder line = new StringBuilder();
    boolean matched = false;
    boolean empty = true;
    int n;
    while ((n = in.read(buf)) > 0) {
      empty = false;
      if (System.currentTimeMillis() > deadline) throw new DeadlineText.Expired();
      for (int i = 0; i < n && !matched; i++) {
        char c = buf[i];
        if (c == '\n') {
          int len = line.length();
          if (len > 0 && line.charAt(len - 1) == '\r') line.setLength(len - 1);
          matched = find(regex, line, deadline);
          line.setLength(0);
        } else {
          line.append(c);
          if (line.length() >= MAX_LINE_CHARS) {
            matched = find(regex, line, deadline);
            line.setLength(0);
          }
        }
      }
    }
    if (!matched && (line.length() > 0 || empty)) matched = find(regex, line, deadline);
    return matched;
  }

  private static boolean find(Pattern regex, CharSequence text, long deadline) {
    return regex.matcher(new DeadlineText(text.toString(), deadline)).find();
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
