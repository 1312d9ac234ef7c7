package partyclaw.app.configtui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The config editor's state and key handling, without a terminal: {@link #handle} takes a key, {@link #render}
 * draws the screen as lines of text (in {@link ConfigEditorView}). {@link ConfigTui} connects it to a real terminal.
 */
final class ConfigEditor {
  enum Section {
    OVERVIEW("Overview"), MODELS("Models"), TOOLING("Tooling"), MAIN_AGENT("Main Agent"), RUNTIME("Runtime"),
    SANDBOX("Sandbox"), CHANNELS("Channels");

    final String title;

    Section(String title) {
      this.title = title;
    }
  }

  enum Focus { SECTIONS, PAGE }

  private final ConfigDocument doc;
  private final Deque<Modal> modals = new ArrayDeque<>();
  private Section section = Section.OVERVIEW;
  private Focus focus = Focus.SECTIONS;
  private int row;
  private Form form;
  private String status = "Ready. Press ? for help.";
  private boolean quit;

  ConfigEditor(ConfigDocument doc) {
    this.doc = doc;
  }

  boolean quit() {
    return quit;
  }

  ConfigDocument document() {
    return doc;
  }

  String status() {
    return status;
  }

  Modal modal() {
    return modals.peek();
  }

  Form form() {
    return form;
  }

  Section section() {
    return section;
  }

  Focus focus() {
    return focus;
  }

  int row() {
    return row;
  }

  // ---------------------------------------------------------------- keys

  void handle(Key k) {
    if (!modals.isEmpty()) {
      handleModal(modals.peek(), k);
    } else if (form != null) {
      handleForm(k);
    } else {
      handleMain(k);
    }
  }

  private void handleMain(Key k) {
    if (k.is('s')) {
      save();
    } else if (k.is('v')) {
      validate();
    } else if (k.is('b')) {
      modals.push(new Modal.Confirm("Bootstrap", "Replace the current config with the latest empty skeleton?", () -> {
        doc.bootstrap();
        row = 0;
        status = "Replaced the document with the latest skeleton (version " + ConfigDocument.LATEST_VERSION
            + "); not saved yet.";
      }));
    } else if (k.is('q')) {
      if (doc.dirty()) {
        modals.push(new Modal.Confirm("Quit", "There are unsaved changes. Quit without saving?", () -> quit = true));
      } else {
        quit = true;
      }
    } else if (k.is('?')) {
      modals.push(new Modal.Message("Help", HELP));
    } else if (focus == Focus.SECTIONS) {
      if (k.type() == Key.Type.UP || k.is('k')) {
        section = Section.values()[Math.max(0, section.ordinal() - 1)];
        row = 0;
      } else if (k.type() == Key.Type.DOWN || k.is('j')) {
        section = Section.values()[Math.min(Section.values().length - 1, section.ordinal() + 1)];
        row = 0;
      } else if (k.type() == Key.Type.RIGHT || k.type() == Key.Type.ENTER) {
        focus = Focus.PAGE;
        row = 0;
      }
    } else {
      handlePage(k);
    }
  }

  private void handlePage(Key k) {
    int rows = pageRows();
    if (k.type() == Key.Type.LEFT || k.type() == Key.Type.ESC) {
      focus = Focus.SECTIONS;
    } else if (k.type() == Key.Type.UP || k.is('k')) {
      row = Math.max(0, row - 1);
    } else if (k.type() == Key.Type.DOWN || k.is('j')) {
      row = Math.min(Math.max(0, rows - 1), row + 1);
    } else if (section == Section.MODELS || section == Section.CHANNELS) {
      boolean models = section == Section.MODELS;
      if (k.is('a')) {
        if (models) {
          modals.push(new Modal.Select("Model type", Pages.MODEL_TYPES, "openrouter", this::newModel));
        } else {
          modals.push(new Modal.Select("Channel kind", Pages.CHANNEL_KINDS, "telegram", this::newChannel));
        }
      } else if ((k.type() == Key.Type.ENTER || k.is('e')) && rows > 0) {
        if (models) editModel(modelAliases().get(row)); else editChannel(row);
      } else if (k.is('d') && rows > 0) {
        if (models) {
          String alias = modelAliases().get(row);
          modals.push(new Modal.Confirm("Delete", "Delete model '" + alias + "'?", () -> deleteModel(alias)));
        } else {
          String id = doc.channels().get(row).path("id").asText();
          int index = row;
          modals.push(new Modal.Confirm("Delete", "Delete channel '" + id + "'?", () -> deleteChannel(index)));
        }
      }
    } else {
      List<FieldSpec> fields = pageFields();
      if (fields.isEmpty()) return;
      FieldSpec f = fields.get(Math.min(row, fields.size() - 1));
      ObjectNode target = pageObject();
      if (k.type() == Key.Type.ENTER) {
        edit(f, target, () -> doc.changed());
      } else if (k.is(' ') && f.kind() == FieldSpec.Kind.BOOL) {
        toggle(f, target);
        doc.changed();
      }
    }
  }

