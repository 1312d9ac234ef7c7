package partyclaw.app;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import partyclaw.core.config.Environment;
import partyclaw.core.config.PartyclawConfig;
import partyclaw.core.config.SecretNames;
import partyclaw.tools.exec.ExecRun;

/**
 * The environment given to every tool process: the daemon's own, minus every variable the config names as a
 * secret and anything whose name looks like a credential (the reference passes everything through), plus
 * {@code PARTYCLAW_RUN=<run id>}, by which the next start of the daemon recognises what this run left running.
 */
final class ToolEnvironment {
  private static final Pattern CREDENTIAL_NAME =
      Pattern.compile(".*(API_KEY|APIKEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE_KEY).*");

  private ToolEnvironment() {}

  static Map<String, String> of(Map<String, String> processEnv, PartyclawConfig cfg, Environment env, String runId) {
    Set<String> secrets = SecretNames.of(cfg, env);
    Map<String, String> clean = new TreeMap<>();
    processEnv.forEach((name, value) -> {
      if (!secrets.contains(name) && !CREDENTIAL_NAME.matcher(name.toUpperCase(Locale.ROOT)).matches()) {
        clean.put(name, value);
      }
    });
    // Also replaces a marker the daemon itself inherited (started from a tool process of another daemon).
    clean.put(ExecRun.RUN_ENV, runId);
    return Map.copyOf(clean);
  }
}
