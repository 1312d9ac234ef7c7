package partyclaw.tools.exec;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import partyclaw.tools.support.TextLines;

/**
 * The part of an output file the model is shown (tools.md §3.2): skip {@code start} lines from the end,
 * take the {@code limit} lines before them, then cap to {@code maxChars} keeping the first 40% and the last
 * 60% of the characters. The file is streamed, so a huge log costs time but not memory.
 */
record OutputWindow(String text, boolean truncated, long totalChars) {
  static final OutputWindow EMPTY = new OutputWindow("", false, 0);

  static OutputWindow read(Path file, long start, long limit, int maxChars) {
    long keep = start + limit < 0 ? Long.MAX_VALUE : start + limit;
    ArrayDeque<String> tail = new ArrayDeque<>();
    long[] totalLines = {0};
    long[] chars = {0};
    try (Reader r = new CountingReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8
        .newDecoder().onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)),
        chars)) {
      TextLines.forEach(r, Integer.MAX_VALUE - 1, line -> {
        totalLines[0]++;
        if (keep == 0) return;
        tail.addLast(line);
        if (tail.size() > keep) tail.removeFirst();
      });
    } catch (NoSuchFileException e) {
      return EMPTY;
    } catch (IOException e) {
      return new OutputWindow("", chars[0] > 0, chars[0]);
    }
    long shown = Math.max(0, tail.size() - start);
    StringBuilder sb = new StringBuilder();
    int i = 0;
    for (String line : tail) {
      if (i >= shown) break;
      if (i > 0) sb.append('\n');
      sb.append(line);
      i++;
    }
    boolean truncated = shown < totalLines[0];
    String text = sb.toString();
    if (text.length() > maxChars) {
      text = headAndTail(text, maxChars);
      truncated = true;
    }
    return new OutputWindow(text, truncated, chars[0]);
  }

  /** First 40% and last 60% of {@code max} characters, joined without a marker (as the reference does). */
  static String headAndTail(String text, int max) {
    int head = max * 40 / 100;
    int tailLen = max - head;
    if (head > 0 && Character.isHighSurrogate(text.charAt(head - 1))) head--;
    int tailFrom = text.length() - tailLen;
    if (tailFrom < text.length() && Character.isLowSurrogate(text.charAt(tailFrom))) tailFrom++;
    return text.substring(0, head) + text.substring(tailFrom);
  }

  /** Counts the characters that pass through, i.e. the decoded length of the whole file. */
  private static final class CountingReader extends Reader {
    private final Reader in;
    private final long[] count;

    CountingReader(Reader in, long[] count) {
      this.in = in;
      this.count = count;
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
      int n = in.read(buf, off, len);
      if (n > 0) count[0] += n;
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