  private void handleForm(Key k) {
    List<FieldSpec> fields = form.fields();
    if (k.type() == Key.Type.ESC) {
      form = null;
      status = "Edit cancelled.";
    } else if (k.type() == Key.Type.UP || k.is('k')) {
      form.row = Math.max(0, form.row - 1);
    } else if (k.type() == Key.Type.DOWN || k.is('j')) {
      form.row = Math.min(fields.size() - 1, form.row + 1);
    } else if (k.is('s')) {
      saveForm();
    } else if (k.type() == Key.Type.ENTER || k.is(' ')) {
      FieldSpec f = fields.get(Math.min(form.row, fields.size() - 1));
      if (k.is(' ') && f.kind() != FieldSpec.Kind.BOOL) return;
      editFormField(f);
    }
  }

  private void handleModal(Modal m, Key k) {
    if (m instanceof Modal.TextInput t) {
      if (k.type() == Key.Type.ENTER) {
        modals.pop();
        run(() -> t.ok.accept(t.buffer.toString()));
      } else if (k.type() == Key.Type.ESC) {
        modals.pop();
      } else if (k.type() == Key.Type.BACKSPACE) {
        if (t.buffer.length() > 0) t.buffer.setLength(t.buffer.length() - 1);
      } else if (k.type() == Key.Type.CHAR) {
        t.buffer.append(k.ch());
      }
    } else if (m instanceof Modal.Select s) {
      if (k.type() == Key.Type.UP || k.is('k')) {
        s.index = Math.max(0, s.index - 1);
      } else if (k.type() == Key.Type.DOWN || k.is('j')) {
        s.index = Math.min(s.options.size() - 1, s.index + 1);
      } else if (k.type() == Key.Type.ENTER) {
        modals.pop();
        run(() -> s.ok.accept(s.options.get(s.index)));
      } else if (k.type() == Key.Type.ESC) {
        modals.pop();
      }
    } else if (m instanceof Modal.MultiSelect s) {
      if (k.type() == Key.Type.UP || k.is('k')) {
        s.index = Math.max(0, s.index - 1);
      } else if (k.type() == Key.Type.DOWN || k.is('j')) {
        s.index = Math.min(s.options.size() - 1, s.index + 1);
      } else if (k.is(' ')) {
        String o = s.options.get(s.index);
        if (!s.checked.remove(o)) s.checked.add(o);
      } else if (k.type() == Key.Type.ENTER) {
        modals.pop();
        run(() -> s.ok.accept(s.chosen()));
      } else if (k.type() == Key.Type.ESC) {
        modals.pop();
      }
    } else if (m instanceof Modal.Confirm c) {
      if (k.is('y') || k.is('Y') || k.type() == Key.Type.ENTER) {
        modals.pop();
        run(c.yes());
      } else if (k.is('n') || k.is('N') || k.type() == Key.Type.ESC) {
        modals.pop();
        status = c.title() + " cancelled.";
      }
    } else if (m instanceof Modal.Message) {
      if (k.type() == Key.Type.ENTER || k.type() == Key.Type.ESC || k.is('q') || k.is(' ')) modals.pop();
    }
  }

