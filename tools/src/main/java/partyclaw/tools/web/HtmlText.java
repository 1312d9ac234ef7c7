package partyclaw.tools.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeVisitor;

/**
 * HTML as readable text: the title, then the body with one line per block element, list items as {@code - },
 * scripts, styles and other invisible parts left out, entities decoded. The reference only stripped tags into one
 * long line; the model reads a page far better with its paragraphs kept.
 */
public final class HtmlText {
  private static final Set<String> BLOCKS = Set.of("address", "article", "aside", "blockquote", "br", "dd", "div",
      "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
      "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tr", "ul", "caption", "summary", "details");
  private static final String INVISIBLE = "script, style, noscript, template, svg, iframe, object, embed, canvas, "
      + "head > link, head > meta";

  private HtmlText() {}

  /** {@code charset} from the Content-Type, or null to let the page's BOM or meta tag decide (else UTF-8). */
  public static String readable(byte[] html, Charset charset, String baseUri) {
    Document doc;
    try {
      doc = Jsoup.parse(new ByteArrayInputStream(html), charset == null ? null : charset.name(), baseUri);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading a byte array cannot fail
    }
    doc.select(INVISIBLE).remove();
    StringBuilder out = new StringBuilder();
    String title = doc.title().strip();
    if (!title.isEmpty()) out.append(title).append("\n\n");
    Element body = doc.body();
    if (body != null) body.traverse(new Lines(out));
    return tidy(out.toString());
  }

  /** Collapses runs of spaces in each line, trims lines and keeps at most one blank line in a row. */
  static String tidy(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    int blank = 0;
    for (String line : text.split("\n", -1)) {
      String l = line.replaceAll("[\\s\\u00A0]+", " ").strip();
      if (l.isEmpty()) {
        blank++;
        continue;
      }
      if (sb.length() > 0) sb.append(blank > 0 ? "\n\n" : "\n");
      sb.append(l);
      blank = 0;
    }
    return sb.toString();
  }

  private static final class Lines implements NodeVisitor {
    private final StringBuilder out;

    Lines(StringBuilder out) {
      this.out = out;
    }

    @Override
    public void head(Node node, int depth) {
      if (node instanceof TextNode t) {
        // Inside <pre> the line breaks are the content; elsewhere they are only source formatting.
        boolean pre = t.parent() != null && t.parent().closest("pre") != null;
        out.append(pre ? t.getWholeText() : t.text());
      } else if (node instanceof Element e) {
        String tag = e.normalName();
        if (paragraph(tag)) blankLine();
        else if (BLOCKS.contains(tag)) newLine();
        if (tag.equals("li")) out.append("- ");
        if (tag.equals("td") || tag.equals("th")) out.append(' ');
      }
    }

    @Override
    public void tail(Node node, int depth) {
      if (node instanceof Element e) {
        String tag = e.normalName();
        if (paragraph(tag)) blankLine();
        else if (BLOCKS.contains(tag)) newLine();
      }
    }

    private static boolean paragraph(String tag) {
      return tag.equals("p") || tag.equals("table") || tag.matches("h[1-6]");
    }

    /** Line breaks are only added where none is yet, so nested blocks do not pile up empty lines. */
    private void newLine() {
      if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') out.append('\n');
    }

    private void blankLine() {
      newLine();
      if (out.length() > 1 && out.charAt(out.length() - 2) != '\n') out.append('\n');
    }
  }
}
