package partyclaw.core.config;

import java.nio.file.Path;

/** What every section reader of one load needs: the file's version, the problem sink, variables and the config's directory. */
record LoadContext(String version, Problems problems, Environment env, Path baseDir) {

  boolean atLeast(String min) {
    return ConfigVersions.atLeast(version, min);
  }

  /** {@code ~/x} → {@code $HOME/x}, as the reference does for {@code codex_home}. */
  String expandHome(String path) {
    if (path == null || !(path.equals("~") || path.startsWith("~/"))) return path;
    String home = env.get("HOME").filter(h -> !h.isBlank()).orElse(System.getProperty("user.home"));
    return path.equals("~") ? home : Path.of(home).resolve(path.substring(2)).toString();
  }
}