  /** Runs an action; a failure opens the Error dialog and says so on the status line. */
  private void run(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      error(List.of(e.getMessage() == null ? e.toString() : e.getMessage()));
    }
  }

  private void error(List<String> lines) {
    modals.push(new Modal.Message("Error", lines));
    status = "Last action failed: " + lines.get(0);
  }

  // ---------------------------------------------------------------- document actions

  private void save() {
    try {
      doc.save();
      status = "Saved " + doc.file() + ".";
    } catch (IOException e) {
      error(List.of("cannot save " + doc.file() + ": " + e.getMessage()));
    }
  }

  private void validate() {
    try {
      String ok = doc.validate();
      modals.push(new Modal.Message("Validation", List.of(ok)));
      status = ok + ".";
    } catch (ConfigDocument.ValidationFailed e) {
      List<String> lines = new ArrayList<>();
      lines.add("Validation failed:");
      lines.addAll(e.problems);
      modals.push(new Modal.Message("Error", lines));
      status = "Last action failed: validation found " + e.problems.size() + " problem(s).";
    }
  }

  private void deleteModel(String alias) {
    doc.models().remove(alias);
    removeAll(doc.availableModels(), alias);
    doc.changed();
    row = Math.max(0, Math.min(row, pageRows() - 1));
    status = "Deleted model '" + alias + "'.";
  }

  private void deleteChannel(int index) {
    String id = doc.channels().get(index).path("id").asText();
    doc.channels().remove(index);
    doc.changed();
    row = Math.max(0, Math.min(row, pageRows() - 1));
    status = "Deleted channel '" + id + "'.";
  }

  private static void removeAll(ArrayNode array, String value) {
    for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
      if (value.equals(it.next().asText())) it.remove();
    }
  }

  // ---------------------------------------------------------------- forms

  /** A model or channel being edited: a copy, written back to the document only by {@code s}. */
  static final class Form {
    final boolean model;
    final String originalAlias;
    final int channelIndex;
    final ObjectNode draft;
    String alias;
    boolean available;
    int row;

    Form(boolean model, String originalAlias, int channelIndex, ObjectNode draft) {
      this.model = model;
      this.originalAlias = originalAlias;
      this.channelIndex = channelIndex;
      this.draft = draft;
    }

    List<FieldSpec> fields() {
      List<FieldSpec> all = model ? Pages.MODEL : Pages.channel(draft.path("kind").asText());
      return all.stream().filter(f -> f.visible().test(draft)).toList();
    }

    String title() {
      if (model) return originalAlias == null ? "New model" : "Edit model '" + originalAlias + "'";
      return channelIndex < 0 ? "New channel" : "Edit channel '" + draft.path("id").asText() + "'";
    }
  }

  private void newModel(String type) {
    ObjectNode m = ConfigDocument.JSON.createObjectNode();
    m.put("type", type);
    m.put("model", "");
    switch (type) {
      case "codex-subscription" -> {
        m.put("api_endpoint", "https://chatgpt.com/backend-api/codex");
        m.put("api_key_env", "OPENAI_API_KEY");
        m.put("chat_completions_path", "/responses");
        m.put("codex_home", "~/.codex");
        m.put("auth_credentials_store_mode", "auto");
        m.putArray("capabilities").add("chat").add("image_in");
        m.put("supports_vision_input", true);
      }
      case "openrouter-resp" -> {
        m.put("api_endpoint", "https://openrouter.ai/api/v1");
        m.put("api_key_env", "OPENROUTER_API_KEY");
        m.put("chat_completions_path", "/responses");
        m.putArray("capabilities").add("chat").add("image_in");
        m.put("supports_vision_input", true);
      }
      default -> {
        m.put("api_endpoint", "https://openrouter.ai/api/v1");
        m.put("api_key_env", "OPENROUTER_API_KEY");
        m.put("chat_completions_path", "/chat/completions");
        m.putArray("capabilities").add("chat");
        m.put("supports_vision_input", false);
      }
    }
    form = new Form(true, null, -1, m);
    form.alias = freeAlias();
    form.available = true;
    status = "New " + type + " model: fill in model, then s to add it.";
  }

  private String freeAlias() {
    if (!doc.models().has("main")) return "main";
    for (int i = 2; ; i++) if (!doc.models().has("model-" + i)) return "model-" + i;
  }

  private void editModel(String alias) {
    JsonNode m = doc.models().get(alias);
    ObjectNode draft = m instanceof ObjectNode o ? o.deepCopy() : ConfigDocument.JSON.createObjectNode();
    form = new Form(true, alias, -1, draft);
    form.alias = alias;
    form.available = contains(doc.availableModels(), alias);
  }

  private void newChannel(String kind) {
    ObjectNode c = ConfigDocument.JSON.createObjectNode();
    c.put("kind", kind);
    String base = kind.replace('_', '-') + "-main";
    String id = base;
    for (int i = 2; channelIdTaken(id, -1); i++) id = base + "-" + i;
    c.put("id", id);
    for (FieldSpec f : Pages.channel(kind)) {
      if (f.defaultValue() != null && !JsonPaths.get(c, f.path()).isValueNode()) c.set(f.path(), f.defaultValue());
    }
    form = new Form(false, null, -1, c);
    status = "New " + kind + " channel: s to add it.";
  }

  private void editChannel(int index) {
    JsonNode c = doc.channels().get(index);
    ObjectNode draft = c instanceof ObjectNode o ? o.deepCopy() : ConfigDocument.JSON.createObjectNode();
    form = new Form(false, null, index, draft);
  }

  private boolean channelIdTaken(String id, int exceptIndex) {
    ArrayNode channels = doc.channels();
    for (int i = 0; i < channels.size(); i++) {
      if (i != exceptIndex && id.equals(channels.get(i).path("id").asText())) return true;
    }
    return false;
  }

  private void editFormField(FieldSpec f) {
    if (f.path().equals(Pages.ALIAS)) {
      modals.push(new Modal.TextInput("Edit", "alias", form.alias, v -> form.alias = v.strip()));
    } else if (f.path().equals(Pages.AVAILABLE)) {
      form.available = !form.available;
    } else {
      edit(f, form.draft, () -> { });
    }
  }

  private void saveForm() {
    try {
      if (form.model) saveModel(); else saveChannel();
    } catch (IllegalArgumentException e) {
      error(List.of(e.getMessage()));
    }
  }

  private void saveModel() {
    String alias = form.alias == null ? "" : form.alias.strip();
    ObjectNode d = form.draft;
    if (alias.isEmpty() || d.path("model").asText().isBlank() || d.path("api_endpoint").asText().isBlank()) {
      throw new IllegalArgumentException("alias, api_endpoint and model are required");
    }
    if (!alias.equals(form.originalAlias) && doc.models().has(alias)) {
      throw new IllegalArgumentException("a model named '" + alias + "' already exists");
    }
    // Renaming keeps the entry where it was.
    Map<String, JsonNode> entries = new LinkedHashMap<>();
    doc.models().fields().forEachRemaining(e -> entries.put(e.getKey(), e.getValue()));
    ObjectNode models = doc.models();
    models.removeAll();
    boolean placed = false;
    for (Map.Entry<String, JsonNode> e : entries.entrySet()) {
      if (e.getKey().equals(form.originalAlias)) {
        models.set(alias, d);
        placed = true;
      } else {
        models.set(e.getKey(), e.getValue());
      }
    }
    if (!placed) models.set(alias, d);
    ArrayNode available = doc.availableModels();
    if (form.originalAlias != null && !form.originalAlias.equals(alias)) {
      for (int i = 0; i < available.size(); i++) {
        if (form.originalAlias.equals(available.get(i).asText())) available.set(i, TextNode.valueOf(alias));
      }
    }
    if (form.available && !contains(available, alias)) available.add(alias);
    if (!form.available) removeAll(available, alias);
    doc.changed();
    status = "Model '" + alias + "' updated in the document (s writes the file).";
    form = null;
  }

  private void saveChannel() {
    ObjectNode d = form.draft;
    String id = d.path("id").asText("").strip();
    if (id.isEmpty()) throw new IllegalArgumentException("a channel needs an id");
    if (channelIdTaken(id, form.channelIndex)) {
      throw new IllegalArgumentException("a channel with id '" + id + "' already exists");
    }
    String kind = d.path("kind").asText();
    List<String> own = Pages.channelKeys(kind);
    for (String other : Pages.CHANNEL_KINDS) {
      for (String key : Pages.channelKeys(other)) if (!own.contains(key)) d.remove(key);
    }
    Pages.LITERAL_SECRETS.forEach(d::remove);
    if (kind.equals("telegram")) d.remove("commands");
    if (form.channelIndex < 0) doc.channels().add(d); else doc.channels().set(form.channelIndex, d);
    doc.changed();
    status = "Channel '" + id + "' updated in the document (s writes the file).";
    form = null;
  }

  private static boolean contains(ArrayNode array, String value) {
    for (JsonNode n : array) if (value.equals(n.asText())) return true;
    return false;
  }

  // ---------------------------------------------------------------- field editing

  private void edit(FieldSpec f, ObjectNode target, Runnable changed) {
    switch (f.kind()) {
      case BOOL -> {
        toggle(f, target);
        changed.run();
      }
      case SELECT -> modals.push(new Modal.Select(f.label(), f.options(), f.effective(target) == null ? null
          : f.effective(target).asText(), v -> {
        if (v.equals(FieldSpec.NONE)) {
          // token_estimation.template.source: (none) drops token_estimation.template with its path, repo...
          int dot = f.path().lastIndexOf('.');
          JsonPaths.remove(target, f.path().endsWith(".source") && dot > 0 ? f.path().substring(0, dot) : f.path());
        } else {
          JsonPaths.set(target, f.path(), TextNode.valueOf(v));
        }
        if (f.path().equals("retry_mode.mode")) retryModeChosen(target, v);
        changed.run();
      }));
      case MULTI -> {
        List<String> current = new ArrayList<>();
        JsonPaths.get(target, f.path()).forEach(n -> current.add(n.asText()));
        modals.push(new Modal.MultiSelect(f.label(), f.options(), current, chosen -> {
          ArrayNode arr = ConfigDocument.JSON.createArrayNode();
          chosen.forEach(arr::add);
          JsonPaths.set(target, f.path(), arr);
          changed.run();
        }));
      }
      default -> {
        JsonNode v = JsonPaths.get(target, f.path());
        String initial = v.isMissingNode() || v.isNull() ? "" : v.isTextual() ? v.asText() : v.toString();
        modals.push(new Modal.TextInput("Edit", f.label(), initial, text -> {
          JsonNode parsed = f.parse(text);
          if (parsed == null) JsonPaths.remove(target, f.path()); else JsonPaths.set(target, f.path(), parsed);
          changed.run();
        }));
      }
    }
  }

  /** {@code random} needs its two numbers (the loader refuses it without them); {@code no} has none. */
  private static void retryModeChosen(ObjectNode model, String mode) {
    if (mode.equals("random")) {
      for (FieldSpec f : Pages.MODEL) {
        if (f.path().startsWith("retry_mode.") && !f.path().equals("retry_mode.mode")
            && JsonPaths.get(model, f.path()).isMissingNode()) {
          JsonPaths.set(model, f.path(), f.defaultValue());
        }
      }
    } else {
      JsonPaths.remove(model, "retry_mode.max_retries");
      JsonPaths.remove(model, "retry_mode.retry_random_mean");
    }
  }

  private static void toggle(FieldSpec f, ObjectNode target) {
    JsonNode v = f.effective(target);
    JsonPaths.set(target, f.path(), BooleanNode.valueOf(v == null || !v.asBoolean()));
  }

  // ---------------------------------------------------------------- pages

  List<FieldSpec> pageFields() {
    return switch (section) {
      case TOOLING -> Pages.TOOLING;
      case MAIN_AGENT -> Pages.MAIN_AGENT;
      case RUNTIME -> Pages.RUNTIME;
      case SANDBOX -> Pages.SANDBOX;
      default -> List.of();
    };
  }

  private ObjectNode pageObject() {
    if (section == Section.MAIN_AGENT) {
      if (!(doc.root().get("main_agent") instanceof ObjectNode)) doc.root().putObject("main_agent");
      return (ObjectNode) doc.root().get("main_agent");
    }
    return doc.root();
  }

  List<String> modelAliases() {
    List<String> out = new ArrayList<>();
    if (doc.root().get("models") instanceof ObjectNode m) m.fieldNames().forEachRemaining(out::add);
    return out;
  }

  int channelCount() {
    return doc.root().get("channels") instanceof ArrayNode a ? a.size() : 0;
  }

  private int pageRows() {
    return switch (section) {
      case MODELS -> modelAliases().size();
      case CHANNELS -> channelCount();
      case OVERVIEW -> 0;
      default -> pageFields().size();
    };
  }

  /** Kept beside the key handling it describes; the view also shows it on the Overview page. */
  static final List<String> HELP = List.of(
      "Up/Down or k/j move; Right or Enter opens a page; Left returns to the sections.",
      "s save the file   v validate (the daemon's loader)   b bootstrap an empty skeleton",
      "q quit (asks when there are unsaved changes)   ? this help",
      "Models, Channels: a add, Enter/e edit, d delete",
      "Settings pages: Enter edits, Space toggles a yes/no value; a blank value removes the key",
      "Forms: Up/Down, Enter edit, Space toggle, s keep the entry in the document, Esc cancel",
      "Dialogs: Enter accept, Esc cancel; multi-select: Space checks");

  List<String> render(int cols, int rows) {
    return new ConfigEditorView(this).render(cols, rows);
  }
}
