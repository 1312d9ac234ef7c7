package partyclaw.core.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Names of the environment variables that hold secrets for a config, so the runtime can remove them from the
 * environment of tool processes: every {@code *_env} the config names (defaults included) plus the reference's
 * well-known secret variables.
 */
public final class SecretNames {
  /** The variables the reference reads secrets from by default. */
  public static final Set<String> WELL_KNOWN = Set.of(
      "OPENAI_API_KEY", "OPENROUTER_API_KEY", "TELEGRAM_BOT_TOKEN", "DINGTALK_CLIENT_ID", "DINGTALK_CLIENT_SECRET",
      "DINGTALK_ROBOT_WEBHOOK_URL", "DINGTALK_ROBOT_APP_KEY", "DINGTALK_ROBOT_APP_SECRET", "CLAWPARTY_WEB_AUTH_TOKEN");

  /** Shorter values would match by accident (e.g. "1" or "true"). */
  private static final int MIN_MATCHED_VALUE_LENGTH = 8;

  private SecretNames() {}

  public static Set<String> of(PartyclawConfig config) {
    Set<String> names = new TreeSet<>(WELL_KNOWN);
    for (ModelConfig m : config.models().values()) {
      add(names, m.apiKeyEnv());
      if (m.legacyWebSearch() != null) add(names, m.legacyWebSearch().apiKeyEnv());
    }
    for (ChannelConfig c : config.channels()) {
      if (c instanceof TelegramChannelConfig t) {
        add(names, t.botTokenEnv());
      } else if (c instanceof DingtalkChannelConfig d) {
        add(names, d.clientIdEnv());
        add(names, d.clientSecretEnv());
      } else if (c instanceof DingtalkRobotChannelConfig r) {
        add(names, r.webhookUrlEnv());
        add(names, r.appKeyEnv());
        add(names, r.appSecretEnv());
      } else if (c instanceof WebChannelConfig w) {
        add(names, w.authTokenEnv());
      }
    }
    // The JDBC URL of the cluster's journal usually carries the database password.
    if (config.cluster() != null) add(names, config.cluster().postgresUrlEnv());
    return Collections.unmodifiableSet(names);
  }

  /**
   * {@link #of(PartyclawConfig)} plus every variable whose value appears in a literal secret or header of the
   * config: that is how a secret arrives through {@code "api_key": "${MY_KEY}"} interpolation.
   */
  public static Set<String> of(PartyclawConfig config, Environment env) {
    Set<String> names = new TreeSet<>(of(config));
    List<String> literals = literalSecrets(config);
    if (literals.isEmpty()) return Collections.unmodifiableSet(names);
    env.variables().forEach((name, value) -> {
      String v = value == null ? "" : value.strip();
      if (v.length() >= MIN_MATCHED_VALUE_LENGTH && literals.stream().anyMatch(l -> l.contains(v))) names.add(name);
    });
    return Collections.unmodifiableSet(names);
  }

  private static List<String> literalSecrets(PartyclawConfig config) {
    List<String> out = new ArrayList<>();
    for (ModelConfig m : config.models().values()) {
      addLiteral(out, m.apiKey());
      out.addAll(m.headers().values());
      if (m.legacyWebSearch() != null) {
        addLiteral(out, m.legacyWebSearch().apiKey());
        out.addAll(m.legacyWebSearch().headers().values());
      }
    }
    for (ChannelConfig c : config.channels()) {
      if (c instanceof TelegramChannelConfig t) {
        addLiteral(out, t.botToken());
      } else if (c instanceof DingtalkChannelConfig d) {
        addLiteral(out, d.clientId());
        addLiteral(out, d.clientSecret());
      } else if (c instanceof DingtalkRobotChannelConfig r) {
        addLiteral(out, r.webhookUrl());
        addLiteral(out, r.appKey());
        addLiteral(out, r.appSecret());
      } else if (c instanceof WebChannelConfig w) {
        addLiteral(out, w.authToken());
      }
    }
    return out;
  }

  private static void add(Set<String> names, String name) {
    if (name != null && !name.isBlank()) names.add(name.strip());
  }

  private static void addLiteral(List<String> out, String literal) {
    if (literal != null && !literal.isBlank()) out.add(literal);
  }
}
