package partyclaw.app.configtui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import partyclaw.core.config.ConfigException;
import partyclaw.core.config.ConfigLoader;
import partyclaw.core.config.ConfigProblem;
import partyclaw.core.config.Environment;
import partyclaw.core.config.PartyclawConfig;

/**
 * The config file as raw JSON (spec §5): unknown keys survive, a missing file starts as {@code {}}, saving writes
 * pretty JSON with a trailing newline, atomically (a temp file in the same directory, then a rename), keeping the
 * file's permissions. Saving does not validate; {@link #validate} runs the daemon's own loader.
 */
final class ConfigDocument {
  static final String LATEST_VERSION = "0.21";
  static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private ObjectNode root;
  private boolean dirty;

  private ConfigDocument(Path file, ObjectNode root) {
    this.file = file;
    this.root = root;
  }

  /** Opens {@code file}; a missing one is created as {@code {}} with its parent directories. */
  static ConfigDocument open(Path file) throws IOException {
    Path abs = file.toAbsolutePath().normalize();
    if (!Files.exists(abs)) {
      if (abs.getParent() != null) Files.createDirectories(abs.getParent());
      Files.writeString(abs, "{}\n");
    }
    String text = Files.readString(abs, StandardCharsets.UTF_8);
    return new ConfigDocument(abs, parse(text, abs));
  }

  static ObjectNode parse(String text, Path file) throws IOException {
    if (text.isBlank()) return JSON.createObjectNode();
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IOException("invalid JSON in " + file + ": " + e.getOriginalMessage()
          + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
    }
    if (!(node instanceof ObjectNode o)) throw new IOException("invalid JSON in " + file + ": not an object");
    return o;
  }

  Path file() {
    return file;
  }

  ObjectNode root() {
    return root;
  }

  boolean dirty() {
    return dirty;
  }

  void changed() {
    dirty = true;
  }

  /** Replaces the whole document with the latest empty skeleton (the {@code b} key). */
  void bootstrap() {
    root = skeleton();
    dirty = true;
  }

  static ObjectNode skeleton() {
    ObjectNode s = JSON.createObjectNode();
    s.put("version", LATEST_VERSION);
    s.putObject("models");
    s.putObject("agent").putObject("agent_frame").putArray("available_models");
    s.putObject("tooling");
    ObjectNode main = s.putObject("main_agent");
    for (FieldSpec f : Pages.MAIN_AGENT) {
      if (f.defaultValue() != null && !f.defaultValue().isNull()) JsonPaths.set(main, f.path(), f.defaultValue());
    }
    main.put("max_tool_roundtrips", 120);
    ObjectNode sandbox = s.putObject("sandbox");
    sandbox.put("mode", "subprocess");
    sandbox.put("bubblewrap_binary", "bwrap");
    sandbox.put("map_docker_socket", false);
    s.put("max_global_sub_agents", 4);
    s.put("cron_poll_interval_seconds", 5);
    s.putArray("channels");
    return s;
  }

  /** Pretty JSON with a trailing newline, as the reference writes it. */
  String text() throws JsonProcessingException {
    // "key": value and {} as serde_json writes them, not Jackson's "key" : value and { }
    DefaultPrettyPrinter pp = new DefaultPrettyPrinter(Separators.createDefaultInstance()
        .withObjectFieldValueSpacing(Separators.Spacing.AFTER).withObjectEmptySeparator("")
        .withArrayEmptySeparator(""));
    pp.indentArraysWith(new DefaultIndenter("  ", "\n"));
    pp.indentObjectsWith(new DefaultIndenter("  ", "\n"));
    return JSON.writer(pp).writeValueAsString(root) + "\n";
  }

  void save() throws IOException {
    Path dir = file.getParent();
    Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
    try {
      Files.writeString(tmp, text(), StandardCharsets.UTF_8);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      if (Files.exists(file)) {
        try {
          Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
          Files.setPosixFilePermissions(tmp, perms);
        } catch (UnsupportedOperationException ignored) {
          // not a POSIX filesystem: the temp file's own mode stays
        }
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    dirty = false;
  }

  /** Runs the daemon's loader and validation on the document as it is now (saved or not). */
  String validate() throws ValidationFailed {
    Path dir = file.getParent();
    Environment env = Environment.load(Path.of("").toAbsolutePath(), dir);
    try {
      PartyclawConfig cfg = ConfigLoader.parse(text(), dir, env, file.toString());
      return "Validation passed: version " + cfg.sourceVersion() + ", " + cfg.models().size() + " model(s), "
          + cfg.channels().size() + " channel(s)";
    } catch (ConfigException e) {
      throw new ValidationFailed(e.problems().stream().map(ConfigProblem::toString).toList());
    } catch (JsonProcessingException e) {
      throw new ValidationFailed(java.util.List.of("cannot write the document: " + e.getOriginalMessage()));
    }
  }

  static final class ValidationFailed extends Exception {
    final java.util.List<String> problems;

    ValidationFailed(java.util.List<String> problems) {
      super(String.join("\n", problems));
      this.problems = problems;
    }
  }

  ObjectNode models() {
    if (!(root.get("models") instanceof ObjectNode)) root.putObject("models");
    return (ObjectNode) root.get("models");
  }

  ArrayNode channels() {
    JsonNode c = root.get("channels");
    if (!(c instanceof ArrayNode)) root.putArray("channels");
    return (ArrayNode) root.get("channels");
  }

  ArrayNode availableModels() {
    JsonNode a = JsonPaths.get(root, "agent.agent_frame.available_models");
    if (!(a instanceof ArrayNode)) {
      JsonPaths.set(root, "agent.agent_frame.available_models", JSON.createArrayNode());
    }
    return (ArrayNode) JsonPaths.get(root, "agent.agent_frame.available_models");
  }
}
