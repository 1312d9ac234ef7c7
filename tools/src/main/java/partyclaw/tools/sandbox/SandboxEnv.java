package partyclaw.tools.sandbox;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment a bubblewrap sandbox gets: an allow-list, nothing else of what the caller passed. The bwrap
 * process itself is started with exactly this environment too: inside the PID namespace bwrap is PID 1, and its
 * {@code /proc/1/environ} is what a sandboxed process would read first.
 */
final class SandboxEnv {
  /** Fixed, not taken from the host: the host's PATH may name directories the sandbox does not have. */
  static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  /** Copied when the caller has them: locale, terminal and time zone, none of them secret. */
  static final List<String> PASSED = List.of("LANG", "LC_ALL", "TERM", "TZ");
  /** Prefixes of the variables the exec tools set themselves (the command, the run and exec markers). */
  static final List<String> PASSED_PREFIXES = List.of("PARTYCLAW_EXEC", "PARTYCLAW_RUN");

  private SandboxEnv() {}

  /** The sandbox environment for {@code env}, sorted by name (the argv is then stable for the same input). */
  static Map<String, String> of(Map<String, String> env) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (allowed(e.getKey()) && e.getValue() != null) out.put(e.getKey(), e.getValue());
    }
    out.put("PATH", PATH);
    out.put("HOME", SandboxLauncher.SANDBOX_HOME);
    return out;
  }

  static boolean allowed(String name) {
    return PASSED.contains(name) || PASSED_PREFIXES.stream().anyMatch(name::startsWith);
  }
}
