package partyclaw.channels.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import partyclaw.testkit.TelegramHtml;

class TelegramMarkdownTest {

  private static String html(String md) throws Exception {
    String html = TelegramMarkdown.toHtml(md);
    TelegramHtml.visibleText(html); // throws like the Bot API on anything it would reject
    return html;
  }

  @Test
  void inlineFormatting() throws Exception {
    assertEquals("<b>bold</b> <i>it</i> <s>gone</s> <code>x &lt; y</code>",
        html("**bold** *it* ~~gone~~ `x < y`"));
  }

  @Test
  void escapesAmpersandAndAngles() throws Exception {
    assertEquals("a &amp; b &lt;div&gt; c &gt; d", html("a & b <div> c > d"));
  }

  @Test
  void fencedCodeKeepsLanguageAndText() throws Exception {
    assertEquals("<pre><code class=\"language-java\">if (a &lt; b) {\n  x();\n}</code></pre>",
        html("```java\nif (a < b) {\n  x();\n}\n```"));
    assertEquals("<pre>plain</pre>", html("```\nplain\n```"));
  }

  @Test
  void linksHeadingsQuotesRules() throws Exception {
    assertEquals("<a href=\"https://example.com/?a=1&amp;b=2\">site</a>", html("[site](https://example.com/?a=1&b=2)"));
    assertEquals("<b>Title</b>\n\ntext", html("# Title\n\ntext"));
    assertEquals("<blockquote>quoted\nmore</blockquote>", html("> quoted\n> more"));
    assertEquals("a\n\n" + TelegramMarkdown.RULE + "\n\nb", html("a\n\n---\n\nb"));
    assertEquals("javascript", html("[javascript](javascript:alert(1))"));
  }

  @Test
  void listsGetPrefixesAndIndentation() throws Exception {
    assertEquals("• one\n• two\n  • nested", html("- one\n- two\n  - nested"));
    assertEquals("3. c\n4. d", html("3. c\n4. d"));
  }

  @Test
  void emphasisAroundCodeIsDroppedBecauseTelegramRejectsIt() throws Exception {
    assertEquals("see <code>x</code> here", html("**see `x` here**"));
  }

  @Test
  void tablesBecomeMonospacedText() throws Exception {
    String out = html("| a | bb |\n|---|---|\n| ccc | d |");
    assertTrue(out.startsWith("<pre>a   | bb\n"), out);
    assertTrue(out.contains("─┼─"), out);
  }

  @Test
  void brokenMarkdownStillGivesValidHtml() throws Exception {
    String broken = "**unclosed bold and `unclosed code <b>oops</i> & [link](http://x\n```py\nnever closed";
    String out = html(broken);
    String visible = TelegramHtml.visibleText(out);
    assertTrue(visible.contains("unclosed bold"), visible);
    assertTrue(visible.contains("<b>oops</i> &"), visible);
    assertTrue(visible.contains("never closed"), visible);
  }

  @Test
  void plainParagraphsAreKeptAsTheyAre() throws Exception {
    String text = "first paragraph line one\nline two\n\nsecond paragraph";
    assertEquals(text, TelegramHtml.visibleText(html(text)));
  }
}
