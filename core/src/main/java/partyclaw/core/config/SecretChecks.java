package partyclaw.core.config;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks that the secrets the config needs are there (stricter than the reference, which fails only when a
 * secret is first used): a model's explicitly named {@code api_key_env} and each channel's required secrets.
 * The implicit default {@code OPENAI_API_KEY} may be unset (local servers need no key), and a web channel
 * without a token is disabled rather than wrong. Only variable names appear in messages, never values — and
 * not even a name that does not look like one, because that is usually a key pasted into an {@code *_env} field.
 */
final class SecretChecks {
  private static final Pattern CONVENTIONAL_NAME = Pattern.compile("[A-Z_][A-Z0-9_]{0,63}");
  private static final String DOTENV_HINT = " in the environment, or add a line %s=... to a .env file in the working "
      + "directory or next to the config file";

  private SecretChecks() {}

  static void check(Map<String, ModelConfig> models, Map<String, String> modelPaths,
      List<ChannelsSection.ReadChannel> channels, LoadContext ctx) {
    Environment env = ctx.env();
    Problems problems = ctx.problems();
    for (ModelConfig m : models.values()) {
      if (!m.apiKeyEnvExplicit() || (m.apiKey() != null && !m.apiKey().isBlank())) continue;
      String path = JsonPath.child(modelPaths.get(m.alias()), "api_key_env");
      if (m.apiKeyEnv().isBlank()) {
        problems.add(path, "api_key_env must not be empty",
            "name the variable that holds the API key, e.g. \"OPENROUTER_API_KEY\", or leave api_key_env out");
      } else if (env.resolve(null, m.apiKeyEnv()).isEmpty()) {
        missingVariable(problems, path, m.apiKeyEnv(), "api_key_env", "the API key of model '" + m.alias() + "'");
      }
    }
    for (ChannelsSection.ReadChannel rc : channels) {
      ChannelConfig c = rc.config();
      if (c instanceof TelegramChannelConfig t) {
        require(problems, env, rc.path(), "telegram", t.id(), "bot_token", t.botToken(), t.botTokenEnv());
      } else if (c instanceof DingtalkChannelConfig d) {
        require(problems, env, rc.path(), "dingtalk", d.id(), "client_id", d.clientId(), d.clientIdEnv());
        require(problems, env, rc.path(), "dingtalk", d.id(), "client_secret", d.clientSecret(), d.clientSecretEnv());
      } else if (c instanceof DingtalkRobotChannelConfig r) {
        require(problems, env, rc.path(), "dingtalk_robot", r.id(), "webhook_url", r.webhookUrl(), r.webhookUrlEnv());
      }
    }
  }

  private static void require(Problems problems, Environment env, String channelPath, String kind, String id,
      String field, String literal, String envName) {
    if (env.resolve(literal, envName).isPresent()) return;
    String path = JsonPath.child(channelPath, field + "_env");
    String shown = shownName(envName);
    String message = kind + " channel " + id + " requires " + field + " or env "
        + (shown != null ? shown : "(the variable named in " + field + "_env, which is not set)");
    String hint = shown != null
        ? "set " + shown + String.format(DOTENV_HINT, shown)
        : field + "_env holds the NAME of a variable (e.g. " + defaultNameFor(kind, field)
            + "), not the secret itself; put the secret in .env under that name";
    problems.add(path, message, hint);
  }

  private static void missingVariable(Problems problems, String path, String name, String field, String what) {
    String shown = shownName(name);
    if (shown != null) {
      problems.add(path, "environment variable " + shown + " is not set",
          "set " + shown + String.format(DOTENV_HINT, shown) + " (it holds " + what + ")");
    } else {
      problems.add(path, "the environment variable named in " + field + " is not set",
          field + " holds the NAME of a variable (e.g. OPENROUTER_API_KEY), not the key itself; "
              + "put the key in .env under that name");
    }
  }

  /** The name if it looks like an environment variable name; null if it might be a pasted secret. */
  private static String shownName(String name) {
    return name != null && CONVENTIONAL_NAME.matcher(name).matches() ? name : null;
  }

  private static String defaultNameFor(String kind, String field) {
    return switch (kind + "." + field) {
      case "telegram.bot_token" -> TelegramChannelConfig.DEFAULT_BOT_TOKEN_ENV;
      case "dingtalk.client_id" -> DingtalkChannelConfig.DEFAULT_CLIENT_ID_ENV;
      case "dingtalk.client_secret" -> DingtalkChannelConfig.DEFAULT_CLIENT_SECRET_ENV;
      default -> DingtalkRobotChannelConfig.DEFAULT_WEBHOOK_URL_ENV;
    };
  }
}
