package partyclaw.channels.telegram;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * Splits Telegram HTML (as made by {@link TelegramMarkdown}) into messages of at most {@code limit} visible UTF-16
 * units, the way Telegram counts (after entity parsing). Cuts prefer a blank line, then a line end, then a space,
 * in the second half of a chunk; a cut never falls inside a tag, an entity or a surrogate pair. Tags open at a cut
 * are closed at the end of the chunk and reopened (with their attributes) at the start of the next, so every chunk
 * is valid on its own. The separator stays at the end of the earlier chunk: the chunks' visible texts, joined,
 * are exactly the visible text of the input.
 */
public final class HtmlChunks {
  private HtmlChunks() {}

  /** One tag, or one visible unit: a char, a surrogate pair or an entity. */
  private record Segment(String raw, String tagName, boolean closing, int visibleLength, char visibleChar) {
    boolean isTag() {
      return tagName != null;
    }
  }

  public static List<String> split(String html, int limit) {
    if (limit < 2) throw new IllegalArgumentException("limit must be at least 2, got " + limit);
    List<Segment> segments = parse(html);
    List<String> chunks = new ArrayList<>();
    Deque<Segment> open = new ArrayDeque<>(); // tags open at the start of the current chunk
    int start = 0;
    while (start < segments.size()) {
      if (visibleFrom(segments, start) <= limit) {
        chunks.add(build(open, segments, start, segments.size(), null));
        break;
      }
      int end = cut(segments, start, limit);
      // closing tags right at the cut belong to this chunk, not as empty pairs to the next one
      while (end < segments.size() && segments.get(end).isTag() && segments.get(end).closing()) end++;
      Deque<Segment> after = new ArrayDeque<>(open);
      for (int i = start; i < end; i++) track(after, segments.get(i));
      chunks.add(build(open, segments, start, end, after));
      open = after;
      start = end;
    }
    chunks.removeIf(c -> visibleText(c).isEmpty());
    return chunks;
  }

  /** The visible text: tags dropped, entities decoded. For the plain-text fallback of a chunk. */
  public static String visibleText(String html) {
    StringBuilder sb = new StringBuilder(html.length());
    for (Segment s : parse(html)) {
      if (s.isTag()) continue;
      sb.append(s.raw().startsWith("&") && s.raw().length() > 1 ? decode(s.raw()) : s.raw());
    }
    return sb.toString();
  }

  public static int visibleLength(String html) {
    int n = 0;
    for (Segment s : parse(html)) n += s.visibleLength();
    return n;
  }

  /** The end (exclusive segment index) of the chunk starting at {@code start}. */
  private static int cut(List<Segment> segs, int start, int limit) {
    int visible = 0;
    int hard = start;
    int blankLine = -1;
    int lineEnd = -1;
    int space = -1;
    char previous = 0;
    for (int i = start; i < segs.size(); i++) {
      Segment s = segs.get(i);
      if (s.isTag()) continue;
      if (visible + s.visibleLength() > limit) break;
      visible += s.visibleLength();
      hard = i + 1;
      boolean secondHalf = visible >= limit / 2;
      if (secondHalf) {
        if (s.visibleChar() == '\n' && previous == '\n') blankLine = i + 1;
        else if (s.visibleChar() == '\n') lineEnd = i + 1;
        else if (s.visibleChar() == ' ') space = i + 1;
      }
      previous = s.visibleChar();
    }
    if (blankLine > 0) return blankLine;
    if (lineEnd > 0) return lineEnd;
    if (space > 0) return space;
    return Math.max(hard, start + 1);
  }

  private static String build(Deque<Segment> openAtStart, List<Segment> segs, int from, int to, Deque<Segment> openAtEnd) {
    StringBuilder sb = new StringBuilder();
    Iterator<Segment> outerFirst = openAtStart.descendingIterator();
    while (outerFirst.hasNext()) sb.append(outerFirst.next().raw());
    for (int i = from; i < to; i++) sb.append(segs.get(i).raw());
    if (openAtEnd != null) {
      for (Segment s : openAtEnd) sb.append("</").append(s.tagName()).append('>');
    }
    return sb.toString();
  }

  /** Keeps the stack of open tags (innermost first) up to date. */
  private static void track(Deque<Segment> open, Segment s) {
    if (!s.isTag()) return;
    if (!s.closing()) {
      open.push(s);
    } else if (!open.isEmpty() && open.peek().tagName().equals(s.tagName())) {
      open.pop();
    }
  }

  private static int visibleFrom(List<Segment> segs, int start) {
    int n = 0;
    for (int i = start; i < segs.size(); i++) n += segs.get(i).visibleLength();
    return n;
  }

  private static List<Segment> parse(String html) {
    List<Segment> out = new ArrayList<>(html.length());
    int i = 0;
    while (i < html.length()) {
      char c = html.charAt(i);
      if (c == '<') {
        int end = html.indexOf('>', i);
        if (end > 0) {
          String raw = html.substring(i, end + 1);
          String inner = raw.substring(1, raw.length() - 1).trim();
          boolean closing = inner.startsWith("/");
          String name = (closing ? inner.substring(1) : inner).trim().split("\\s+", 2)[0];
          out.add(new Segment(raw, name, closing, 0, (char) 0));
          i = end + 1;
          continue;
        }
      } else if (c == '&') {
        int semi = html.indexOf(';', i);
        if (semi > i && semi - i <= 10) {
          String raw = html.substring(i, semi + 1);
          String decoded = decode(raw);
          out.add(new Segment(raw, null, false, decoded.length(), decoded.length() == 1 ? decoded.charAt(0) : 0));
          i = semi + 1;
          continue;
        }
      } else if (Character.isHighSurrogate(c) && i + 1 < html.length() && Character.isLowSurrogate(html.charAt(i + 1))) {
        out.add(new Segment(html.substring(i, i + 2), null, false, 2, (char) 0));
        i += 2;
        continue;
      }
      out.add(new Segment(String.valueOf(c), null, false, 1, c));
      i++;
    }
    return out;
  }

  private static String decode(String entity) {
    String name = entity.substring(1, entity.length() - 1);
    switch (name) {
      case "lt": return "<";
      case "gt": return ">";
      case "amp": return "&";
      case "quot": return "\"";
      default:
        try {
          if (name.startsWith("#x") || name.startsWith("#X")) return Character.toString(Integer.parseInt(name.substring(2), 16));
          if (name.startsWith("#")) return Character.toString(Integer.parseInt(name.substring(1)));
        } catch (IllegalArgumentException e) {
          // not an entity after all: shown as written
        }
        return entity;
    }
  }
}
