package partyclaw.app.configtui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.function.Predicate;

/**
 * One editable setting: where it lives (a dotted path relative to its object), how it is edited, its default
 * (shown when the key is absent), and when it is shown (e.g. codex_home only for codex-subscription models).
 */
record FieldSpec(String label, String path, Kind kind, List<String> options, JsonNode defaultValue,
    Predicate<ObjectNode> visible) {

  enum Kind { TEXT, INT, FLOAT, OPTIONAL_INT, BOOL, SELECT, MULTI }

  static FieldSpec text(String path, String dflt) {
    return new FieldSpec(path, path, Kind.TEXT, List.of(), dflt == null ? null : TextNode.valueOf(dflt), o -> true);
  }

  static FieldSpec integer(String path, long dflt) {
    return new FieldSpec(path, path, Kind.INT, List.of(), LongNode.valueOf(dflt), o -> true);
  }

  static FieldSpec optionalInteger(String path) {
    return new FieldSpec(path, path, Kind.OPTIONAL_INT, List.of(), NullNode.getInstance(), o -> true);
  }

  static FieldSpec decimal(String path, double dflt) {
    return new FieldSpec(path, path, Kind.FLOAT, List.of(), DoubleNode.valueOf(dflt), o -> true);
  }

  static FieldSpec bool(String path, boolean dflt) {
    return new FieldSpec(path, path, Kind.BOOL, List.of(), BooleanNode.valueOf(dflt), o -> true);
  }

  static FieldSpec select(String path, String dflt, String... options) {
    return new FieldSpec(path, path, Kind.SELECT, List.of(options), dflt == null ? null : TextNode.valueOf(dflt),
        o -> true);
  }

  /** The choice of a select without a default that removes the setting again. */
  static final String NONE = "(none)";

  /** A select that may be left unset: {@link #NONE} removes the object the source belongs to. */
  static FieldSpec optionalSelect(String path, String... options) {
    List<String> all = new java.util.ArrayList<>();
    all.add(NONE);
    all.addAll(List.of(options));
    return new FieldSpec(path, path, Kind.SELECT, List.copyOf(all), null, o -> true);
  }

  static FieldSpec multi(String path, String... options) {
    return new FieldSpec(path, path, Kind.MULTI, List.of(options), null, o -> true);
  }

  FieldSpec when(Predicate<ObjectNode> condition) {
    return new FieldSpec(label, path, kind, options, defaultValue, condition);
  }

  FieldSpec labelled(String newLabel) {
    return new FieldSpec(newLabel, path, kind, options, defaultValue, visible);
  }

  /** The value in {@code obj}, or the default. */
  JsonNode effective(ObjectNode obj) {
    JsonNode v = JsonPaths.get(obj, path);
    return v.isMissingNode() ? defaultValue : v;
  }

  /** The value as shown: {@code (default: x)} when absent, {@code (unset)} when there is no default. */
  String display(ObjectNode obj) {
    JsonNode v = JsonPaths.get(obj, path);
    if (v.isMissingNode()) {
      if (defaultValue == null || defaultValue.isNull()) return "(unset)";
      return show(defaultValue) + " (default)";
    }
    return show(v);
  }

  static String show(JsonNode v) {
    if (v == null || v.isNull()) return "null";
    if (v.isTextual()) return v.asText();
    if (v.isArray()) {
      StringBuilder b = new StringBuilder("[");
      for (JsonNode e : v) b.append(b.length() > 1 ? ", " : "").append(e.isTextual() ? e.asText() : e.toString());
      return b.append(']').toString();
    }
    return v.toString();
  }

  /**
   * Parses typed text into the value to store; null means "remove the key" (blank input). Throws with a message
   * for the Error dialog when the text does not fit the kind.
   */
  JsonNode parse(String input) {
    String t = input.strip();
    if (t.isEmpty()) return null;
    return switch (kind) {
      case INT, OPTIONAL_INT -> {
        try {
          yield LongNode.valueOf(Long.parseLong(t));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(label + ": '" + t + "' is not a whole number");
        }
      }
      case FLOAT -> {
        try {
          double d = Double.parseDouble(t);
          if (!Double.isFinite(d)) throw new NumberFormatException();
          yield DoubleNode.valueOf(d);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(label + ": '" + t + "' is not a number");
        }
      }
      default -> TextNode.valueOf(input);
    };
  }
}
