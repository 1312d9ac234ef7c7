package partyclaw.core.config;

import java.util.regex.Pattern;

/** Builds the JSON paths that name where a problem is: {@code $.models.main.type}, {@code $.channels[0].id}. */
final class JsonPath {
  static final String ROOT = "$";
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

  private JsonPath() {}

  static String child(String parent, String key) {
    if (PLAIN_KEY.matcher(key).matches()) return parent + "." + key;
    return parent + "['" + key.replace("\\", "\\\\").replace("'", "\\'") + "']";
  }

  static String index(String parent, int i) {
    return parent + "[" + i + "]";
  }
}
