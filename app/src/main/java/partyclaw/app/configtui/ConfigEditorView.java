package partyclaw.app.configtui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Draws a {@link ConfigEditor} as lines of text: section list, page or form, status, footer and the top dialog.
 * It only reads the editor, so drawing never changes the document.
 */
final class ConfigEditorView {
  static final int LIST_WIDTH = 24;

  private final ConfigEditor editor;

  ConfigEditorView(ConfigEditor editor) {
    this.editor = editor;
  }

  List<String> render(int cols, int rows) {
    cols = Math.max(cols, 60);
    rows = Math.max(rows, 12);
    ConfigDocument doc = editor.document();
    ConfigEditor.Form form = editor.form();
    ConfigEditor.Section section = editor.section();
    ConfigEditor.Focus focus = editor.focus();
    char[][] grid = new char[rows][cols];
    for (char[] line : grid) Arrays.fill(line, ' ');
    String title = form != null ? form.title() : section.title;
    put(grid, 0, 0, " partyclaw config: " + doc.file() + " | " + title + (doc.dirty() ? " [unsaved]" : ""));
    put(grid, 1, 0, "-".repeat(cols));
    for (int r = 2; r < rows - 2; r++) put(grid, r, LIST_WIDTH, "|");
    ConfigEditor.Section[] all = ConfigEditor.Section.values();
    for (int i = 0; i < all.length && 2 + i < rows - 2; i++) {
      boolean sel = all[i] == section;
      String mark = sel ? (focus == ConfigEditor.Focus.SECTIONS && form == null ? "> " : "* ") : "  ";
      put(grid, 2 + i, 0, clip(mark + all[i].title, LIST_WIDTH - 1));
    }
    List<String> content = form != null ? formLines(form) : pageLines();
    int selected = form != null ? form.row : focus == ConfigEditor.Focus.PAGE ? editor.row() : -1;
    int height = rows - 4;
    int offset = selected < 0 ? 0 : Math.max(0, selected - height + 1);
    int contentWidth = cols - LIST_WIDTH - 2;
    for (int i = 0; i < height && offset + i < content.size(); i++) {
      put(grid, 2 + i, LIST_WIDTH + 2, clip(content.get(offset + i), contentWidth));
    }
    put(grid, rows - 2, 0, clip("-- " + editor.status() + " ", cols));
    put(grid, rows - 1, 0, clip(footer(), cols));
    Modal m = editor.modal();
    if (m != null) drawModal(grid, m);
    List<String> out = new ArrayList<>();
    for (char[] line : grid) out.add(new String(line));
    return out;
  }

  private String footer() {
    Modal m = editor.modal();
    ConfigEditor.Focus focus = editor.focus();
    ConfigEditor.Section section = editor.section();
    if (m instanceof Modal.TextInput) return " type the value | Enter accept | Esc cancel | blank removes the key";
    if (m instanceof Modal.Select) return " Up/Down choose | Enter accept | Esc cancel";
    if (m instanceof Modal.MultiSelect) return " Up/Down move | Space check | Enter accept | Esc cancel";
    if (m instanceof Modal.Confirm) return " y/Enter yes | n/Esc no";
    if (m instanceof Modal.Message) return " Enter/Esc close";
    if (editor.form() != null) return " Up/Down move | Enter edit | Space toggle | s keep | Esc cancel";
    if (focus == ConfigEditor.Focus.PAGE
        && (section == ConfigEditor.Section.MODELS || section == ConfigEditor.Section.CHANNELS)) {
      return " a add | Enter/e edit | d delete | Left sections | s save | v validate | q quit | ? help";
    }
    if (focus == ConfigEditor.Focus.PAGE) {
      return " Enter edit | Space toggle | Left sections | s save | v validate | q quit | ? help";
    }
    return " Up/Down move | Enter/Right open | s save | v validate | b bootstrap | q quit | ? help";
  }

  private List<String> pageLines() {
    List<String> lines = new ArrayList<>();
    ObjectNode root = editor.document().root();
    switch (editor.section()) {
      case OVERVIEW -> {
        JsonNode v = root.get("version");
        lines.add("Version:  " + (v == null ? "(none: a legacy 0.1 file)" : FieldSpec.show(v)));
        lines.add("Models:   " + editor.modelAliases().size());
        lines.add("Channels: " + editor.channelCount());
        lines.add("");
        lines.addAll(ConfigEditor.HELP);
      }
      case MODELS -> {
        List<String> aliases = editor.modelAliases();
        if (aliases.isEmpty()) lines.add("(no models; press a to add one)");
        for (int i = 0; i < aliases.size(); i++) {
          JsonNode m = root.get("models").get(aliases.get(i));
          lines.add(cursor(i) + aliases.get(i) + "  " + m.path("type").asText("?") + "  " + m.path("model").asText("")
              + "  " + FieldSpec.show(m.path("capabilities").isArray() ? m.get("capabilities")
                  : ConfigDocument.JSON.createArrayNode()));
        }
      }
      case CHANNELS -> {
        if (editor.channelCount() == 0) lines.add("(no channels; press a to add one)");
        for (int i = 0; i < editor.channelCount(); i++) {
          JsonNode c = root.get("channels").get(i);
          lines.add(cursor(i) + c.path("id").asText("?") + "  " + c.path("kind").asText("?") + summary(c));
        }
      }
      default -> {
        ObjectNode obj = pageObjectView();
        List<FieldSpec> fields = editor.pageFields();
        for (int i = 0; i < fields.size(); i++) {
          lines.add(cursor(i) + fields.get(i).label() + ": " + fields.get(i).display(obj));
        }
      }
    }
    return lines;
  }

