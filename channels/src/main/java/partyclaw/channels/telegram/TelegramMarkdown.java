package partyclaw.channels.telegram;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.commonmark.ext.gfm.strikethrough.Strikethrough;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableHead;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.ListBlock;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;

/**
 * Agent Markdown to Telegram HTML ({@code parse_mode: HTML}): bold, italic, strike, inline code, pre with
 * language, links, headings as bold, list prefixes, blockquotes, tables as monospaced text. Any input gives valid
 * HTML: unknown constructs and raw HTML become escaped text, so broken Markdown still arrives.
 */
public final class TelegramMarkdown {
  private static final Parser PARSER = Parser.builder()
      .extensions(List.of(StrikethroughExtension.create(), TablesExtension.create()))
      .build();
  static final String RULE = "──────────";

  private TelegramMarkdown() {}

  public static String toHtml(String markdown) {
    if (markdown == null || markdown.isBlank()) return "";
    StringBuilder out = new StringBuilder(markdown.length() + 64);
    new TelegramMarkdown.Renderer(out).blocks(PARSER.parse(markdown), "\n\n", 0);
    return out.toString().strip();
  }

  /** Text with {@code & < >} escaped, nothing else interpreted. */
  public static String escape(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  private static String escapeAttribute(String text) {
    return escape(text).replace("\"", "&quot;");
  }

  private static final class Renderer {
    private final StringBuilder out;
    private int quoteDepth;

    Renderer(StringBuilder out) {
      this.out = out;
    }

    void blocks(Node parent, String separator, int listDepth) {
      boolean first = true;
      for (Node n = parent.getFirstChild(); n != null; n = n.getNext()) {
        if (!first) out.append(separator);
        first = false;
        block(n, listDepth);
      }
    }

    void block(Node n, int listDepth) {
      if (n instanceof Paragraph) {
        inlines(n);
      } else if (n instanceof Heading) {
        out.append("<b>");
        inlines(n);
        out.append("</b>");
      } else if (n instanceof BlockQuote) {
        // Telegram has no nested quotes: inner ones are shown with a plain marker inside the outer one.
        if (quoteDepth == 0) out.append("<blockquote>");
        else out.append("› ");
        quoteDepth++;
        blocks(n, "\n", listDepth);
        quoteDepth--;
        if (quoteDepth == 0) out.append("</blockquote>");
      } else if (n instanceof ListBlock list) {
        list(list, listDepth);
      } else if (n instanceof FencedCodeBlock code) {
        String info = code.getInfo() == null ? "" : code.getInfo().trim();
        String language = info.isEmpty() ? "" : info.split("\\s+")[0];
        pre(code.getLiteral(), language);
      } else if (n instanceof IndentedCodeBlock code) {
        pre(code.getLiteral(), "");
      } else if (n instanceof ThematicBreak) {
        out.append(RULE);
      } else if (n instanceof HtmlBlock html) {
        out.append(escape(stripTrailingNewline(html.getLiteral())));
      } else if (n instanceof TableBlock table) {
        pre(TableText.render(table), "");
      } else {
        blocks(n, "\n\n", listDepth);
      }
    }

    void list(ListBlock list, int depth) {
      int number = list instanceof OrderedList ol ? ol.getStartNumber() : 0;
      String indent = "  ".repeat(depth);
      boolean first = true;
      for (Node item = list.getFirstChild(); item != null; item = item.getNext()) {
        if (!first) out.append('\n');
        first = false;
        out.append(indent).append(list instanceof OrderedList ? (number++) + ". " : "• ");
        if (item instanceof ListItem) {
          boolean firstChild = true;
          for (Node c = item.getFirstChild(); c != null; c = c.getNext()) {
            if (!firstChild) out.append('\n');
            if (!firstChild && !(c instanceof ListBlock)) out.append(indent).append("  ");
            firstChild = false;
            block(c, depth + 1);
          }
        }
      }
    }

    void pre(String literal, String language) {
      String body = escape(stripTrailingNewline(literal == null ? "" : literal));
      if (body.isEmpty()) body = " ";
      if (language.isEmpty()) {
        out.append("<pre>").append(body).append("</pre>");
      } else {
        out.append("<pre><code class=\"language-").append(escapeAttribute(language)).append("\">")
            .append(body).append("</code></pre>");
      }
    }

    void inlines(Node parent) {
      for (Node n = parent.getFirstChild(); n != null; n = n.getNext()) inline(n);
    }

    void inline(Node n) {
      if (n instanceof Text t) {
        out.append(escape(t.getLiteral()));
      } else if (n instanceof Code c) {
        out.append("<code>").append(escape(c.getLiteral())).append("</code>");
      } else if (n instanceof StrongEmphasis) {
        wrap(n, "b");
      } else if (n instanceof Emphasis) {
        wrap(n, "i");
      } else if (n instanceof Strikethrough) {
        wrap(n, "s");
      } else if (n instanceof Link link) {
        String url = link.getDestination();
        if (safeUrl(url) && !containsCode(n)) {
          out.append("<a href=\"").append(escapeAttribute(url)).append("\">");
          inlines(n);
          out.append("</a>");
        } else {
          inlines(n);
        }
      } else if (n instanceof Image image) {
        String alt = plainText(n);
        String url = image.getDestination();
        String label = alt.isBlank() ? url : alt;
        if (safeUrl(url)) out.append("<a href=\"").append(escapeAttribute(url)).append("\">").append(escape(label)).append("</a>");
        else out.append(escape(label));
      } else if (n instanceof SoftLineBreak || n instanceof HardLineBreak) {
        out.append('\n');
      } else if (n instanceof HtmlInline html) {
        out.append(escape(html.getLiteral()));
      } else {
        inlines(n);
      }
    }

    /** Telegram rejects formatting around code entities, so such emphasis is dropped and its text kept. */
    void wrap(Node n, String tag) {
      if (containsCode(n)) {
        inlines(n);
        return;
      }
      out.append('<').append(tag).append('>');
      inlines(n);
      out.append("</").append(tag).append('>');
    }
  }

  static boolean containsCode(Node n) {
    for (Node c = n.getFirstChild(); c != null; c = c.getNext()) {
      if (c instanceof Code || containsCode(c)) return true;
    }
    return false;
  }

  static String plainText(Node n) {
    StringBuilder sb = new StringBuilder();
    for (Node c = n.getFirstChild(); c != null; c = c.getNext()) {
      if (c instanceof Text t) sb.append(t.getLiteral());
      else if (c instanceof Code code) sb.append(code.getLiteral());
      else if (c instanceof SoftLineBreak || c instanceof HardLineBreak) sb.append(' ');
      else sb.append(plainText(c));
    }
    return sb.toString();
  }

  private static boolean safeUrl(String url) {
    if (url == null) return false;
    String u = url.toLowerCase(Locale.ROOT);
    return u.startsWith("http://") || u.startsWith("https://") || u.startsWith("tg://") || u.startsWith("mailto:");
  }

  private static String stripTrailingNewline(String s) {
    String r = s;
    while (r.endsWith("\n")) r = r.substring(0, r.length() - 1);
    return r;
  }

  /** GFM tables as padded monospaced rows, a rule under the header. */
  static final class TableText {
    private TableText() {}

    static String render(TableBlock table) {
      List<List<String>> rows = new ArrayList<>();
      int headerRows = 0;
      for (Node section = table.getFirstChild(); section != null; section = section.getNext()) {
        for (Node row = section.getFirstChild(); row != null; row = row.getNext()) {
          List<String> cells = new ArrayList<>();
          for (Node cell = row.getFirstChild(); cell != null; cell = cell.getNext()) {
            cells.add(cell instanceof TableCell ? plainText(cell).strip() : "");
          }
          rows.add(cells);
          if (section instanceof TableHead) headerRows++;
        }
      }
      int columns = rows.stream().mapToInt(List::size).max().orElse(0);
      int[] widths = new int[columns];
      for (List<String> r : rows) for (int i = 0; i < r.size(); i++) widths[i] = Math.max(widths[i], r.get(i).length());
      StringBuilder sb = new StringBuilder();
      for (int ri = 0; ri < rows.size(); ri++) {
        List<String> r = rows.get(ri);
        List<String> padded = new ArrayList<>();
        for (int i = 0; i < columns; i++) {
          String cell = i < r.size() ? r.get(i) : "";
          padded.add(cell + " ".repeat(widths[i] - cell.length()));
        }
        if (sb.length() > 0) sb.append('\n');
        sb.append(String.join(" | ", padded).stripTrailing());
        if (ri == headerRows - 1) {
          List<String> rule = new ArrayList<>();
          for (int w : widths) rule.add("─".repeat(Math.max(1, w)));
          sb.append('\n').append(String.join("─┼─", rule));
        }
      }
      return sb.toString();
    }
  }
}
