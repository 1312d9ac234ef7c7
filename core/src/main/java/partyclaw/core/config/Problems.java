package partyclaw.core.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects every problem of one load, so that one broken model does not hide another. Also remembers which
 * string values came from {@code ${…}} interpolation, so messages show the template and never the value.
 */
final class Problems {
  private final List<ConfigProblem> list = new ArrayList<>();
  private final Map<String, String> interpolated = new HashMap<>();
  private final Set<String> unresolved = new HashSet<>();

  /** Adds a problem, unless an unresolved {@code ${…}} at the same path already explains it. */
  void add(String path, String message, String hint) {
    if (unresolved.contains(path)) return;
    list.add(new ConfigProblem(path, message, hint));
  }

  /** The string at {@code path} had a {@code ${…}} that could not be substituted (already reported). */
  void markUnresolved(String path) {
    unresolved.add(path);
  }

  void markInterpolated(String path, String template) {
    interpolated.put(path, template);
  }

  /** The original {@code ${…}} text of an interpolated string at {@code path}, or null. */
  String templateAt(String path) {
    return interpolated.get(path);
  }

  int size() {
    return list.size();
  }

  boolean isEmpty() {
    return list.isEmpty();
  }

  List<ConfigProblem> list() {
    return List.copyOf(list);
  }
}