  /** Unlike the editor's page object, a missing main_agent is not created just by looking at the page. */
  private ObjectNode pageObjectView() {
    ObjectNode root = editor.document().root();
    if (editor.section() == ConfigEditor.Section.MAIN_AGENT) {
      return root.get("main_agent") instanceof ObjectNode o ? o : ConfigDocument.JSON.createObjectNode();
    }
    return root;
  }

  private static String summary(JsonNode c) {
    for (String key : List.of("bot_token_env", "client_id_env", "webhook_url_env", "listen_addr", "prompt")) {
      if (c.has(key)) return "  " + key + "=" + c.get(key).asText();
    }
    return "";
  }

  private String cursor(int i) {
    return editor.focus() == ConfigEditor.Focus.PAGE && i == editor.row() ? "> " : "  ";
  }

  private static List<String> formLines(ConfigEditor.Form form) {
    List<String> lines = new ArrayList<>();
    List<FieldSpec> fields = form.fields();
    for (int i = 0; i < fields.size(); i++) {
      FieldSpec f = fields.get(i);
      String value;
      if (f.path().equals(Pages.ALIAS)) value = form.alias;
      else if (f.path().equals(Pages.AVAILABLE)) value = Boolean.toString(form.available);
      else value = f.display(form.draft);
      lines.add((i == form.row ? "> " : "  ") + f.label() + ": " + value);
    }
    return lines;
  }

  private static void drawModal(char[][] grid, Modal m) {
    List<String> body = new ArrayList<>();
    if (m instanceof Modal.TextInput t) {
      body.add(t.label + ":");
      body.add("[" + t.buffer + "_]");
    } else if (m instanceof Modal.Select s) {
      for (int i = 0; i < s.options.size(); i++) body.add((i == s.index ? "> " : "  ") + s.options.get(i));
    } else if (m instanceof Modal.MultiSelect s) {
      for (int i = 0; i < s.options.size(); i++) {
        String o = s.options.get(i);
        body.add((i == s.index ? "> " : "  ") + (s.checked.contains(o) ? "[x] " : "[ ] ") + o);
      }
    } else if (m instanceof Modal.Confirm c) {
      body.add(c.message());
      body.add("(y)es / (n)o");
    } else if (m instanceof Modal.Message msg) {
      body.addAll(msg.lines());
    }
    int cols = grid[0].length;
    int rows = grid.length;
    body = wrap(body, cols - 8);
    int width = Math.min(cols - 4, Math.max(m.title().length() + 6,
        body.stream().mapToInt(String::length).max().orElse(0) + 4));
    int height = Math.min(rows - 2, body.size() + 2);
    int top = Math.max(1, (rows - height) / 2);
    int left = Math.max(1, (cols - width) / 2);
    String edge = "+" + "-".repeat(width - 2) + "+";
    String head = "+- " + m.title() + " " + "-".repeat(Math.max(0, width - m.title().length() - 5)) + "+";
    put(grid, top, left, head.substring(0, Math.min(head.length(), width)));
    for (int i = 0; i < height - 2; i++) {
      String text = clip(body.get(i), width - 4);
      put(grid, top + 1 + i, left, "| " + text + " ".repeat(width - 4 - text.length()) + " |");
    }
    put(grid, top + height - 1, left, edge);
  }

  /** Long lines (error chains) are wrapped at spaces rather than cut. */
  static List<String> wrap(List<String> lines, int width) {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      String rest = line;
      while (rest.length() > width) {
        int cut = rest.lastIndexOf(' ', width);
        if (cut <= width / 2) cut = width;
        out.add(rest.substring(0, cut));
        rest = "  " + rest.substring(cut).stripLeading();
      }
      out.add(rest);
    }
    return out;
  }

  private static String clip(String s, int width) {
    return s.length() <= width ? s : s.substring(0, Math.max(0, width));
  }

  private static void put(char[][] grid, int r, int c, String s) {
    if (r < 0 || r >= grid.length) return;
    for (int i = 0; i < s.length() && c + i < grid[r].length; i++) grid[r][c + i] = s.charAt(i);
  }
}
