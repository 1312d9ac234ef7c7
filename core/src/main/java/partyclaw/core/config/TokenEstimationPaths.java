package partyclaw.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Resolves the relative paths of a model's {@code token_estimation} against the config file's directory:
 * a local template's or tokenizer's {@code path}, a HuggingFace source's {@code cache_dir}, and the top-level
 * {@code cache_dir}. Everything else is kept as written.
 */
final class TokenEstimationPaths {
  private TokenEstimationPaths() {}

  static JsonNode resolve(JsonNode tokenEstimation, Path baseDir) {
    if (!(tokenEstimation instanceof ObjectNode root) || baseDir == null) return tokenEstimation;
    ObjectNode copy = root.deepCopy();
    resolveField(copy, "cache_dir", baseDir);
    resolveSource(copy, baseDir);
    for (String part : new String[] {"template", "tokenizer"}) {
      if (copy.get(part) instanceof ObjectNode source) resolveSource(source, baseDir);
    }
    return copy;
  }

  private static void resolveSource(ObjectNode source, Path baseDir) {
    String kind = source.path("source").asText("");
    if (kind.equals("local")) resolveField(source, "path", baseDir);
    if (kind.equals("huggingface")) resolveField(source, "cache_dir", baseDir);
  }

  private static void resolveField(ObjectNode node, String key, Path baseDir) {
    JsonNode v = node.get(key);
    if (v == null || !v.isTextual() || v.textValue().isBlank()) return;
    try {
      Path p = Path.of(v.textValue());
      if (!p.isAbsolute()) node.put(key, baseDir.resolve(p).normalize().toString());
    } catch (InvalidPathException e) {
      // Left as written: the token estimator reports an unusable path when it tries to open it.
    }
  }
}
