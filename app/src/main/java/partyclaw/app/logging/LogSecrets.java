package partyclaw.app.logging;

import partyclaw.core.config.ChannelConfig;
import partyclaw.core.config.DingtalkChannelConfig;
import partyclaw.core.config.DingtalkRobotChannelConfig;
import partyclaw.core.config.Environment;
import partyclaw.core.config.ModelConfig;
import partyclaw.core.config.PartyclawConfig;
import partyclaw.core.config.SecretNames;
import partyclaw.core.config.TelegramChannelConfig;
import partyclaw.core.util.SecretRedaction;

/** Registers every secret a config resolves to with {@link SecretRedaction}, so no log line can show one. */
public final class LogSecrets {
  private LogSecrets() {}

  public static void register(PartyclawConfig cfg, Environment env) {
    for (String name : SecretNames.of(cfg, env)) env.get(name).ifPresent(SecretRedaction::register);
    // The driver may echo the password alone (e.g. in an authentication error), without the rest of the URL.
    cfg.clusterMode().flatMap(c -> env.get(c.postgresUrlEnv())).ifPresent(url -> {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("[?&]password=([^&]+)").matcher(url);
      while (m.find()) SecretRedaction.register(m.group(1));
    });
    for (ModelConfig m : cfg.models().values()) {
      env.resolve(m.apiKey(), m.apiKeyEnv()).ifPresent(SecretRedaction::register);
      if (m.legacyWebSearch() != null) {
        env.resolve(m.legacyWebSearch().apiKey(), m.legacyWebSearch().apiKeyEnv()).ifPresent(SecretRedaction::register);
      }
    }
    for (ChannelConfig c : cfg.channels()) {
      if (c instanceof TelegramChannelConfig t) env.resolve(t.botToken(), t.botTokenEnv()).ifPresent(SecretRedaction::register);
      if (c instanceof DingtalkChannelConfig d) {
        d.resolveClientSecret(env).ifPresent(SecretRedaction::register);
      }
      if (c instanceof DingtalkRobotChannelConfig r) {
        r.resolveWebhookUrl(env).ifPresent(url -> {
          SecretRedaction.register(url);
          // the token alone, as a request line or a pool warning would show it
          java.util.regex.Matcher m = java.util.regex.Pattern.compile("access_token=([^&\\s]+)").matcher(url);
          if (m.find()) SecretRedaction.register(m.group(1));
        });
        r.resolveAppSecret(env).ifPresent(SecretRedaction::register);
      }
    }
  }
}
